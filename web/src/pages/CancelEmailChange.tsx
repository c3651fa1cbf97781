/**
 * The "this wasn't me" link sent to the old address when the email address changes
 * (/email-change/cancel?token=…): asks first, then POST /api/me/email/cancel puts the old address
 * back and locks the account. Nothing happens on load (mail scanners open links); no sign-in needed.
 */
import { useState } from 'react';
import type { CancelEmailChangeBody, EmailChangeCancelledAnswer } from '../../../src/contracts/email-change.ts';
import { isApiError, post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { ErrorMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { UnlockSteps } from '../components/security/UnlockSteps.tsx';
import { useLinkAction } from '../components/security/useLinkAction.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import '../components/security/security.css';

const describe = (failure: unknown) =>
  isApiError(failure, 'invalid_token') ? 'This link has expired or was used already, so nothing was changed.' : errorMessage(failure);

export function CancelEmailChangePage() {
  const { clear } = useSession();
  const [reverted, setReverted] = useState(false);
  const { state, asking, act: cancel } = useLinkAction(
    async (token) => {
      const answer = await post<EmailChangeCancelledAnswer>('/api/me/email/cancel', { token } satisfies CancelEmailChangeBody);
      setReverted(answer.reverted);
      // Every session ended, this browser's too.
      clear();
    },
    'This link is incomplete. Open the link from the email again.',
    describe,
  );
  const title = state.kind === 'done' ? 'Email change cancelled' : state.kind === 'failed' ? 'The change was not cancelled' : 'Cancel the email change?';

  return (
    <Page title={title}>
      {asking ? (
        <>
          <p>
            Someone changed (or asked to change) the email address of your account. If it wasn't you, cancel it: we put your old address back and lock your
            account — every session ends, and you can unlock it later by signing in with your password and your passkey or authenticator app.
          </p>
          <p className="muted small">If you changed it yourself, you can ignore this page and the email.</p>
          <button type="button" className="button-danger button-block" onClick={() => void cancel()} aria-disabled={state.kind === 'working' ? true : undefined}>
            {state.kind === 'working' ? 'Cancelling…' : 'Cancel the change and lock my account'}
          </button>
        </>
      ) : null}
      {state.kind === 'done' ? (
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
      ) : null}
      {state.kind === 'failed' ? (
        <>
          <ErrorMessage>{state.message}</ErrorMessage>
          <p>If you still think someone else changed your email address, sign in and lock your account from your security settings.</p>
          <p className="links">
            <Link to="/login">Sign in</Link>
          </p>
        </>
      ) : null}
    </Page>
  );
}
