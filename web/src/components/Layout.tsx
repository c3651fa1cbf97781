/** The frame around every page: header (brand, the account's links, Sign out) and footer (Dev inbox in development). */
import { useEffect, useState, type ReactNode } from 'react';
import { isApiError, post } from '../api.ts';
import { loadAppInfo } from '../app-info.ts';
import { errorMessage } from '../errors.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorMessage } from './Messages.tsx';
import { ShieldMark } from './ShieldMark.tsx';

export function Layout({ children }: { children: ReactNode }) {
  return (
    <div className="app">
      <Header />
      <main id="main" className="main">
        {children}
      </main>
      <Footer />
    </div>
  );
}

function Header() {
  const { me, clear } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const signOut = async () => {
    setBusy(true);
    setError('');
    try {
      await post('/api/auth/logout');
    } catch (failure) {
      // An ended session is as good as signed out; anything else is worth saying.
      const ended = isApiError(failure) && failure.status === 401;
      if (!ended) {
        setBusy(false);
        setError(errorMessage(failure));
        return;
      }
    }
    setBusy(false);
    clear();
    navigate('/login');
  };

  return (
    <header className="header">
      <div className="header-inner">
        <Link to="/" className="brand">
          <ShieldMark />
          <span>Bastion</span>
        </Link>
        {me ? (
          <nav className="header-nav" aria-label="Account">
            {!me.session.restricted ? (
              <>
                <Link to="/dashboard">Dashboard</Link>
                <Link to="/security">Security</Link>
                {me.staffRole ? <Link to="/staff">Staff console</Link> : null}
              </>
            ) : null}
            <button type="button" className="button-secondary button-small" onClick={signOut} disabled={busy} aria-busy={busy}>
              {busy ? 'Signing out…' : 'Sign out'}
            </button>
          </nav>
        ) : null}
      </div>
      {error ? (
        <div className="header-error">
          <ErrorMessage>{error}</ErrorMessage>
        </div>
      ) : null}
    </header>
  );
}

/** A path on this site ("/dev/mail"), or null: the footer never links anywhere else. */
const sameSitePath = (value: unknown) => (typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : null);

function Footer() {
  const [devInbox, setDevInbox] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    loadAppInfo().then(
      (info) => {
        if (current) setDevInbox(sameSitePath(info.devInbox));
      },
      // The footer link is a convenience: without the answer there is simply no link.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);

  return (
    <footer className="footer">
      <p>Bastion keeps your account safe with two-factor authentication.</p>
      <p>
        <Link to="/wallet">DeFi Wallet</Link>
      </p>
      {devInbox ? (
        <p>
          <a href={devInbox}>Dev inbox</a>
        </p>
      ) : null}
    </footer>
  );
}
