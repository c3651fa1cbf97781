/** The link from the reset email: a new password plus the second factor. */
import { useState, type FormEvent } from 'react';
import { isApiError, post } from '../api.ts';
import { errorMessage, lockedPagePath } from '../errors.ts';
import { assertWith, isPasskeyAborted, passkeysSupported } from '../passkeys.ts';
import { PasswordField, RadioGroup, SubmitButton, TextField } from '../components/Fields.tsx';
import { ErrorMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { StrengthMeter } from '../components/StrengthMeter.tsx';
import { Link, navigate, useQueryParam } from '../router.tsx';

type Method = 'totp' | 'passkey' | 'backup_code';

const METHODS: { value: Method; label: string }[] = [
  { value: 'totp', label: 'Authenticator app' },
  { value: 'passkey', label: 'Passkey' },
  { value: 'backup_code', label: 'Backup code' },
];

export function ResetPasswordPage() {
  const token = useQueryParam('token');
  const [password, setPassword] = useState('');
  const [method, setMethod] = useState<Method>('totp');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [badLink, setBadLink] = useState(!token);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    if (!password) return setError('Choose a new password.');
    if (busy) return;
    const entered = method === 'backup_code' ? code.trim() : code.replace(/\s+/g, '');
    setBusy(true);
    try {
      const body =
        method === 'passkey'
          ? { token, password, method, credential: await assertWith('/api/auth/password/reset/passkey-options', { token }) }
          : entered
            ? { token, password, code: entered, method }
            : { token, password };
      await post('/api/auth/password/reset', body);
      navigate('/login?reset=1');
    } catch (failure) {
      setBusy(false);
      if (isPasskeyAborted(failure)) return;
      if (isApiError(failure, 'account_locked')) {
        navigate(lockedPagePath(failure));
        return;
      }
      if (isApiError(failure, 'invalid_token')) setBadLink(true);
      setError(errorMessage(failure));
    }
  };

  if (badLink) {
    return (
      <Page title="Choose a new password">
        <ErrorMessage>{error || 'This reset link is incomplete. Open the link from the email again, or ask for a new one.'}</ErrorMessage>
        <p className="links">
          <Link to="/forgot-password">Send a new reset link</Link>
          <Link to="/login">Back to sign in</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Choose a new password" intro={<p>Resetting your password signs you out everywhere.</p>}>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <PasswordField
          label="New password"
          value={password}
          onValueChange={setPassword}
          autoComplete="new-password"
          hint="At least 8 characters."
          after={<StrengthMeter password={password} />}
        />
        <RadioGroup
          legend="Confirm it is you with"
          name="reset-method"
          choices={METHODS.filter((m) => m.value !== 'passkey' || passkeysSupported())}
          value={method}
          onValueChange={(next) => {
            setMethod(next);
            setCode('');
            setError('');
          }}
        />
        {method === 'passkey' ? (
          <p className="hint">When you press “Reset password”, your browser asks for your passkey: use Face ID, your fingerprint, your screen lock or your security key.</p>
        ) : method === 'totp' ? (
          <TextField
            key="totp"
            label="Authentication code"
            hint="The 6-digit code from your authenticator app."
            value={code}
            onValueChange={setCode}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={12}
          />
        ) : (
          <TextField
            key="backup"
            label="Backup code"
            hint="One of the backup codes you saved. It will be used up."
            value={code}
            onValueChange={setCode}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={32}
          />
        )}
        <ErrorMessage>{error}</ErrorMessage>
        <SubmitButton
          busy={busy}
          label="Reset password"
          busyLabel={method === 'passkey' ? 'Waiting for your passkey…' : 'Resetting password…'}
          className="button-block"
        />
        <p className="links">
          <Link to="/login">Back to sign in</Link>
        </p>
      </form>
    </Page>
  );
}
