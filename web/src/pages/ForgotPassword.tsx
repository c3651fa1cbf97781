/** Ask for a password reset link by email. */
import { useState, type FormEvent } from 'react';
import type { ForgotPasswordBody } from '../../../src/contracts/recovery.ts';
import { post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { SubmitButton, TextField } from '../components/Fields.tsx';
import { ErrorMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { Link } from '../router.tsx';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const address = email.trim();
    if (!address) return setError('Enter your email address.');
    setBusy(true);
    try {
      await post('/api/auth/password/forgot', { email: address } satisfies ForgotPasswordBody);
      setSentTo(address);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <Page title="Check your email">
        <SuccessMessage>
          If an account exists for <strong className="wrap">{sentTo}</strong>, we sent it a link to reset the password. The link works for one
          hour.
        </SuccessMessage>
        <p className="muted">You will also need your authenticator app or a backup code to choose a new password.</p>
        <p className="links">
          <Link to="/login">Back to sign in</Link>
          <button type="button" className="button-link" onClick={() => setSentTo('')}>
            Use a different address
          </button>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Reset your password" intro={<p>Enter the email address of your account and we will send you a link to choose a new password.</p>}>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <TextField label="Email" type="email" value={email} onValueChange={setEmail} autoComplete="email" autoCapitalize="off" spellCheck={false} />
        <ErrorMessage>{error}</ErrorMessage>
        <SubmitButton busy={busy} label="Send reset link" busyLabel="Sending…" className="button-block" />
        <p className="links">
          <Link to="/login">Back to sign in</Link>
        </p>
      </form>
    </Page>
  );
}
