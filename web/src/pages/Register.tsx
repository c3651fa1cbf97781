/** Create an account: email, password with a live strength meter, and the terms. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { RegisterBody } from '../../../src/contracts/registration.ts';
import { isApiError, post } from '../api.ts';
import { useAppInfo } from '../app-info.ts';
import { errorMessage } from '../errors.ts';
import { Checkbox, PasswordField, SubmitButton, TextField } from '../components/Fields.tsx';
import { ErrorMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { StrengthMeter } from '../components/StrengthMeter.tsx';
import { Link, navigate } from '../router.tsx';

type Field = 'email' | 'password' | 'terms';

/** The field a server error is about, when it is about one (the server names it first). */
function fieldOf(failure: unknown): Field | undefined {
  if (isApiError(failure, 'weak_password')) return 'password';
  if (isApiError(failure, 'terms_not_accepted')) return 'terms';
  if (isApiError(failure, 'invalid_request')) return /^password\b/.test(failure.message) ? 'password' : 'email';
  return undefined;
}

export function RegisterPage() {
  const info = useAppInfo();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [terms, setTerms] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const errorId = useId();
  const inputs = { email: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null), terms: useRef<HTMLInputElement>(null) };
  /** The field the error is about; focus moves there (a new object each time, to refocus it). */
  const [errorAt, setErrorAt] = useState<{ field: Field } | null>(null);

  useEffect(() => {
    if (!errorAt) return;
    const input = inputs[errorAt.field].current;
    input?.focus();
    if (input?.type !== 'checkbox') input?.select();
    // Only a new failure moves focus (the refs themselves never change).
  }, [errorAt]);

  const fail = (message: string, field?: Field) => {
    setError(message);
    setErrorAt(field ? { field } : null);
  };
  const errorFor = (field: Field) => (error && errorAt?.field === field ? errorId : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const address = email.trim();
    if (!address) return fail('Enter your email address.', 'email');
    if (!password) return fail('Choose a password.', 'password');
    if (!terms) return fail('Please agree to the terms of service to create an account.', 'terms');
    setBusy(true);
    try {
      await post('/api/auth/register', { email: address, password, acceptTerms: true } satisfies RegisterBody);
      navigate(`/check-email?email=${encodeURIComponent(address)}`);
    } catch (failure) {
      fail(errorMessage(failure), fieldOf(failure));
      setBusy(false);
    }
  };

  return (
    <Page title="Create your account" intro={<p>Bastion protects your exchange account with a strong password and two-factor authentication.</p>}>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <TextField
          label="Email"
          type="email"
          value={email}
          onValueChange={setEmail}
          autoComplete="email"
          autoCapitalize="off"
          spellCheck={false}
          inputRef={inputs.email}
          errorId={errorFor('email')}
        />
        <PasswordField
          label="Password"
          value={password}
          onValueChange={setPassword}
          autoComplete="new-password"
          hint="At least 8 characters. A few unrelated words make a strong, memorable password."
          after={<StrengthMeter password={password} email={email.trim()} />}
          inputRef={inputs.password}
          errorId={errorFor('password')}
        />
        <Checkbox
          label={
            <>
              I agree to the{' '}
              <a href={info?.terms.url ?? '/terms'} target="_blank" rel="noopener noreferrer">
                terms of service
              </a>
            </>
          }
          checked={terms}
          onCheckedChange={setTerms}
          inputRef={inputs.terms}
          errorId={errorFor('terms')}
        />
        <ErrorMessage id={errorId}>{error}</ErrorMessage>
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
