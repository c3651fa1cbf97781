/**
 * Sign-in in three steps on one page: (1) email and password, (2) the second factor, and
 * (3) confirming a new device when the API asks for it. A passkey can replace steps 1 and 2
 * (autofill in the email field, or the "Sign in with a passkey" button: see login/usePasswordless.ts).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { isApiError, post, type LoginStart, type NextStep, type SecondFactor } from '../api.ts';
import { errorMessage, lockedPagePath } from '../errors.ts';
import { assertWith, isPasskeyAborted, passkeysSupported } from '../passkeys.ts';
import { PasswordField, RadioGroup, SubmitButton, TextField } from '../components/Fields.tsx';
import { ErrorMessage, StatusMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { usePasswordless, type PasskeyAnswer } from './login/usePasswordless.ts';

type Step = 'password' | 'second' | 'device';
/** Where keyboard focus goes after a failure (or once the emailed code is on its way). */
type FocusTarget = 'email' | 'password' | 'code' | 'resend';

const METHOD_LABELS: Record<SecondFactor, string> = {
  passkey: 'Passkey',
  totp: 'Authenticator app',
  email_code: 'Email code',
  backup_code: 'Backup code',
};
const METHOD_ORDER: SecondFactor[] = ['passkey', 'totp', 'email_code', 'backup_code'];
/** The factors that can unlock an account its owner locked. */
const STRONG: SecondFactor[] = ['passkey', 'totp'];

/** How often the device step asks whether the emailed link was opened (elsewhere). */
const DEVICE_POLL_MS = 3000;

const STEP_TITLES: Record<Step, string> = {
  password: 'Step 1 of 2: your email and password',
  second: 'Step 2 of 2: confirm it is you',
  device: 'Confirm this device',
};

export function LoginPage() {
  const { query } = useLocation();
  const { refresh } = useSession();
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [flow, setFlow] = useState('');
  const [methods, setMethods] = useState<SecondFactor[]>([]);
  const [method, setMethod] = useState<SecondFactor>('totp');
  const [code, setCode] = useState('');
  const [emailCodeSent, setEmailCodeSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  /** A failed passkey sign-in (step 1), shown by the passkey button instead of by the password. */
  const [passkeyError, setPasskeyError] = useState('');
  const [unverified, setUnverified] = useState(false);
  const [resending, setResending] = useState(false);
  const [resent, setResent] = useState(false);

  const errorId = useId();
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const resendButton = useRef<HTMLButtonElement>(null);
  /** True while the emailed code is being checked: the link check waits meanwhile. */
  const confirming = useRef(false);
  /** A new object each time, so the same target is focused again after a second failure. */
  const [focusRequest, setFocusRequest] = useState<{ target: FocusTarget } | null>(null);

  // After a failure, focus goes where the user can put it right (the error is announced as an
  // alert and read again with the field); with nowhere better it stays on the submit button.
  useEffect(() => {
    if (!focusRequest) return;
    const targets = { email: emailInput, password: passwordInput, code: codeInput, resend: resendButton };
    const element = targets[focusRequest.target].current;
    element?.focus();
    if (element instanceof HTMLInputElement) element.select();
  }, [focusRequest]);

  /** Shows an error; with a target, focus moves there and the field is described by the error. */
  const fail = (message: string, target?: FocusTarget) => {
    setPasskeyError('');
    setError(message);
    setFocusRequest(target ? { target } : null);
  };
  /** The error's id for the field it concerns (nothing for the other fields). */
  const errorFor = (target: FocusTarget) => (error && focusRequest?.target === target ? errorId : undefined);

  const stepHeading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    stepHeading.current?.focus();
  }, [step]);

  const banner = query.get('verified')
    ? 'Your email address is verified. Sign in to continue.'
    : query.get('reset')
      ? 'Your password was reset. Sign in with your new password.'
      : query.get('unlocked')
        ? 'Your account is unlocked. Sign in to continue.'
        : '';

  const backToStart = (message: string) => {
    setStep('password');
    setPassword('');
    setFlow('');
    setCode('');
    setEmailCodeSent(false);
    setError(message);
    setPasskeyError('');
    setFocusRequest(null);
    setInfo('');
  };

  // Waiting for the device to be confirmed: when the emailed link is opened (in any browser), the
  // server lets this flow finish without a code, so ask every few seconds and continue by ourselves.
  useEffect(() => {
    if (step !== 'device' || !flow) return;
    let active = true;
    let timer = 0;
    const check = async () => {
      if (!confirming.current) {
        try {
          const answer = await post<{ user?: unknown }>('/api/auth/login/confirm-device', { flow });
          if (!active) return;
          if (answer.user) {
            active = false;
            navigate('/dashboard');
            return;
          }
        } catch (failure) {
          if (!active) return;
          // device_not_confirmed is the expected answer while waiting; a brief network or rate
          // problem is tried again. Only a flow that has ended stops the wait.
          if (isApiError(failure, 'flow_expired') && !confirming.current) {
            active = false;
            backToStart(errorMessage(failure));
            return;
          }
        }
      }
      if (active) timer = window.setTimeout(() => void check(), DEVICE_POLL_MS);
    };
    timer = window.setTimeout(() => void check(), DEVICE_POLL_MS);
    return () => {
      active = false;
      window.clearTimeout(timer);
    };
    // backToStart only sets state; the wait restarts only for a new step or flow.
  }, [step, flow]);

  const afterStart = async (answer: LoginStart) => {
    const next: NextStep[] = answer.next;
    setFlow(answer.flow);
    if (next.includes('enroll_2fa')) {
      await refresh().catch(() => null);
      navigate('/enroll-2fa');
      return;
    }
    if (next.includes('confirm_device')) {
      setStep('device');
      return;
    }
    const offered = METHOD_ORDER.filter((m) => next.includes(m) && (m !== 'passkey' || passkeysSupported()));
    setMethods(offered);
    setMethod(offered[0] ?? 'totp');
    setCode('');
    setEmailCodeSent(false);
    setStep('second');
  };

  const afterPasskey = (answer: PasskeyAnswer) => {
    if (answer.next?.includes('confirm_device') && answer.flow) {
      setFlow(answer.flow);
      setCode('');
      setInfo('');
      setError('');
      setStep('device');
      return;
    }
    navigate('/dashboard');
  };

  const passkeyFailed = (failure: unknown) => {
    if (isApiError(failure, 'account_locked')) return navigate(lockedPagePath(failure));
    setError('');
    setFocusRequest(null);
    // No email was typed: "email or password" would not make sense here.
    setPasskeyError(
      isApiError(failure, 'invalid_credentials')
        ? 'That passkey was not accepted. Try again, or sign in with your email and password.'
        : errorMessage(failure),
    );
  };

  const passwordless = usePasswordless({ active: step === 'password', onAnswer: afterPasskey, onFailure: passkeyFailed });

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    setPasskeyError('');
    setInfo('');
    setUnverified(false);
    setResent(false);
    if (!email.trim()) return fail('Enter your email address.', 'email');
    if (!password) return fail('Enter your password.', 'password');
    setBusy(true);
    try {
      // Signing in with the password: the waiting passkey autofill request ends first.
      await passwordless.stop();
      const answer = await post<LoginStart>('/api/auth/login', { email: email.trim(), password });
      await afterStart(answer);
    } catch (failure) {
      if (isApiError(failure, 'account_locked')) {
        navigate(lockedPagePath(failure));
        return;
      }
      if (isApiError(failure, 'account_frozen')) {
        // The owner locked the account: say so, with the time it can be unlocked.
        fail(errorMessage(failure));
      } else if (isApiError(failure, 'email_not_verified')) {
        setUnverified(true);
        fail(errorMessage(failure), 'resend');
      } else if (isApiError(failure, 'invalid_credentials')) {
        fail(errorMessage(failure), 'password');
      } else if (isApiError(failure, 'invalid_request')) {
        fail(errorMessage(failure), /^password\b/.test(failure.message) ? 'password' : 'email');
      } else {
        fail(errorMessage(failure));
      }
    } finally {
      setBusy(false);
    }
  };

  const resendVerification = async () => {
    setResending(true);
    setError('');
    try {
      await post('/api/auth/resend-verification', { email: email.trim() });
      setResent(true);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setResending(false);
    }
  };

  const sendEmailCode = async () => {
    setSending(true);
    setError('');
    setInfo('');
    try {
      await post('/api/auth/login/email-code', { flow });
      setEmailCodeSent(true);
      setFocusRequest({ target: 'code' });
      setInfo(`We sent a 6-digit code to ${email.trim()}. It is valid for 10 minutes.`);
    } catch (failure) {
      if (isApiError(failure, 'flow_expired')) backToStart(errorMessage(failure));
      else setError(errorMessage(failure));
    } finally {
      setSending(false);
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    setInfo('');
    const entered = method === 'backup_code' ? code.trim() : code.replace(/\s+/g, '');
    if (!entered && method !== 'passkey') return fail(method === 'backup_code' ? 'Enter one of your backup codes.' : 'Enter the 6-digit code.', 'code');
    if (busy) return;
    setBusy(true);
    try {
      const proof = method === 'passkey' ? { credential: await assertWith('/api/auth/login/passkey-options', { flow }) } : { code: entered };
      const answer = await post<{ user?: unknown; next?: NextStep[] }>('/api/auth/login/verify', { flow, method, ...proof });
      if (answer.next?.includes('confirm_device')) {
        setCode('');
        setInfo('');
        setStep('device');
        return;
      }
      navigate('/dashboard');
    } catch (failure) {
      if (isPasskeyAborted(failure)) return;
      if (isApiError(failure, 'account_locked')) navigate(lockedPagePath(failure));
      else if (isApiError(failure, 'flow_expired')) backToStart(errorMessage(failure));
      else if (isApiError(failure, 'strong_factor_required')) {
        // Unlocking a locked account takes a strong factor (authenticator app or passkey): offer only those.
        const strong = methods.filter((m) => STRONG.includes(m));
        const offered: SecondFactor[] = strong.length > 0 ? strong : ['totp'];
        setMethods(offered);
        setMethod(offered[0] ?? 'totp');
        setCode('');
        setInfo('');
        fail(errorMessage(failure), offered[0] === 'passkey' ? undefined : 'code');
      } else fail(errorMessage(failure), method === 'passkey' ? undefined : 'code');
    } finally {
      setBusy(false);
    }
  };

  const confirmDevice = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const entered = code.trim();
    if (!entered) return fail('Enter the code from the email.', 'code');
    if (busy) return;
    setBusy(true);
    confirming.current = true;
    try {
      await post('/api/auth/login/confirm-device', { flow, code: entered });
      navigate('/dashboard');
    } catch (failure) {
      if (isApiError(failure, 'account_locked')) navigate(lockedPagePath(failure));
      else if (isApiError(failure, 'flow_expired')) backToStart(errorMessage(failure));
      else fail(errorMessage(failure), 'code');
    } finally {
      confirming.current = false;
      setBusy(false);
    }
  };

  const signInWithPasskey = () => {
    if (busy || passwordless.busy) return;
    setError('');
    setPasskeyError('');
    setFocusRequest(null);
    setUnverified(false);
    void passwordless.start();
  };

  const chooseMethod = (next: SecondFactor) => {
    setMethod(next);
    setCode('');
    setError('');
    setFocusRequest(null);
    setInfo('');
  };

  return (
    <Page title="Sign in">
      <SuccessMessage>{step === 'password' ? banner : ''}</SuccessMessage>
      <h2 className="step-title" ref={stepHeading} tabIndex={-1}>
        {STEP_TITLES[step]}
      </h2>

      {step === 'password' ? (
        <form onSubmit={signIn} noValidate aria-busy={busy}>
          <TextField
            label="Email"
            type="email"
            value={email}
            onValueChange={setEmail}
            autoComplete="username webauthn"
            autoCapitalize="off"
            spellCheck={false}
            inputRef={emailInput}
            errorId={errorFor('email')}
          />
          <PasswordField
            label="Password"
            value={password}
            onValueChange={setPassword}
            autoComplete="current-password"
            inputRef={passwordInput}
            errorId={errorFor('password')}
          />
          <ErrorMessage id={errorId}>{error}</ErrorMessage>
          {unverified ? (
            <div className="inline-actions">
              <button
                ref={resendButton}
                type="button"
                className="button-secondary"
                onClick={resendVerification}
                disabled={resending}
                aria-busy={resending}
              >
                {resending ? 'Sending…' : 'Resend verification email'}
              </button>
              {resent ? (
                <StatusMessage>
                  We sent a new verification email to {email.trim()}.{' '}
                  <Link to={`/check-email?email=${encodeURIComponent(email.trim())}`}>Enter the code from it</Link>
                </StatusMessage>
              ) : null}
            </div>
          ) : null}
          <SubmitButton busy={busy} label="Sign in" busyLabel="Signing in…" className="button-block" />
          {passkeysSupported() ? (
            <div className="alternative">
              <p className="alternative-or">
                <span>or</span>
              </p>
              <button
                type="button"
                className="button-secondary button-block"
                onClick={signInWithPasskey}
                aria-disabled={passwordless.busy || busy ? true : undefined}
              >
                {passwordless.busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
              </button>
              <ErrorMessage>{passkeyError}</ErrorMessage>
            </div>
          ) : null}
          <p className="links">
            <Link to="/forgot-password">Forgot password?</Link>
            <Link to="/register">Create account</Link>
          </p>
        </form>
      ) : null}

      {step === 'second' ? (
        <form onSubmit={verify} noValidate aria-busy={busy}>
          <p className="muted">
            Signing in as <strong className="wrap">{email.trim()}</strong>
          </p>
          <RadioGroup
            legend="Choose how to confirm"
            name="method"
            choices={methods.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
            value={method}
            onValueChange={chooseMethod}
          />
          {method === 'passkey' ? (
            <p className="hint">
              Your browser will ask for your passkey: use Face ID, your fingerprint, your screen lock or your security key.
            </p>
          ) : null}
          {method === 'totp' ? (
            <TextField
              key="totp"
              inputRef={codeInput}
              errorId={errorFor('code')}
              label="Authentication code"
              hint="Open your authenticator app and enter the 6-digit code it shows for Bastion."
              value={code}
              onValueChange={setCode}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={12}
            />
          ) : null}
          {method === 'email_code' ? (
            <>
              <div className="inline-actions">
                <button type="button" className="button-secondary" onClick={sendEmailCode} disabled={sending} aria-busy={sending}>
                  {sending ? 'Sending…' : 'Send code'}
                </button>
              </div>
              {emailCodeSent ? (
                <TextField
                  key="email_code"
                  inputRef={codeInput}
                  errorId={errorFor('code')}
                  label="Authentication code"
                  hint="Enter the 6-digit code from the email."
                  value={code}
                  onValueChange={setCode}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={12}
                />
              ) : null}
            </>
          ) : null}
          {method === 'backup_code' ? (
            <TextField
              key="backup_code"
              inputRef={codeInput}
              errorId={errorFor('code')}
              label="Backup code"
              hint="Enter one of the backup codes you saved. Each code works once."
              value={code}
              onValueChange={setCode}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              maxLength={32}
            />
          ) : null}
          <StatusMessage>{info}</StatusMessage>
          <ErrorMessage id={errorId}>{error}</ErrorMessage>
          <SubmitButton
            busy={busy}
            label={method === 'passkey' ? 'Use your passkey' : 'Verify'}
            busyLabel={method === 'passkey' ? 'Waiting for your passkey…' : 'Verifying…'}
            disabled={method === 'email_code' && !emailCodeSent}
            className="button-block"
          />
          <p className="links">
            <button type="button" className="button-link" onClick={() => backToStart('')}>
              Start over
            </button>
            <Link to="/forgot-password">Forgot password?</Link>
          </p>
        </form>
      ) : null}

      {step === 'device' ? (
        <form onSubmit={confirmDevice} noValidate aria-busy={busy}>
          <StatusMessage>We emailed you a link and a code to confirm this device.</StatusMessage>
          <p>
            Open the link in the email on any device, or enter the code from it here. Once the link is opened, this page continues by itself.
          </p>
          <TextField
            label="Verification code"
            hint="The 6-digit code from the email “Confirm a sign-in from a new device”. It is valid for 20 minutes."
            inputRef={codeInput}
            errorId={errorFor('code')}
            value={code}
            onValueChange={setCode}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={32}
          />
          <ErrorMessage id={errorId}>{error}</ErrorMessage>
          <SubmitButton busy={busy} label="Confirm" busyLabel="Confirming…" className="button-block" />
          <p className="links">
            <button type="button" className="button-link" onClick={() => backToStart('')}>
              Start over
            </button>
          </p>
        </form>
      ) : null}
    </Page>
  );
}
