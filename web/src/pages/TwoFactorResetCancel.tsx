/**
 * "Cancel — this wasn't me" from any email about a 2FA reset request (/2fa-reset/cancel?token=…):
 * says what happens, then POST /api/auth/2fa-reset/cancel cancels the request and locks the account.
 * Nothing happens on load (mail scanners open links); no sign-in needed: the link is the proof.
 */
import { useState } from 'react';
import type { ResetCancelAnswer } from '../../../src/contracts/two-factor-reset.ts';
import { isApiError, post } from '../api.ts';
import { useSecurityDurations } from '../app-info.ts';
import { errorMessage } from '../errors.ts';
import { ErrorMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import '../components/security/security.css';
import { UnlockSteps } from '../components/security/UnlockSteps.tsx';
import { useLinkAction } from '../components/security/useLinkAction.ts';
import type { ResetCancelBody } from '../components/two-factor-reset/types.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

const describe = (failure: unknown) =>
  isApiError(failure, 'invalid_token') ? 'This link has expired or was used already, so nothing was changed.' : errorMessage(failure);

export function TwoFactorResetCancelPage() {
  const { cooldown } = useSecurityDurations();
  const { clear } = useSession();
  const [requestCancelled, setRequestCancelled] = useState(true);
  const { state, asking, act: cancel } = useLinkAction(
    async (token) => {
      const answer = await post<ResetCancelAnswer>('/api/auth/2fa-reset/cancel', { token } satisfies ResetCancelBody);
      setRequestCancelled(answer.requestCancelled);
      // The account is locked: every session ended, this browser's too.
      clear();
    },
    'This link is incomplete. Open the link from the email again.',
    describe,
  );
  const title = state.kind === 'done' ? 'Reset cancelled, account locked' : state.kind === 'failed' ? 'Nothing was cancelled' : 'Cancel the 2FA reset?';

  return (
    <Page title={title}>
      {asking ? (
        <>
          <p>
            Someone asked to reset the second factors of your Bastion account: once approved, it would remove your passkeys and authenticator app, so whoever
            asked could sign in with your password and set up their own. If it wasn't you, stop it now.
          </p>
          <ul className="next-steps">
            <li>The reset request is cancelled: your second factors stay as they are.</li>
            <li>Your account is locked: every session ends at once, and nobody can sign in, make withdrawals or change security settings.</li>
            <li>
              To unlock it: after {cooldown}, sign in with your password and your passkey or a code from your authenticator app — or contact support.
            </li>
          </ul>
          <p className="muted small">If you asked for the reset yourself, ignore this page: the button would stop your own request.</p>
          <button type="button" className="button-danger button-block" onClick={() => void cancel()} aria-disabled={state.kind === 'working' ? true : undefined}>
            {state.kind === 'working' ? 'Cancelling…' : 'Cancel the reset and lock my account'}
          </button>
        </>
      ) : null}
      {state.kind === 'done' ? (
        <div data-testid="reset-cancelled" data-request-cancelled={requestCancelled ? 'true' : 'false'}>
          <SuccessMessage>
            {requestCancelled
              ? 'The reset request is cancelled and your account is locked.'
              : 'The reset request had already closed (it was decided, cancelled or carried out), so there was nothing to cancel. Your account is locked all the same.'}
          </SuccessMessage>
          <h2>What happens next</h2>
          <ul className="next-steps">
            <li>Every session has ended, on every device. Nobody can sign in, make withdrawals or change security settings while it is locked.</li>
            <UnlockSteps />
            <li>If you have lost your second factor, or cannot unlock the account yourself, contact support.</li>
          </ul>
        </div>
      ) : null}
      {state.kind === 'failed' ? (
        <>
          <ErrorMessage>{state.message}</ErrorMessage>
          <p>If you still think someone else asked for the reset, use the link in a newer email about it, or contact support.</p>
          <p className="links">
            <Link to="/login">Sign in</Link>
          </p>
        </>
      ) : null}
    </Page>
  );
}
