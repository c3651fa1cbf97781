/**
 * "Withdraw": whether the account may withdraw now (GET /api/withdrawals/availability) — when not,
 * why and until when, at the top, before anything is typed, and the form cannot be used — then the
 * withdraw form itself.
 */
import { Link } from '../../router.tsx';
import { StatusMessage } from '../Messages.tsx';
import { LoadState } from '../security/LoadState.tsx';
import type { Loaded } from '../security/useSecurityData.ts';
import type { AddressBookBody, AssetBalance, WithdrawalAvailability, WithdrawalsBody } from './types.ts';
import { readableTime } from './withdrawal-words.ts';
import { WithdrawForm } from './WithdrawForm.tsx';

interface WithdrawProps {
  assets: readonly AssetBalance[] | null;
  book: AddressBookBody | null;
  availability: Loaded<WithdrawalAvailability>;
  limit: WithdrawalsBody['limit'] | null;
  onRequested: () => void;
}

/** Why withdrawals are stopped, with its time in the reader's own time zone, and what to do about it. */
function WithdrawalsLocked({ availability }: { availability: WithdrawalAvailability }) {
  return (
    <div className="message message-error withdraw-locked" role="status" data-testid="withdrawals-locked">
      <p>
        <strong>{readableTime(availability.message ?? 'Withdrawals are stopped on this account.', availability.until)}</strong>
      </p>
      {availability.reason === 'kyc_required' ? (
        <p>
          <Link to="/kyc">Go to identity verification</Link>
        </p>
      ) : null}
    </div>
  );
}

export function Withdraw({ assets, book, availability, limit, onRequested }: WithdrawProps) {
  const state = availability.data;
  // Until the answer comes, the form waits; if it cannot be had, the server still refuses what it must.
  const disabled = state ? !state.allowed : !availability.error;
  return (
    <section className="panel withdraw" aria-labelledby="withdraw-heading" data-testid="withdraw">
      <h2 id="withdraw-heading">Withdraw</h2>
      <LoadState what="whether you can withdraw" loaded={state !== null} error={availability.error} onRetry={availability.reload} />
      {state && !state.allowed ? <WithdrawalsLocked availability={state} /> : null}
      <p className="muted small">
        Send funds from your balance to an address outside Bastion. We email you a link to confirm each withdrawal, and it is sent only once you have.
      </p>
      {assets === null || book === null ? (
        <StatusMessage>Loading your balances and address book…</StatusMessage>
      ) : (
        <WithdrawForm assets={assets} book={book} disabled={disabled} limit={limit} onRequested={onRequested} onLocked={availability.reload} />
      )}
    </section>
  );
}
