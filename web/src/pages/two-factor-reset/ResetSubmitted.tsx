/** What the request page shows once the request is open (201): that we emailed every address on file, what happens next, and the status link. */
import type { ResetOpenedAnswer } from '../../../../src/contracts/two-factor-reset.ts';
import { useResetDurations } from '../../app-info.ts';
import { SuccessMessage } from '../../components/Messages.tsx';
import { localTime } from '../../components/security/format.ts';
import { resetStatusPath } from '../../components/two-factor-reset/words.ts';
import { Link } from '../../router.tsx';

export function ResetSubmitted({ answer }: { answer: ResetOpenedAnswer }) {
  const { delay, hold } = useResetDurations();
  return (
    <div data-testid="reset-submitted">
      <SuccessMessage>Your reset request is submitted ({localTime(answer.submittedAt)}).</SuccessMessage>
      <p>
        We emailed every address on file for your account about it. If someone else asked for this reset, the “cancel — this wasn't me” link in those emails
        stops it and locks the account.
      </p>
      <h2>What happens next</h2>
      <ol className="next-steps">
        {answer.kycSubmitted ? <li>Your identity documents are checked first: the request waits for that check.</li> : null}
        <li>Our team reviews the request: we compare your new selfie with your identity document.</li>
        <li>
          If it is approved, we wait {delay} before your second factors are removed. Until then, the link in our emails can still cancel it.
        </li>
        <li>
          Then sign in with your email and password and set up a new passkey or authenticator app. Withdrawals are held for {hold} after the
          reset.
        </li>
      </ol>
      <p>
        <Link to={resetStatusPath(answer.statusToken)} className="button-like">
          See where your request stands
        </Link>
      </p>
      <p className="muted small">Every email we send about the request has a link to its status too.</p>
    </div>
  );
}
