/** "/": the dashboard when signed in, else the sign-in page. */
import { useEffect, useState } from 'react';
import { errorMessage } from '../errors.ts';
import { ErrorMessage, StatusMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

export function HomePage() {
  const { refresh } = useSession();
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    refresh().then(
      (me) => {
        if (current) navigate(me ? '/dashboard' : '/login', { replace: true });
      },
      (failure: unknown) => {
        if (current) setError(errorMessage(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [refresh, attempt]);

  return (
    <Page title="Bastion">
      {error ? (
        <>
          <ErrorMessage>{error}</ErrorMessage>
          <button type="button" onClick={() => (setError(''), setAttempt((n) => n + 1))}>
            Try again
          </button>
        </>
      ) : (
        <StatusMessage>Loading…</StatusMessage>
      )}
    </Page>
  );
}
