/** The link from the reset email: a new password plus the second factor. */
import { useState, type FormEvent } from 'react';
import type { ResetMethod, ResetPasswordAnswer, ResetPasswordBody } from '../../../src/contracts/recovery.ts';
import { isApiError, post } from '../api.ts';
import { errorMessage, lockedPagePath } from '../errors.ts';
import { isPasskeyAborted, type Sent } from '../passkeys.ts';
import { FactorPicker, type FactorFields } from '../components/factors/FactorPicker.tsx';
import { usable } from '../components/factors/factors.ts';
import { useFactor } from '../components/factors/useFactor.ts';
import { PasswordField, SubmitButton } from '../components/Fields.tsx';
import { ErrorMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { StrengthMeter } from '../components/StrengthMeter.tsx';
import { Link, navigate, useQueryParam } from '../router.tsx';

/** The factors a reset accepts, in the order offered (the server does not say which the account has). */
const METHODS: readonly ResetMethod[] = ['totp', 'passkey', 'backup_code'];

const FIELDS = {
  passkey: 'When you press “Reset password”, your browser asks for your passkey: use Face ID, your fingerprint, your screen lock or your security key.',
  totp: { label: 'Authentication code', hint: 'The 6-digit code from your authenticator app.' },
  backup_code: { label: 'Backup code', hint: 'One of the backup codes you saved. It will be used up.' },
} satisfies FactorFields<ResetMethod>;

export function ResetPasswordPage() {
  const token = useQueryParam('token');
  const [password, setPassword] = useState('');
  const factor = useFactor<ResetMethod>('totp');
  const { method } = factor;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [badLink, setBadLink] = useState(!token);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    if (!password) return setError('Choose a new password.');
    if (busy) return;
    setBusy(true);
    try {
      // Without a code the server says whether the account needs one (second_factor_required).
      const proof = method === 'passkey' || factor.entered ? await factor.prove({ path: '/api/auth/password/reset/passkey-options', body: { token } }) : {};
      const body: Sent<ResetPasswordBody> = { token, password, ...proof };
      await post<ResetPasswordAnswer>('/api/auth/password/reset', body);
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
        <FactorPicker
          methods={METHODS.filter(usable)}
          factor={factor}
          fields={FIELDS}
          choice={{ legend: 'Confirm it is you with', name: 'reset-method', onChoose: () => setError('') }}
        />
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
