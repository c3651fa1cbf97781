/**
 * Sign-in, step 2: "I lost access to my second factor". Self-service first — a backup code, another
 * passkey, the authenticator app, whichever this sign-in offers (a button switches to it), then
 * replacing the lost one from Security settings — and only then the 2FA reset request, with what it
 * involves.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useResetDurations } from '../../app-info.ts';
import type { Factor } from '../../components/factors/factors.ts';
import { focusSoon } from '../../components/security/focus.ts';
import '../../components/two-factor-reset/reset.css';
import { resetInvolves, resetRequestPath } from '../../components/two-factor-reset/words.ts';
import { Link } from '../../router.tsx';

/** Each way in that may still work, and its button: a backup code first, as the one most often kept. */
const WAYS: { method: Factor; what: string; use: string }[] = [
  { method: 'backup_code', what: 'A backup code: one of the codes you saved when you set up two-factor authentication. Each one works once.', use: 'Use a backup code' },
  { method: 'passkey', what: 'Another passkey: one on another phone or computer, or a security key you added.', use: 'Use a passkey' },
  { method: 'totp', what: 'Your authenticator app, if you still have it on another device.', use: 'Use your authenticator app' },
  { method: 'email_code', what: 'A code sent to your email address.', use: 'Use a code by email' },
];

interface Props {
  /** The email typed in step 1, for the reset request. */
  email: string;
  /** The methods this sign-in offers, and the one chosen now. */
  methods: readonly Factor[];
  current: Factor;
  /** Switches the step to `method`. */
  onUse: (method: Factor) => void;
}

export function LostFactorHelp({ email, methods, current, onUse }: Props) {
  const durations = useResetDurations();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ways = WAYS.filter((way) => methods.includes(way.method));

  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);

  const use = (method: Factor) => {
    onUse(method);
    setOpen(false);
    // The step focuses its code field for a code; otherwise reading carries on from this button.
    focusSoon(() => toggle.current);
  };

  return (
    <div className="lost-factor-help">
      <p>
        <button ref={toggle} type="button" className="button-link" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((was) => !was)}>
          I lost access to my second factor
        </button>
      </p>
      {open ? (
        <section id={panelId} className="lost-factor" aria-labelledby={`${panelId}-heading`} data-testid="lost-factor-help">
          <h3 id={`${panelId}-heading`} ref={heading} tabIndex={-1}>
            Lost your phone or security key?
          </h3>
          {ways.length > 0 ? (
            <>
              <p>First try another way your account has. It works at once, with no review or wait:</p>
              <ul className="lost-factor-ways" data-testid="lost-factor-ways">
                {ways.map((way) => (
                  <li key={way.method} data-method={way.method}>
                    <p>{way.what}</p>
                    {way.method === current ? (
                      <p className="small muted">This is the way chosen above.</p>
                    ) : (
                      <button type="button" className="button-secondary button-small" onClick={() => use(way.method)}>
                        {way.use}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p>
            Once you are signed in, open <strong>Security settings</strong> and replace the lost one at once: add a new passkey or authenticator app, then
            remove the one you lost.
          </p>
          <div className="lost-factor-reset">
            <p>
              None of these? <Link to={resetRequestPath(email)}>Request a 2FA reset</Link>
            </p>
            <p className="small muted">{resetInvolves(durations)}</p>
          </div>
        </section>
      ) : null}
    </div>
  );
}
