/**
 * Who is signed in, as far as the app knows: the last GET /api/me answer. Protected pages refresh
 * it on load; the header shows "Sign out" while it holds a user.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '../../src/contracts/me.ts';
import { get, isApiError } from './api.ts';
import { errorMessage } from './errors.ts';
import { navigate } from './router.tsx';

interface SessionValue {
  me: Me | null;
  /** GET /api/me: the user, or null when not signed in (other failures throw). */
  refresh: () => Promise<Me | null>;
  /** Forget the user (after sign-out or when the server says the session ended). */
  clear: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);

  const refresh = useCallback(async () => {
    try {
      const answer = await get<Me>('/api/me');
      setMe(answer);
      return answer;
    } catch (error) {
      if (isApiError(error, 'not_authenticated')) {
        setMe(null);
        return null;
      }
      throw error;
    }
  }, []);

  const clear = useCallback(() => setMe(null), []);
  const value = useMemo(() => ({ me, refresh, clear }), [me, refresh, clear]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

interface SignedIn {
  /** The signed-in user with a full (not restricted) session, once loaded. */
  me: Me | null;
  /** Why the account could not be loaded (not "not signed in", which redirects). */
  error: string;
  reload: () => void;
}

/**
 * For pages that need a full session: loads GET /api/me on arrival, sends visitors without a
 * session to /login, accounts that must accept new terms of service to /accept-terms, and
 * restricted sessions to /enroll-2fa.
 */
export function useSignedIn(): SignedIn {
  const { me, refresh } = useSession();
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    refresh().then(
      (answer) => {
        if (!current) return;
        if (!answer) navigate('/login', { replace: true });
        else if (answer.terms.mustAccept) navigate('/accept-terms', { replace: true });
        else if (answer.session.restricted) navigate('/enroll-2fa', { replace: true });
        else setError('');
      },
      (failure: unknown) => {
        if (current) setError(errorMessage(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [refresh, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { me: me && !me.session.restricted && !me.terms.mustAccept ? me : null, error, reload };
}
