/**
 * Where a reset request stands, as its status page shows it: the status in words (an approval with
 * the time it takes effect), what it means and what the owner can do, the reviewer's reason for a
 * rejection, the request's times, and how to look again.
 */
import type { ResetStatusBody } from '../../../../src/contracts/two-factor-reset.ts';
import { useResetDurations } from '../../app-info.ts';
import { Fact, TimeFact } from '../../components/security/Fact.tsx';
import { localTime } from '../../components/security/format.ts';
import { RESET_PROGRESS_WORDS, resetRequestPath } from '../../components/two-factor-reset/words.ts';
import { Link } from '../../router.tsx';

function statusWords(body: ResetStatusBody): string {
  if (body.status === 'approved' && body.effectiveAt) return `Approved — takes effect at ${localTime(body.effectiveAt)}`;
  return RESET_PROGRESS_WORDS[body.status];
}

/** What the status means, and what the owner can do now. */
function Meaning({ body }: { body: ResetStatusBody }) {
  const { delay, hold } = useResetDurations();
  switch (body.status) {
    case 'submitted':
      return <p>Your request is waiting for our team. We compare your new selfie with your identity document, and email you when it is decided.</p>;
    case 'in_review':
      return <p>A member of our team is looking at your request now. We email you when it is decided.</p>;
    case 'approved':
      return (
        <ul className="next-steps">
          <li>
            Your second factors are removed {body.effectiveAt ? `at ${localTime(body.effectiveAt)}` : `after a wait of ${delay}`}. Then sign in with your
            email and password and set up a new passkey or authenticator app.
          </li>
          <li>Until then, the reset can still be cancelled from the “cancel — this wasn't me” link in our emails.</li>
          <li>Signing in with a factor you still have does not cancel the reset.</li>
          <li>Withdrawals are held for {hold} after the reset.</li>
        </ul>
      );
    case 'rejected':
      return (
        <>
          <p>We could not approve the reset. Your second factors stay as they are.</p>
          {body.reason ? (
            <div className="kyc-message" data-testid="reset-reason">
              <h2>Message from the reviewer</h2>
              <p className="wrap">{body.reason}</p>
            </div>
          ) : null}
          <p>
            <Link to={resetRequestPath(body.email)}>Request a new reset</Link>
          </p>
        </>
      );
    case 'cancelled':
      return (
        <>
          <p>The request was cancelled, so your second factors were not changed.</p>
          <p>
            If you still need a reset, <Link to={resetRequestPath(body.email)}>request a new one</Link>.
          </p>
        </>
      );
    case 'completed':
      return (
        <>
          <p>
            Sign in with your email and password: you will be asked to set up a new passkey or authenticator app first. Withdrawals are held for{' '}
            {hold} after the reset.
          </p>
          <p>
            <Link to="/login" className="button-like">
              Sign in
            </Link>
          </p>
        </>
      );
  }
}

export function ResetProgressView({ body }: { body: ResetStatusBody }) {
  return (
    <div className="reset-progress">
      <p className="kyc-status-line">
        Status:{' '}
        <strong data-testid="reset-status" data-status={body.status}>
          {statusWords(body)}
        </strong>
      </p>
      <Meaning body={body} />
      <dl className="summary">
        <Fact label="Account" className="wrap">
          {body.email}
        </Fact>
        <TimeFact label="Submitted" iso={body.submittedAt} as="local" />
        <TimeFact label="Decided" iso={body.decidedAt} as="local" />
        <TimeFact label={body.status === 'completed' ? 'Carried out' : 'Takes effect'} iso={body.effectiveAt} as="local" />
        <TimeFact label="Cancelled" iso={body.cancelledAt} as="local" />
      </dl>
      <p className="muted small">
        To look again, reload this page before {localTime(body.nextTokenExpiresAt)}, or open the link in our newest email about the request.
      </p>
    </div>
  );
}
