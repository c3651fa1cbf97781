/**
 * One withdrawal: how much of what, where to, where it stands in words, the fee and what was held,
 * the whole address and transaction id, and Cancel (asked first) while it is not sent yet
 * (DELETE /api/withdrawals/{id}: the amount and its fee return).
 */
import { useRef, useState } from 'react';
import { del, isApiError } from '../../api.ts';
import { Fact } from '../security/Fact.tsx';
import { focusSoon } from '../security/focus.ts';
import { When } from '../security/When.tsx';
import { AskFirst, useAskFirst } from './AskFirst.tsx';
import { formatAmount, formatUsd } from './format.ts';
import type { EntryFocus } from './PagedList.tsx';
import type { WithdrawalEntry } from './types.ts';
import { cancellable, destinationWords, statusTone, withdrawalStatusWords } from './withdrawal-words.ts';

interface WithdrawalItemProps extends EntryFocus {
  entry: WithdrawalEntry;
  /** It was cancelled (or turned out not to be cancellable any more): balances and lists load again. */
  onChanged: () => void;
}

export function WithdrawalItem({ entry: listed, focusable, itemRef, onChanged }: WithdrawalItemProps) {
  // The answer to Cancel, until the list has loaded again (a cancelled withdrawal stays cancelled).
  const [cancelled, setCancelled] = useState<WithdrawalEntry | null>(null);
  const entry = cancelled ?? listed;
  const status = useRef<HTMLParagraphElement>(null);
  const amount = `${formatAmount(entry.amount)} ${entry.asset}`;

  const cancel = useAskFirst(async () => {
    try {
      setCancelled(await del<WithdrawalEntry>(`/api/withdrawals/${encodeURIComponent(entry.id)}`));
      // The Cancel button is gone: reading goes on at the new status.
      focusSoon(() => status.current, true);
    } catch (failure) {
      if (isApiError(failure, 'withdrawal_not_cancellable')) onChanged();
      throw failure;
    }
    onChanged();
  });

  return (
    <li ref={itemRef} tabIndex={focusable ? -1 : undefined} className="sc-item withdrawal-item" data-testid="withdrawal" data-status={entry.status}>
      <div className="sc-item-head">
        <strong className="wrap">
          {amount} to {destinationWords(entry)}
        </strong>
      </div>
      <p className={`withdrawal-status withdrawal-${statusTone(entry)}`} data-testid="withdrawal-status" ref={status} tabIndex={-1}>
        {withdrawalStatusWords(entry)}
      </p>
      <dl className="sc-facts">
        <Fact label="Requested">
          <When iso={entry.createdAt} />
        </Fact>
        <Fact label="Fee" className="mono">
          {formatAmount(entry.fee)} {entry.asset}
        </Fact>
        <Fact label="Amount and fee" className="mono">
          {formatAmount(entry.total)} {entry.asset}
        </Fact>
        <Fact label="Value at request">{formatUsd(entry.usdValue)}</Fact>
      </dl>
      <p className="small withdrawal-detail">
        <span className="muted">Address: </span>
        <span className="mono" translate="no">
          {entry.address}
        </span>
      </p>
      {entry.txid ? (
        <p className="small withdrawal-detail">
          <span className="muted">Transaction: </span>
          <span className="mono" translate="no" data-testid="withdrawal-txid">
            {entry.txid}
          </span>
        </p>
      ) : null}
      {cancellable(entry) ? (
        <AskFirst
          ask={cancel}
          button="Cancel"
          buttonName={`the withdrawal of ${amount}`}
          question={`Cancel the withdrawal of ${amount}?`}
          yes="Yes, cancel it"
          working="Cancelling…"
          no="Keep it"
        >
          <p>It will not be sent, and the amount and its fee return to your available balance.</p>
        </AskFirst>
      ) : null}
    </li>
  );
}
