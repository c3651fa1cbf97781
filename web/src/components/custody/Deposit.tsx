/**
 * "Deposit": the account's address on each network (GET /api/deposit-addresses), in full, with a
 * copy button and a QR code, and the assets that address takes. Anything else sent there is lost.
 */
import { CopyButton } from '../CopyButton.tsx';
import { QrImage } from '../QrImage.tsx';
import { LoadState } from '../security/LoadState.tsx';
import { useSecurityData } from '../security/useSecurityData.ts';
import { networkName, wordList } from './format.ts';
import type { DepositAddress, DepositAddressesBody } from './types.ts';

function AddressCard({ address }: { address: DepositAddress }) {
  const network = networkName(address.network);
  return (
    <li className="deposit-card" data-testid={`deposit-${address.network}`}>
      <h3>{network} network</h3>
      <p className="deposit-takes">
        Send only <strong data-testid="deposit-assets">{wordList(address.assets)}</strong> on the {network} network to this address.
      </p>
      <p className="mono deposit-address" data-testid="deposit-address" translate="no">
        {address.address}
      </p>
      <CopyButton text={address.address} label={`Copy ${network} address`} />
      <QrImage value={address.address} alt={`QR code of your ${network} deposit address`} className="qr deposit-qr" />
    </li>
  );
}

export function Deposit() {
  const { data, error, reload } = useSecurityData<DepositAddressesBody>('/api/deposit-addresses');
  return (
    <section className="panel" aria-labelledby="deposit-heading" data-testid="deposit">
      <h2 id="deposit-heading">Deposit</h2>
      <p className="muted small">
        Each address belongs to one network and takes only the assets listed with it. Sending any other asset, or sending from another network, can
        lose it for good. A deposit appears under History once it is credited.
      </p>
      <LoadState what="your deposit addresses" loaded={data !== null} error={error} onRetry={reload} />
      {data && data.addresses.length === 0 ? <p>Deposits are not available yet.</p> : null}
      {data && data.addresses.length > 0 ? (
        <ul className="deposit-list">
          {data.addresses.map((address) => (
            <AddressCard key={address.network} address={address} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
