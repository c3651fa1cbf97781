/** After registering: check your inbox, resend the email, or type the 6-digit code. */
import { useState, type FormEvent } from 'react';
import type { VerifyEmailBody } from '../../../src/contracts/registration.ts';
import { post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { SubmitButton, TextField } from '../components/Fields.tsx';
import { ErrorMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { ResendVerification } from '../components/ResendVerification.tsx';
import { navigate, useQueryParam } from '../router.tsx';

export function CheckEmailPage() {
  const fromLink = useQueryParam('email').trim();
  const [email, setEmail] = useState(fromLink);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const address = (fromLink || email).trim();
    const entered = code.replace(/\s+/g, '');
    if (!address) return setError('Enter your email address.');
    if (!entered) return setError('Enter the 6-digit code from the email.');
    setBusy(true);
    try {
      await post('/api/auth/verify-email', { email: address, code: entered } satisfies VerifyEmailBody);
      navigate('/login?verified=1');
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <Page title="Check your email">
      {fromLink ? (
        <p>
          We sent a verification email to <strong className="wrap">{fromLink}</strong>. Open the link in it, or enter the 6-digit code below.
          The link works for 24 hours, the code for 15 minutes.
        </p>
      ) : (
        <p>We sent you a verification email. Open the link in it, or enter your address and the 6-digit code below.</p>
      )}

      <form onSubmit={verify} noValidate aria-busy={busy}>
        {!fromLink ? (
          <TextField label="Email" type="email" value={email} onValueChange={setEmail} autoComplete="email" autoCapitalize="off" spellCheck={false} />
        ) : null}
        <TextField label="Verification code" value={code} onValueChange={setCode} inputMode="numeric" autoComplete="one-time-code" maxLength={12} />
        <ErrorMessage>{error}</ErrorMessage>
        <SubmitButton busy={busy} label="Verify" busyLabel="Verifying…" className="button-block" />
      </form>

      <section className="section">
        <h2>Did not get it?</h2>
        <p className="muted">Check your spam folder. You can ask for a new email; it replaces the previous one.</p>
        <ResendVerification email={(fromLink || email).trim()} />
      </section>
    </Page>
  );
}
