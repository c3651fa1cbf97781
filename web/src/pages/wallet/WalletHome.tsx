/** The unlocked wallet: addresses with QR codes, balance and network, message signing, transfers, removal. */
import { useState } from 'react';
import { CopyButton } from '../../components/CopyButton.tsx';
import { SuccessMessage } from '../../components/Messages.tsx';
import { QrImage } from '../../components/QrImage.tsx';
import { loadRpcUrl, saveRpcUrl } from '../../wallet/rpc.ts';
import type { UnlockedWallet } from '../../wallet/unlocked.ts';
import { Balance, RpcSettings } from './Network.tsx';
import { RemoveWallet } from './RemoveWallet.tsx';
import { SignMessage } from './SignMessage.tsx';
import { Transfer } from './Transfer.tsx';

interface Props {
  wallet: UnlockedWallet;
  notice: string;
  onLock: () => void;
  onRemoved: () => void;
}

export function WalletHome({ wallet, notice, onLock, onRemoved }: Props) {
  const [rpcUrl, setRpcUrl] = useState(loadRpcUrl);
  const [balanceKey, setBalanceKey] = useState(0);

  const changeRpcUrl = (url: string) => {
    saveRpcUrl(url);
    setRpcUrl(url);
  };

  return (
    <>
      <SuccessMessage>{notice}</SuccessMessage>
      <div className="actions">
        <button type="button" className="button-secondary" onClick={onLock}>
          Lock wallet
        </button>
      </div>

      <div className="grid wallet-section">
        <section className="panel" aria-labelledby="wallet-eth">
          <h2 id="wallet-eth">Ethereum and Cronos</h2>
          <p className="mono wallet-address" data-testid="eth-address" translate="no">
            {wallet.eth.address}
          </p>
          <QrImage className="qr wallet-qr" value={wallet.eth.address} alt="QR code of your Ethereum address" />
          <CopyButton text={wallet.eth.address} label="Copy Ethereum address" />
          <p className="small muted">
            The same address on Ethereum, Cronos and other EVM networks. Path <span className="mono">{wallet.eth.path}</span>.
          </p>
        </section>
        <section className="panel" aria-labelledby="wallet-btc">
          <h2 id="wallet-btc">Bitcoin</h2>
          <p className="mono wallet-address" data-testid="btc-address" translate="no">
            {wallet.btc.address}
          </p>
          <QrImage className="qr wallet-qr" value={wallet.btc.address} alt="QR code of your Bitcoin address" />
          <CopyButton text={wallet.btc.address} label="Copy Bitcoin address" />
          <p className="small muted">
            Native SegWit (bech32). Path <span className="mono">{wallet.btc.path}</span>.
          </p>
        </section>
      </div>

      <div className="grid wallet-section">
        <section className="panel" aria-labelledby="wallet-network">
          <h2 id="wallet-network">Balance and network</h2>
          {rpcUrl ? <Balance url={rpcUrl} address={wallet.eth.address} refreshKey={balanceKey} /> : null}
          <RpcSettings url={rpcUrl} onChange={changeRpcUrl} />
        </section>
        <section className="panel" aria-labelledby="wallet-sign">
          <h2 id="wallet-sign">Sign a message</h2>
          <SignMessage wallet={wallet} />
        </section>
      </div>

      <section className="panel wallet-section" aria-labelledby="wallet-send">
        <h2 id="wallet-send">Send</h2>
        <p className="muted">
          Build and sign an EIP-1559 transfer here, in your browser. Check the address and the network: a sent transaction cannot be undone.
        </p>
        <Transfer wallet={wallet} rpcUrl={rpcUrl} onBroadcast={() => setBalanceKey((n) => n + 1)} />
      </section>

      <section className="panel wallet-section" aria-labelledby="wallet-remove">
        <h2 id="wallet-remove">Remove wallet from this device</h2>
        <p className="muted">Deletes the encrypted wallet from this browser. Your recovery phrase is the only way back to the funds.</p>
        <RemoveWallet onRemoved={onRemoved} />
      </section>
    </>
  );
}
