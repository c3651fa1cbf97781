/** Sign-in, step 1: email and password (or a passkey instead: PasskeySignIn). */
import type { PasskeySignInAnswer, PasswordStepAnswer } from '../../../../src/contracts/login.ts';
import { PasswordField, SubmitButton, TextField } from '../../components/Fields.tsx';
import { ErrorMessage, StatusMessage } from '../../components/Messages.tsx';
import { Link } from '../../router.tsx';
import { PasskeySignIn } from './PasskeySignIn.tsx';
import { usePasswordStep } from './usePasswordStep.ts';

interface Props {
  email: string;
  onEmailChange: (email: string) => void;
  /** What a later step said when it sent the user back here. */
  initialError: string;
  onStarted: (answer: PasswordStepAnswer) => Promise<void>;
  onPasskeyAnswer: (answer: PasskeySignInAnswer) => void;
}

export function PasswordStep({ email, onEmailChange, initialError, onStarted, onPasskeyAnswer }: Props) {
  const step = usePasswordStep({ email, initialError, onStarted, onPasskeyAnswer });
  const { errors, inputs, verification } = step;
  const address = email.trim();

  return (
    <form onSubmit={step.signIn} noValidate aria-busy={step.busy}>
      <TextField
        label="Email"
        type="email"
        value={email}
        onValueChange={onEmailChange}
        autoComplete="username webauthn"
        autoCapitalize="off"
        spellCheck={false}
        inputRef={inputs.email}
        errorId={errors.errorFor('email')}
      />
      <PasswordField
        label="Password"
        value={step.password}
        onValueChange={step.setPassword}
        autoComplete="current-password"
        inputRef={inputs.password}
        errorId={errors.errorFor('password')}
      />
      <ErrorMessage id={errors.errorId}>{errors.error}</ErrorMessage>
      {verification.offerResend ? (
        <>
          <p className="small" data-testid="verify-hint">
            Created your account recently? It can sign in once you verify your email address: open the link in the email we sent you, or get a new one.
          </p>
          <div className="inline-actions">
            <button
              ref={inputs.resend}
              type="button"
              className="button-secondary"
              onClick={verification.resend}
              disabled={verification.resending}
              aria-busy={verification.resending}
            >
              {verification.resending ? 'Sending…' : 'Resend verification email'}
            </button>
            {verification.resent ? (
              <StatusMessage>
                If {address} has an account waiting to be verified, we sent it a new verification email.{' '}
                <Link to={`/check-email?email=${encodeURIComponent(address)}`}>Enter the code from it</Link>
              </StatusMessage>
            ) : null}
          </div>
        </>
      ) : null}
      <SubmitButton busy={step.busy} label="Sign in" busyLabel="Signing in…" className="button-block" />
      <PasskeySignIn passkey={step.passkey} busy={step.busy} onStart={step.signInWithPasskey} />
      <p className="links">
        <Link to="/forgot-password">Forgot password?</Link>
        <Link to="/register">Create account</Link>
      </p>
    </form>
  );
}
