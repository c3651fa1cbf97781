/**
 * The link in "Confirm your withdrawal" (/confirm-withdrawal?token=…): says what confirming does,
 * and confirms only when the button is pressed (mail scanners open links). No sign-in needed: the
 * link is the proof of the inbox. It cannot show the withdrawal first (the link works once, and
 * only confirming reads it), so it points to the email for the amount and the address; once
 * confirmed it says what is queued for sending.
 */
import { useState } from 'react';
import { isApiError, post } from '../api.ts';
import type { WithdrawalEntry } from '../components/custody/types.ts';
import { formatAmount } from '../components/custody/format.ts';
import { readableTime } from '../components/custody/withdrawal-words.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { LinkActionPage } from '../components/security/LinkPage.tsx';
import '../components/security/security.css';
import { useLinkAction } from '../components/security/useLinkAction.ts';
import { errorMessage } from '../errors.ts';
import { Link } from '../router.tsx';

/** A lock, a security hold or whitelist-only that began since the request cancelled it: the server says why. */
function describeRefusal(failure: unknown): string {
  if (isApiError(failure, 'withdrawals_locked')) {
    return `This withdrawal was cancelled and its funds returned to your balance. ${readableTime(failure.message, failure.body.until)}`;
  }
  if (isApiError(failure, 'address_not_whitelisted')) return `${failure.message} Its funds returned to your balance.`;
  return errorMessage(failure);
}

export function ConfirmWithdrawalPage() {
  const [entry, setEntry] = useState<WithdrawalEntry | null>(null);
  const link = useLinkAction(
    async (token) => setEntry(await post<WithdrawalEntry>('/api/withdrawals/confirm', { token })),
    'This link is incomplete: open the whole link from the email.',
    describeRefusal,
  );

  return (
    <LinkActionPage
      link={link}
      titles={{ ask: 'Confirm this withdrawal?', done: 'Withdrawal confirmed', failed: 'Nothing was confirmed' }}
      question={
        <>
          <p>
            Someone signed in to your account asked to withdraw funds. The email with this link says how much and to which address: check every character of the
            address there first. This page can show them only once you confirm, since the link works once.
          </p>
          <ul className="next-steps">
            <li>Once confirmed, the withdrawal is queued for sending. You can still cancel it from your dashboard until it is taken to be sent.</li>
            <li>
              If you did not ask for this, do not confirm: the link expires, and the funds return to your balance. Change your password, and lock your account from
              the link in any of our emails.
            </li>
          </ul>
        </>
      }
      button="Confirm this withdrawal"
      working="Confirming…"
      done={
        entry ? (
          <div data-testid="withdrawal-confirmed">
            <SuccessMessage>
              {formatAmount(entry.amount)} {entry.asset} to <span className="mono">{entry.address}</span> is queued for sending.
            </SuccessMessage>
            <p className="small">
              {entry.label ? `To “${entry.label}” from your address book. ` : ''}A fee of {formatAmount(entry.fee)} {entry.asset} is added. We email you when it is
              sent.
            </p>
            <p className="links">
              <Link to="/dashboard">Go to your dashboard</Link>
            </p>
          </div>
        ) : null
      }
      advice={<p>Ask for the withdrawal again from your dashboard to get a new link, or contact support if you did not ask for it.</p>}
    />
  );
}
