/** One address of the address book: its label, where it stands, the asset and network, the whole address, and Remove (asked first). */
import { del } from '../../api.ts';
import { AskFirst, useAskFirst } from './AskFirst.tsx';
import { networkName } from './format.ts';
import type { AddressEntry } from './types.ts';
import { addressStatus } from './withdrawal-words.ts';

export function AddressItem({ entry, onRemoved }: { entry: AddressEntry; onRemoved: () => void }) {
  const status = addressStatus(entry);
  const remove = useAskFirst(async () => {
    await del(`/api/withdrawal-addresses/${encodeURIComponent(entry.id)}`);
    onRemoved();
  });

  return (
    <li className="sc-item address-item" data-testid="address-entry" data-status={entry.status}>
      <div className="sc-item-head">
        <strong className="wrap">{entry.label}</strong>
        <span className={`badge badge-${status.tone}`}>{status.badge}</span>
      </div>
      <p className="small address-asset">
        {entry.asset} on the {networkName(entry.network)} network
      </p>
      <p className="mono address-text" translate="no">
        {entry.address}
      </p>
      <p className="small" data-testid="address-status">
        {status.words}
      </p>
      <AskFirst ask={remove} button="Remove" buttonName={entry.label} question={`Remove “${entry.label}”?`} yes="Yes, remove it" working="Removing…" no="Keep it">
        <p>Withdrawals can no longer go to this address. Adding it again takes a new email confirmation and a new waiting period.</p>
      </AskFirst>
    </li>
  );
}
