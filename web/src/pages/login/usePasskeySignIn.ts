/**
 * Signing in with a passkey alone from the first step (the button, and the autofill: usePasswordless),
 * and what a failure says there. A locked account goes to the locked page.
 */
import { useState } from 'react';
import type { PasskeySignInAnswer } from '../../../../src/contracts/login.ts';
import { isApiError } from '../../api.ts';
import { errorMessage, lockedPagePath } from '../../errors.ts';
import { navigate } from '../../router.tsx';
import { usePasswordless } from './usePasswordless.ts';

interface Options {
  /** Signed in, or a new device to confirm. */
  onAnswer: (answer: PasskeySignInAnswer) => void;
  /** Before a failure is shown (the password's error makes way for it). */
  onFailure: () => void;
}

export interface PasskeySignIn {
  /** The failure, shown by the passkey button rather than by the password. */
  error: string;
  clearError: () => void;
  /** True while a passkey is being checked or the prompt is open. */
  busy: boolean;
  /** The button: a modal passkey prompt. */
  start: () => void;
  /** Ends the waiting autofill request (before the password is sent). */
  stop: () => Promise<void>;
}

export function usePasskeySignIn({ onAnswer, onFailure }: Options): PasskeySignIn {
  const [error, setError] = useState('');
  const passwordless = usePasswordless({
    onAnswer,
    onFailure: (failure) => {
      if (isApiError(failure, 'account_locked')) return navigate(lockedPagePath(failure));
      onFailure();
      // No email was typed: "email or password" would not make sense here.
      setError(
        isApiError(failure, 'invalid_credentials') ? 'That passkey was not accepted. Try again, or sign in with your email and password.' : errorMessage(failure),
      );
    },
  });

  return {
    error,
    clearError: () => setError(''),
    busy: passwordless.busy,
    start: () => {
      setError('');
      void passwordless.start();
    },
    stop: passwordless.stop,
  };
}
