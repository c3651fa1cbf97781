/**
 * Security settings: two-factor methods (passkeys, the authenticator app, new backup codes), the
 * password, the email address, and the security center (anti-phishing code, sessions, known devices,
 * login activity, security history, locking the account). Sensitive actions ask for a fresh
 * authenticator code when the server wants one.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ChangePasswordBody } from '../../../src/contracts/me.ts';
import type { BackupCodesAnswer } from '../../../src/contracts/two-factor.ts';
import { ApiError, isApiError, post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { BackupCodes } from '../components/BackupCodes.tsx';
import { PasswordField, SubmitButton } from '../components/Fields.tsx';
import { ErrorMessage, StatusMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { useStepUp } from '../components/StepUp.tsx';
import { StrengthMeter } from '../components/StrengthMeter.tsx';
import { AntiPhishing } from '../components/security/AntiPhishing.tsx';
import { ConnectedApps } from '../components/security/ConnectedApps.tsx';
import { Devices } from '../components/security/Devices.tsx';
import { EmailAddress } from '../components/security/EmailAddress.tsx';
import { LockAccount } from '../components/security/LockAccount.tsx';
import { LoginActivity } from '../components/security/LoginActivity.tsx';
import { Passkeys } from '../components/security/Passkeys.tsx';
import { SecurityHistory } from '../components/security/SecurityHistory.tsx';
import { Sessions } from '../components/security/Sessions.tsx';
import '../components/security/security.css';
import { Link, navigate } from '../router.tsx';
import { useSession, useSignedIn } from '../session.tsx';

type Section = 'two-factor' | 'password';

export function SecurityPage() {
  const { me, error: loadError, reload } = useSignedIn();
  const { refresh, clear } = useSession();
  const [errors, setErrors] = useState<Record<Section, string>>({ 'two-factor': '', password: '' });
  const [codes, setCodes] = useState<string[] | null>(null);
  const [generating, setGenerating] = useState(false);
  const [opening, setOpening] = useState(false);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [changing, setChanging] = useState(false);
  const [changed, setChanged] = useState(false);
  /** Bumped after every change, so the lists (sessions, devices, history…) load again. */
  const [changes, setChanges] = useState(0);
  const onChanged = useCallback(() => {
    setChanges((n) => n + 1);
    void refresh().catch(() => null);
  }, [refresh]);

  // Arriving at /security#anti-phishing (from the dashboard checklist): go to that section once loaded.
  const jumped = useRef(false);
  useEffect(() => {
    if (!me || jumped.current) return;
    jumped.current = true;
    const target = window.location.hash.slice(1);
    const section = target ? document.getElementById(target) : null;
    if (!section) return;
    section.scrollIntoView();
    section.querySelector<HTMLElement>('h2[tabindex]')?.focus();
  }, [me]);

  const report = useCallback(
    (section: Section, failure: unknown) => {
      if (isApiError(failure, 'not_authenticated')) {
        clear();
        navigate('/login', { replace: true });
        return;
      }
      if (isApiError(failure, 'enroll_2fa_required')) {
        navigate('/enroll-2fa', { replace: true });
        return;
      }
      if (isApiError(failure, 'terms_not_accepted')) {
        navigate('/accept-terms', { replace: true });
        return;
      }
      const message =
        section === 'password' && isApiError(failure, 'invalid_credentials') ? 'Your current password is not right.' : errorMessage(failure);
      setErrors((all) => ({ ...all, [section]: message }));
    },
    [clear],
  );

  /** Lets step_up_required through (the prompt handles it); reports everything else in its section. */
  const guarded = (section: Section, action: () => Promise<void>) => async () => {
    setErrors((all) => ({ ...all, [section]: '' }));
    try {
      await action();
    } catch (failure) {
      if (isApiError(failure, 'step_up_required')) throw failure;
      report(section, failure);
    }
  };

  const stepUp = useStepUp(useCallback((failure: unknown) => report('two-factor', failure), [report]));

  const replaceAuthenticator = () =>
    stepUp.run(
      guarded('two-factor', async () => {
        setOpening(true);
        try {
          const latest = await refresh();
          if (!latest) throw new ApiError(401, 'not_authenticated', 'Not signed in.');
          if (!latest.session.stepUpFresh) {
            throw new ApiError(403, 'step_up_required', 'Step-up needed.', { stepUp: { methods: latest.security.twoFactor.methods } });
          }
          navigate('/enroll-2fa');
        } finally {
          setOpening(false);
        }
      }),
    );

  const generateCodes = () =>
    stepUp.run(
      guarded('two-factor', async () => {
        setGenerating(true);
        setCodes(null);
        try {
          const answer = await post<BackupCodesAnswer>('/api/me/2fa/backup-codes');
          setCodes(answer.backupCodes);
          setChanges((n) => n + 1);
          await refresh().catch(() => null);
        } finally {
          setGenerating(false);
        }
      }),
    );

  const changePassword = (event: FormEvent) => {
    event.preventDefault();
    setChanged(false);
    if (!currentPassword || !newPassword) {
      setErrors((all) => ({ ...all, password: !currentPassword ? 'Enter your current password.' : 'Choose a new password.' }));
      return;
    }
    const body: ChangePasswordBody = { currentPassword, newPassword };
    void stepUp.run(
      guarded('password', async () => {
        setChanging(true);
        try {
          await post('/api/me/password', body);
          setChanged(true);
          setCurrentPassword('');
          setNewPassword('');
          setChanges((n) => n + 1);
          await refresh().catch(() => null);
        } finally {
          setChanging(false);
        }
      }),
    );
  };

  if (!me) {
    return (
      <Page title="Security settings" wide>
        {loadError ? (
          <>
            <ErrorMessage>{loadError}</ErrorMessage>
            <button type="button" onClick={reload}>
              Try again
            </button>
          </>
        ) : (
          <StatusMessage>Loading your security settings…</StatusMessage>
        )}
      </Page>
    );
  }

  const { twoFactor } = me.security;
  const totpOn = twoFactor.methods.includes('totp');
  const passkeyCount = me.security.passkeys?.count;

  return (
    <Page title="Security settings" wide>
      {stepUp.prompt}
      <div className="grid">
        <section className="panel">
          <h2>Two-factor authentication</h2>
          <dl className="summary">
            <div>
              <dt>Authenticator app</dt>
              <dd>{totpOn ? 'On' : 'Off'}</dd>
            </div>
            {passkeyCount !== undefined ? (
              <div>
                <dt>Passkeys</dt>
                <dd>
                  <a href="#passkeys">{passkeyCount === 0 ? 'None' : `${passkeyCount} ${passkeyCount === 1 ? 'passkey' : 'passkeys'}`}</a>
                </dd>
              </div>
            ) : null}
            <div>
              <dt>Backup codes</dt>
              <dd>
                {twoFactor.backupCodesRemaining} unused {twoFactor.backupCodesRemaining === 1 ? 'code' : 'codes'} left
              </dd>
            </div>
            {twoFactor.methods.includes('email_code') ? (
              <div>
                <dt>Emailed codes</dt>
                <dd>Available when you sign in</dd>
              </div>
            ) : null}
          </dl>
          <ErrorMessage>{errors['two-factor']}</ErrorMessage>
          <div className="actions">
            {totpOn ? (
              <button type="button" className="button-secondary" onClick={replaceAuthenticator} disabled={opening || stepUp.asking} aria-busy={opening}>
                {opening ? 'Opening…' : 'Replace authenticator'}
              </button>
            ) : (
              <Link to="/enroll-2fa" className="button-like">
                Set up authenticator app
              </Link>
            )}
            {twoFactor.enabled ? (
              <button type="button" className="button-secondary" onClick={generateCodes} disabled={generating || stepUp.asking} aria-busy={generating}>
                {generating ? 'Generating…' : 'Generate new backup codes'}
              </button>
            ) : null}
          </div>
          {twoFactor.enabled && !codes ? <p className="muted small">New backup codes replace all your old ones.</p> : null}
          {codes ? (
            <>
              <BackupCodes codes={codes} email={me.user.email} />
              <button type="button" onClick={() => setCodes(null)}>
                I have saved my backup codes
              </button>
            </>
          ) : null}
        </section>

        <section className="panel">
          <h2>Password</h2>
          <p className="muted small">
            {me.security.passwordChangedAt ? `Last changed ${new Date(me.security.passwordChangedAt).toLocaleString()}. ` : ''}
            Changing it signs you out on your other devices.
          </p>
          <form onSubmit={changePassword} noValidate aria-busy={changing}>
            <PasswordField label="Current password" value={currentPassword} onValueChange={setCurrentPassword} autoComplete="current-password" />
            <PasswordField
              label="New password"
              value={newPassword}
              onValueChange={setNewPassword}
              autoComplete="new-password"
              after={<StrengthMeter password={newPassword} email={me.user.email} />}
            />
            <ErrorMessage>{errors.password}</ErrorMessage>
            {changed ? <SuccessMessage>Your password was changed. Your other sessions were signed out.</SuccessMessage> : null}
            <SubmitButton busy={changing} label="Change password" busyLabel="Changing password…" disabled={stepUp.asking} />
          </form>
        </section>

        <EmailAddress email={me.user.email} onChanged={onChanged} />
        {passkeyCount !== undefined ? <Passkeys refreshKey={changes} onChanged={onChanged} /> : null}
        <AntiPhishing isSet={me.security.antiPhishingCodeSet} onChanged={onChanged} />
        <Devices refreshKey={changes} onChanged={onChanged} />
        <Sessions refreshKey={changes} onChanged={onChanged} />
        <ConnectedApps refreshKey={changes} onChanged={onChanged} />
        <LoginActivity refreshKey={changes} />
        <SecurityHistory refreshKey={changes} />
        <LockAccount />
      </div>
    </Page>
  );
}
