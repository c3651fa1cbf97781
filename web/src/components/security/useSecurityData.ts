/**
 * Loading one security-center list: the answer, a loading flag, an error, and `reload`. A session
 * that ended (401) or is restricted (403 enroll_2fa_required) leaves the page, as the rest of the app does.
 */
import { useCallback, useEffect, useState } from 'react';
import { get, isApiError } from '../../api.ts';
import { errorMessage } from '../../errors.ts';
import { navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';

/** Turns a failure into a message, or leaves the page when the session is gone (answering ''). */
export function useFailureHandler(): (failure: unknown) => string {
  const { clear } = useSession();
  return useCallback(
    (failure: unknown) => {
      if (isApiError(failure, 'not_authenticated')) {
        clear();
        navigate('/login', { replace: true });
        return '';
      }
      if (isApiError(failure, 'enroll_2fa_required')) {
        navigate('/enroll-2fa', { replace: true });
        return '';
      }
      if (isApiError(failure, 'terms_not_accepted')) {
        navigate('/accept-terms', { replace: true });
        return '';
      }
      return errorMessage(failure);
    },
    [clear],
  );
}

export interface Loaded<T> {
  data: T | null;
  loading: boolean;
  error: string;
  reload: () => void;
}

/** GET `path` on arrival, again on `reload()` and whenever `refreshKey` changes. */
export function useSecurityData<T>(path: string, refreshKey = 0): Loaded<T> {
  const describe = useFailureHandler();
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    get<T>(path).then(
      (answer) => {
        if (!current) return;
        setData(answer);
        setError('');
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(describe(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [path, refreshKey, attempt, describe]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, loading, error, reload };
}
