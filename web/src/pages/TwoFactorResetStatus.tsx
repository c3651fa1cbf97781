/**
 * Where a 2FA reset request stands (/2fa-reset/status?token=…), from a link in our emails or the
 * request page. No sign-in. The token works once: the page asks once per visit (useOnce, also under
 * React's double effects) and at once puts the answer's next token in the address, so a reload works.
 */
import { useState } from 'react';
import type { ResetStatusBody } from '../../../src/contracts/two-factor-reset.ts';
import { get, isApiError } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { useOnce } from '../hooks.ts';
import { ErrorMessage, StatusMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import '../components/kyc/kyc.css';
import '../components/security/security.css';
import '../components/two-factor-reset/reset.css';
import { resetStatusPath } from '../components/two-factor-reset/words.ts';
import { Link, navigate, useQueryParam } from '../router.tsx';
import { ResetProgressView } from './two-factor-reset/ResetProgressView.tsx';

type State =
  | { kind: 'loading' }
  | { kind: 'loaded'; body: ResetStatusBody }
  /** `spent`: the link was used already or has expired (nothing to try again). */
  | { kind: 'failed'; message: string; spent: boolean };

const SPENT =
  'This link was used already or has expired: each link to this page works once. Every email we send about your request carries a fresh link — open the newest one.';

export function TwoFactorResetStatusPage() {
  const token = useQueryParam('token');
  const [state, setState] = useState<State>(() =>
    token ? { kind: 'loading' } : { kind: 'failed', message: 'This link is incomplete. Open the link from the email again.', spent: true },
  );

  /** Asks with the token in the address now (the one that came, until an answer replaces it). */
  const load = () => {
    const current = new URLSearchParams(window.location.search).get('token') ?? '';
    if (!current) return;
    setState({ kind: 'loading' });
    get<ResetStatusBody>(`/api/auth/2fa-reset/status?token=${encodeURIComponent(current)}`).then(
      (body) => {
        // This token is used up: the address takes the next one, so reloading the page works.
        navigate(resetStatusPath(body.nextToken), { replace: true });
        setState({ kind: 'loaded', body });
      },
      (failure: unknown) => {
        const spent = isApiError(failure, 'invalid_token');
        setState({ kind: 'failed', message: spent ? SPENT : errorMessage(failure), spent });
      },
    );
  };

  useOnce(load);

  const title = state.kind === 'failed' && state.spent ? (token ? 'Link used or expired' : 'Link incomplete') : 'Your 2FA reset request';

  return (
    <Page title={title}>
      {state.kind === 'loading' ? <StatusMessage>Looking up your request…</StatusMessage> : null}
      {state.kind === 'loaded' ? <ResetProgressView body={state.body} /> : null}
      {state.kind === 'failed' ? (
        <div data-testid="reset-status-error">
          <ErrorMessage>{state.message}</ErrorMessage>
          {!state.spent ? (
            <button type="button" className="button-secondary" onClick={load}>
              Try again
            </button>
          ) : null}
        </div>
      ) : null}
      <p className="links">
        <Link to="/login">Sign in</Link>
      </p>
    </Page>
  );
}
