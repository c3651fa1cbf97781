/** One line of the history: when, what happened, what moved (+ in, − out) and the transaction id, if any. */
import type { Ref } from 'react';
import { When } from '../security/When.tsx';
import { isNegative, shortTxid, signedAmount } from './format.ts';
import type { HistoryEntry } from './types.ts';

interface HistoryItemProps {
  entry: HistoryEntry;
  /** The first entry of a page just added: focus moves there, so reading goes on in order. */
  focusable: boolean;
  itemRef?: Ref<HTMLLIElement>;
}

export function HistoryItem({ entry, focusable, itemRef }: HistoryItemProps) {
  return (
    <li ref={itemRef} tabIndex={focusable ? -1 : undefined} className="sc-item history-item" data-testid="history-entry" data-kind={entry.kind}>
      <div className="sc-item-head">
        <strong>{entry.title}</strong>
      </div>
      <p className="sc-when">
        <When iso={entry.at} />
      </p>
      {entry.movements.length > 0 ? (
        <ul className="movements" aria-label="Amounts">
          {entry.movements.map((movement, index) => (
            <li key={`${movement.asset}-${index}`} className={isNegative(movement.amount) ? 'movement movement-out' : 'movement movement-in'}>
              <span className="mono">{signedAmount(movement.amount)}</span> {movement.asset}
            </li>
          ))}
        </ul>
      ) : null}
      {entry.txid ? (
        <p className="small history-txid">
          Transaction{' '}
          <span className="mono" title={entry.txid} translate="no">
            {shortTxid(entry.txid)}
          </span>
        </p>
      ) : null}
    </li>
  );
}
