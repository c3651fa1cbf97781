/**
 * The link from "Confirm a sign-in from a new device" (/confirm-device?token=…): confirms on load.
 * In the browser that is signing in, that completes the sign-in; anywhere else, the browser that is
 * signing in notices (it polls) and continues by itself.
 */
import { useState } from 'react';
import type { ConfirmDeviceAnswer, ConfirmDeviceBody } from '../../../src/contracts/login.ts';
import { post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { StatusMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { LinkFailed } from '../components/security/LinkPage.tsx';
import { useOnce } from '../hooks.ts';
import { navigate, useQueryParam } from '../router.tsx';
import { useSession } from '../session.tsx';
import '../components/security/security.css';

type State = { kind: 'working' } | { kind: 'confirmed' } | { kind: 'failed'; message: string };

export function ConfirmDevicePage() {
  const token = useQueryParam('token');
  const { refresh } = useSession();
  const [state, setState] = useState<State>(() =>
    token ? { kind: 'working' } : { kind: 'failed', message: 'This confirmation link is incomplete. Open the link from the email again.' },
  );

  useOnce(() => {
    if (!token) return;
    post<ConfirmDeviceAnswer>('/api/auth/login/confirm-device', { token } satisfies ConfirmDeviceBody).then(
      async (answer) => {
        if ('user' in answer) {
          await refresh().catch(() => null);
          navigate('/dashboard', { replace: true });
        } else {
          setState({ kind: 'confirmed' });
        }
      },
      (failure: unknown) => setState({ kind: 'failed', message: errorMessage(failure) }),
    );
  });

  const title = state.kind === 'confirmed' ? 'Device confirmed' : state.kind === 'failed' ? 'Device not confirmed' : 'Confirming the device';

  return (
    <Page title={title}>
      {state.kind === 'working' ? <StatusMessage>Confirming the sign-in…</StatusMessage> : null}
      {state.kind === 'confirmed' ? (
        <>
          <SuccessMessage>Device confirmed. Go back to the browser where you were signing in; it will continue by itself.</SuccessMessage>
          <p className="muted">
            If you were not signing in, someone else has your password and authenticator: use “Lock my account” in the same email at once.
          </p>
        </>
      ) : null}
      {state.kind === 'failed' ? (
        <LinkFailed message={state.message}>
          <p>Links work once and for 20 minutes. Sign in again to get a new email, or enter the code from the email where you are signing in.</p>
        </LinkFailed>
      ) : null}
    </Page>
  );
}
