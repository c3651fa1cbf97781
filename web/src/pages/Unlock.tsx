/** The unlock link from the "account locked" email: consumes the token on load. */
import { useState } from 'react';
import type { UnlockBody } from '../../../src/contracts/recovery.ts';
import { post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { ErrorMessage, StatusMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { useOnce } from '../hooks.ts';
import { Link, useQueryParam } from '../router.tsx';

type State = { kind: 'working' } | { kind: 'unlocked' } | { kind: 'failed'; message: string };

export function UnlockPage() {
  const token = useQueryParam('token');
  const [state, setState] = useState<State>(() =>
    token ? { kind: 'working' } : { kind: 'failed', message: 'This unlock link is incomplete. Open the link from the email again.' },
  );

  useOnce(() => {
    if (!token) return;
    post('/api/auth/unlock', { token } satisfies UnlockBody).then(
      () => setState({ kind: 'unlocked' }),
      (failure: unknown) => setState({ kind: 'failed', message: errorMessage(failure) }),
    );
  });

  return (
    <Page title={state.kind === 'unlocked' ? 'Account unlocked' : state.kind === 'failed' ? 'Unlock failed' : 'Unlocking your account'}>
      {state.kind === 'working' ? <StatusMessage>Unlocking your account…</StatusMessage> : null}
      {state.kind === 'unlocked' ? (
        <>
          <SuccessMessage>Your account is unlocked. If you did not cause the lock, reset your password after you sign in.</SuccessMessage>
          <p>
            <Link to="/login?unlocked=1" className="button-like">
              Sign in
            </Link>
          </p>
        </>
      ) : null}
      {state.kind === 'failed' ? (
        <>
          <ErrorMessage>{state.message}</ErrorMessage>
          <p className="links">
            <Link to="/login">Sign in</Link>
            <Link to="/forgot-password">Forgot password?</Link>
          </p>
        </>
      ) : null}
    </Page>
  );
}
