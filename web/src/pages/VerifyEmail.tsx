/** The link from the verification email: consumes the token on load. */
import { useState } from 'react';
import type { VerifyEmailBody } from '../../../src/contracts/registration.ts';
import { post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { StatusMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { LinkFailed } from '../components/security/LinkPage.tsx';
import { ResendVerification } from '../components/ResendVerification.tsx';
import { useOnce } from '../hooks.ts';
import { Link, useQueryParam } from '../router.tsx';

type State = { kind: 'working' } | { kind: 'verified' } | { kind: 'failed'; message: string };

export function VerifyEmailPage() {
  const token = useQueryParam('token');
  const [state, setState] = useState<State>(() =>
    token ? { kind: 'working' } : { kind: 'failed', message: 'This verification link is incomplete. Open the link from the email again, or ask for a new one.' },
  );

  useOnce(() => {
    if (!token) return;
    post('/api/auth/verify-email', { token } satisfies VerifyEmailBody).then(
      () => setState({ kind: 'verified' }),
      (failure: unknown) => setState({ kind: 'failed', message: errorMessage(failure) }),
    );
  });

  return (
    <Page title={state.kind === 'verified' ? 'Email verified' : state.kind === 'failed' ? 'Verification failed' : 'Verifying your email'}>
      {state.kind === 'working' ? <StatusMessage>Verifying your email address…</StatusMessage> : null}
      {state.kind === 'verified' ? (
        <>
          <SuccessMessage>Your email address is verified.</SuccessMessage>
          <p>
            <Link to="/login?verified=1" className="button-like">
              Sign in
            </Link>
          </p>
        </>
      ) : null}
      {state.kind === 'failed' ? (
        <LinkFailed message={state.message}>
          <section className="section">
            <h2>Get a new verification email</h2>
            <ResendVerification />
          </section>
        </LinkFailed>
      ) : null}
    </Page>
  );
}
