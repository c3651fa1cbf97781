/** "Resend email": a new verification email (POST /api/auth/resend-verification), with the 429 wait. */
import { useState, type FormEvent } from 'react';
import type { ResendVerificationBody } from '../../../src/contracts/registration.ts';
import { post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { SubmitButton, TextField } from './Fields.tsx';
import { ErrorMessage, StatusMessage } from './Messages.tsx';

/** With `email` the address is fixed (just a button); without it the form asks for the address. */
export function ResendVerification({ email }: { email?: string }) {
  const [address, setAddress] = useState(email ?? '');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState('');
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const target = (email ?? address).trim();
    setError('');
    setSent('');
    if (!target) return setError('Enter your email address.');
    setBusy(true);
    try {
      await post('/api/auth/resend-verification', { email: target } satisfies ResendVerificationBody);
      setSent(`We sent a new email to ${target}. Earlier links and codes no longer work.`);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-busy={busy} className="resend">
      {email === undefined ? (
        <TextField label="Email" type="email" value={address} onValueChange={setAddress} autoComplete="email" autoCapitalize="off" spellCheck={false} />
      ) : null}
      <SubmitButton busy={busy} label="Resend email" busyLabel="Sending…" className="button-secondary" />
      <StatusMessage>{sent}</StatusMessage>
      <ErrorMessage>{error}</ErrorMessage>
    </form>
  );
}
