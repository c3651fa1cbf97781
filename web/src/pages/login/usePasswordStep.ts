/**
 * The first step's state: the password, signing in with it, a new verification email for an address
 * that may not be verified yet, and the passkey sign-in beside it. The server answers an account not
 * verified yet exactly like a wrong password (so a sign-up cannot tell a free address from a taken
 * one), so after a wrong password the page also offers the verification email. The email address belongs to the whole page
 * (the next step shows it), so it comes from there.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { PasskeySignInAnswer, PasswordStepAnswer, PasswordStepBody } from '../../../../src/contracts/login.ts';
import type { ResendVerificationBody } from '../../../../src/contracts/registration.ts';
import { isApiError, post } from '../../api.ts';
import { errorMessage, lockedPagePath } from '../../errors.ts';
import { navigate } from '../../router.tsx';
import { usePasskeySignIn } from './usePasskeySignIn.ts';
import { useStepError } from './useStepError.ts';

type Target = 'email' | 'password' | 'resend';

interface Options {
  email: string;
  /** What a later step said when it sent the user back here (e.g. the flow expired). */
  initialError: string;
  onStarted: (answer: PasswordStepAnswer) => Promise<void>;
  onPasskeyAnswer: (answer: PasskeySignInAnswer) => void;
}

export function usePasswordStep({ email, initialError, onStarted, onPasskeyAnswer }: Options) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  /** Offered after a wrong password: the account may be one whose address is not verified yet. */
  const [offerResend, setOfferResend] = useState(false);
  const [resending, setResending] = useState(false);
  const [resent, setResent] = useState(false);
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const resendButton = useRef<HTMLButtonElement>(null);
  const inputs = { email: emailInput, password: passwordInput, resend: resendButton };
  const errors = useStepError<Target>(inputs, initialError);
  const passkey = usePasskeySignIn({
    onAnswer: onPasskeyAnswer,
    onFailure: () => {
      errors.clear();
    },
  });

  const fail = (message: string, target?: Target) => {
    passkey.clearError();
    errors.fail(message, target);
  };

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    errors.setError('');
    passkey.clearError();
    setOfferResend(false);
    setResent(false);
    if (!email.trim()) return fail('Enter your email address.', 'email');
    if (!password) return fail('Enter your password.', 'password');
    setBusy(true);
    try {
      // Signing in with the password: the waiting passkey autofill request ends first.
      await passkey.stop();
      const answer = await post<PasswordStepAnswer>('/api/auth/login', { email: email.trim(), password } satisfies PasswordStepBody);
      await onStarted(answer);
    } catch (failure) {
      if (isApiError(failure, 'account_locked')) {
        navigate(lockedPagePath(failure));
        return;
      }
      if (isApiError(failure, 'account_frozen')) {
        // The owner locked the account: say so, with the time it can be unlocked.
        fail(errorMessage(failure));
      } else if (isApiError(failure, 'invalid_credentials')) {
        setOfferResend(true);
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
    errors.setError('');
    try {
      await post('/api/auth/resend-verification', { email: email.trim() } satisfies ResendVerificationBody);
      setResent(true);
    } catch (failure) {
      errors.setError(errorMessage(failure));
    } finally {
      setResending(false);
    }
  };

  const signInWithPasskey = () => {
    if (busy || passkey.busy) return;
    errors.clear();
    setOfferResend(false);
    passkey.start();
  };

  return {
    password,
    setPassword,
    busy,
    errors,
    inputs,
    verification: { offerResend, resending, resent, resend: resendVerification },
    passkey,
    signIn,
    signInWithPasskey,
  };
}
