/**
 * Signing in to another app with Bastion (/oidc/interaction/:uid, an OpenID Connect interaction):
 * shows which app asks. Not signed in to Bastion: the usual sign-in first (password or passkey, the
 * second factor, the new-device confirmation), then back here. Signed in: the sign-in is confirmed
 * at once, with a fresh passkey or authenticator code when the app asked for one; then the user
 * allows (once per app and set of permissions) or refuses what the app asks, and goes back to it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { InteractionAnswer, InteractionDetails } from '../../../src/contracts/oidc.ts';
import { get, post } from '../api.ts';
import { ErrorMessage, StatusMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { useStepUp } from '../components/StepUp.tsx';
import { scopeWords } from '../components/security/ConnectedApps.tsx';
import { errorMessage } from '../errors.ts';
import { navigate, useLocation } from '../router.tsx';
import { returnHereAfterSignIn } from '../return-to.ts';

const base = (uid: string) => `/oidc/interaction/${encodeURIComponent(uid)}`;
/** Back through the provider to the app: a whole-page navigation (the provider is not this app). */
const leave = (answer: InteractionAnswer) => window.location.assign(answer.redirectTo);

export function OidcInteractionPage() {
  const { pathname } = useLocation();
  const uid = pathname.split('/').at(-1) ?? '';
  const [details, setDetails] = useState<InteractionDetails | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const stepUp = useStepUp((failure) => setError(errorMessage(failure)));

  const signIn = useCallback(
    () =>
      stepUp.run(async () => {
        setBusy(true);
        try {
          leave(await post<InteractionAnswer>(`${base(uid)}/login`));
        } finally {
          setBusy(false);
        }
      }),
    [stepUp.run, uid],
  );

  useEffect(() => {
    let active = true;
    get<InteractionDetails>(`${base(uid)}/details`)
      .then((answer) => {
        if (!active) return;
        setDetails(answer);
        if (!answer.signedIn) {
          returnHereAfterSignIn(pathname);
          navigate('/login', { replace: true });
        } else if (answer.prompt === 'login') void signIn();
      })
      .catch((failure: unknown) => active && setError(errorMessage(failure)));
    return () => {
      active = false;
    };
    // Once per interaction (signIn changes with the step-up state).
  }, [uid]);

  const decide = async (allow: boolean) => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      leave(await post<InteractionAnswer>(`${base(uid)}/${allow ? 'consent' : 'abort'}`));
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  const app = details?.client.name ?? 'An app';
  if (error) {
    return (
      <Page title="App sign-in">
        <ErrorMessage>{error}</ErrorMessage>
      </Page>
    );
  }
  if (!details || !details.signedIn) return <Page title="App sign-in"><StatusMessage>Loading…</StatusMessage></Page>;
  if (details.prompt === 'login') {
    return (
      <Page title={`Sign in to ${app}`}>
        {stepUp.prompt ? (
          <>
            <p>{app} asks you to confirm it is you before it continues.</p>
            {stepUp.prompt}
          </>
        ) : (
          <StatusMessage>Signing you in to {app}…</StatusMessage>
        )}
      </Page>
    );
  }
  return (
    <Page title={`Allow ${app}?`} intro={<p>{app} wants to sign you in with your Bastion account and see:</p>}>
      <ul data-testid="requested-scopes">
        {details.scopes.map((scope) => (
          <li key={scope}>{scopeWords(scope)}</li>
        ))}
      </ul>
      <p className="muted small">You can revoke this at any time under Security → Connected apps.</p>
      <button type="button" className="button-block" onClick={() => void decide(true)} aria-disabled={busy ? true : undefined}>
        {busy ? 'Continuing…' : 'Allow'}
      </button>
      <button type="button" className="button-secondary button-block" onClick={() => void decide(false)} aria-disabled={busy ? true : undefined}>
        Cancel
      </button>
    </Page>
  );
}
