/** Create an account: email, password with a live strength meter, and the terms. */
import { useState, type FormEvent } from 'react';
import { post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { Checkbox, PasswordField, SubmitButton, TextField } from '../components/Fields.tsx';
import { ErrorMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { StrengthMeter } from '../components/StrengthMeter.tsx';
import { Link, navigate } from '../router.tsx';

export function RegisterPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [terms, setTerms] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const address = email.trim();
    if (!address) return setError('Enter your email address.');
    if (!password) return setError('Choose a password.');
    if (!terms) return setError('Please agree to the terms of service to create an account.');
    setBusy(true);
    try {
      await post('/api/auth/register', { email: address, password });
      navigate(`/check-email?email=${encodeURIComponent(address)}`);
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <Page title="Create your account" intro={<p>Bastion protects your exchange account with a strong password and two-factor authentication.</p>}>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <TextField label="Email" type="email" value={email} onValueChange={setEmail} autoComplete="email" autoCapitalize="off" spellCheck={false} />
        <PasswordField
          label="Password"
          value={password}
          onValueChange={setPassword}
          autoComplete="new-password"
          hint="At least 8 characters. A few unrelated words make a strong, memorable password."
          after={<StrengthMeter password={password} email={email.trim()} />}
        />
        <Checkbox label="I agree to the terms of service" checked={terms} onCheckedChange={setTerms} />
        <ErrorMessage>{error}</ErrorMessage>
        <SubmitButton busy={busy} label="Create account" busyLabel="Creating account…" className="button-block" />
        <p className="links">
          <span>
            Already have an account? <Link to="/login">Sign in</Link>
          </span>
        </p>
      </form>
    </Page>
  );
}
