/**
 * The "this wasn't me" link sent to the old address when the email address changes
 * (/email-change/cancel?token=…): asks first, then POST /api/me/email/cancel puts the old address
 * back and locks the account. Nothing happens on load (mail scanners open links); no sign-in needed.
 */
import { useState } from 'react';
import type { CancelEmailChangeBody, EmailChangeCancelledAnswer } from '../../../src/contracts/email-change.ts';
import { post } from '../api.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { LinkActionPage } from '../components/security/LinkPage.tsx';
import { UnlockSteps } from '../components/security/UnlockSteps.tsx';
import { useCancelLink } from '../components/security/useLinkAction.ts';
import '../components/security/security.css';

const cancelWith = (token: string) => post<EmailChangeCancelledAnswer>('/api/me/email/cancel', { token } satisfies CancelEmailChangeBody);

export function CancelEmailChangePage() {
  const [reverted, setReverted] = useState(false);
  const link = useCancelLink(cancelWith, (answer) => setReverted(answer.reverted));

  return (
    <LinkActionPage
      link={link}
      titles={{ ask: 'Cancel the email change?', done: 'Email change cancelled', failed: 'The change was not cancelled' }}
      question={
        <>
          <p>
            Someone changed (or asked to change) the email address of your account. If it wasn't you, cancel it: we put your old address back and lock your
            account — every session ends, and you can unlock it later by signing in with your password and your passkey or authenticator app.
          </p>
          <p className="muted small">If you changed it yourself, you can ignore this page and the email.</p>
        </>
      }
      button="Cancel the change and lock my account"
      working="Cancelling…"
      done={
        <>
          <SuccessMessage>The change is cancelled and your account is locked.</SuccessMessage>
          <h2>What happens next</h2>
          <ul className="next-steps">
            <li>
              {reverted ? 'Your old address is back on the account' : 'The change that was asked for is withdrawn; the account keeps its address'}, and every session
              has ended, on every device.
            </li>
            <li>Nobody can sign in, make withdrawals or change security settings while it is locked.</li>
            <UnlockSteps />
          </ul>
        </>
      }
      advice={<p>If you still think someone else changed your email address, sign in and lock your account from your security settings.</p>}
    />
  );
}
