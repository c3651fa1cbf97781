/** After a sign-in, when the terms of service changed since the account last accepted them: read and accept before anything else. */
import { useEffect, useState, type FormEvent } from 'react';
import type { AcceptTermsBody } from '../../../src/contracts/me.ts';
import { post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { Checkbox, SubmitButton } from '../components/Fields.tsx';
import { ErrorMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { afterSignIn } from '../return-to.ts';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

export function AcceptTermsPage() {
  const { me, refresh } = useSession();
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    refresh().then(
      (answer) => {
        if (!answer) navigate('/login', { replace: true });
        else if (!answer.terms.mustAccept) navigate(answer.session.restricted ? '/enroll-2fa' : afterSignIn(), { replace: true });
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [refresh]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!me) return;
    if (!agreed) return setError('Please agree to the terms of service to continue.');
    setBusy(true);
    setError('');
    try {
      await post('/api/me/terms', { version: me.terms.currentVersion } satisfies AcceptTermsBody);
      const answer = await refresh();
      navigate(answer?.session.restricted ? '/enroll-2fa' : afterSignIn(), { replace: true });
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
      // The version changed again meanwhile: show the current one.
      void refresh();
    }
  };

  return (
    <Page title="Our terms of service have changed">
      <p>Before you continue, please read the current terms of service and accept them.</p>
      {me && (
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <p>
            <a href={me.terms.url} target="_blank" rel="noopener noreferrer">
              Read the terms of service
            </a>{' '}
            (version {me.terms.currentVersion})
          </p>
          <Checkbox label="I agree to the terms of service" checked={agreed} onCheckedChange={setAgreed} />
          <ErrorMessage>{error}</ErrorMessage>
          <SubmitButton busy={busy} label="Accept and continue" busyLabel="Saving…" className="button-block" />
        </form>
      )}
      {!me && <ErrorMessage>{error}</ErrorMessage>}
    </Page>
  );
}
