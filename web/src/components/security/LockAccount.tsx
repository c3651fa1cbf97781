/**
 * "Lock my account" (freeze) from settings, for when the owner suspects someone else has access.
 * A confirmation step says what happens first; then POST /api/me/lock ends every session.
 */
import { useEffect, useRef, useState } from 'react';
import { post } from '../../api.ts';
import { navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { ErrorMessage } from '../Messages.tsx';
import { useFailureHandler } from './useSecurityData.ts';
import { useSecurityDurations } from '../../app-info.ts';

export function LockAccount() {
  const { cooldown } = useSecurityDurations();
  const describe = useFailureHandler();
  const { clear } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const lockButton = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);

  // Focus follows the step: to the question when it opens, back to the button when cancelled.
  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
    else if (opened.current) lockButton.current?.focus();
    if (confirming) opened.current = true;
  }, [confirming]);

  const lock = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await post('/api/me/lock');
      clear();
      navigate('/account-locked', { replace: true });
    } catch (failure) {
      setError(describe(failure));
      setBusy(false);
    }
  };

  return (
    <section className="panel panel-full panel-danger" aria-labelledby="lock-heading">
      <h2 id="lock-heading">Lock my account</h2>
      <p>If you think someone else has your password or your authenticator, lock your account now. You can unlock it yourself later.</p>
      {!confirming ? (
        <button ref={lockButton} type="button" className="button-danger" onClick={() => setConfirming(true)}>
          Lock my account
        </button>
      ) : (
        <div className="sc-confirm" role="group" aria-labelledby="lock-confirm-heading">
          <h3 id="lock-confirm-heading" ref={confirmHeading} tabIndex={-1}>
            Lock your account now?
          </h3>
          <ul>
            <li>Every session ends at once, including this one: you will be signed out here too.</li>
            <li>Nobody can sign in, make withdrawals or change security settings while it is locked.</li>
            <li>
              After {cooldown} you can unlock it: sign in with your password and your passkey or a code from your authenticator app, then confirm from the email
              we send you. Emailed and backup codes cannot unlock it.
            </li>
          </ul>
          <ErrorMessage>{error}</ErrorMessage>
          <div className="actions">
            <button type="button" className="button-danger" onClick={() => void lock()} aria-disabled={busy ? true : undefined}>
              {busy ? 'Locking…' : 'Yes, lock my account'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
