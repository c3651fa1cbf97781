/**
 * Signing in with a passkey alone, on the first step of the sign-in page:
 * - passkey autofill: while the step shows, a background (conditional) WebAuthn request offers the
 *   account's passkeys in the email field's suggestions (autocomplete="username webauthn");
 * - a button, for a modal passkey prompt.
 * Both go through POST /api/auth/passkey/options (whose cookie binds the challenge to this browser) and
 * /api/auth/passkey/verify. The background request is aborted, silently, whenever the user does
 * something else: presses the button, submits the password, or leaves the step.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PasskeySignInAnswer, PasskeySignInBody, PasskeySignInOptionsBody } from '../../../../src/contracts/login.ts';
import { post } from '../../api.ts';
import {
  cancelPasskeyCeremony,
  getAssertion,
  isPasskeyAborted,
  passkeyAutofillSupported,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type Sent,
} from '../../passkeys.ts';

interface Options {
  /** The verify answer: signed in ({user}) or a device to confirm ({flow, next}). */
  onAnswer: (answer: PasskeySignInAnswer) => void;
  /** A failure to show (never an aborted ceremony). */
  onFailure: (failure: unknown) => void;
}

interface Passwordless {
  /** The button: a modal passkey prompt (the background request is aborted first). */
  start: () => Promise<void>;
  /** Aborts the background request and waits until its options request (and cookie) settled. */
  stop: () => Promise<void>;
  /** True while a passkey is being checked or the prompt is open. */
  busy: boolean;
}

const requestOptions = () => post<{ options: PublicKeyCredentialRequestOptionsJSON }>('/api/auth/passkey/options', {} satisfies PasskeySignInOptionsBody);
const signIn = (credential: AuthenticationResponseJSON) =>
  post<PasskeySignInAnswer>('/api/auth/passkey/verify', { credential } satisfies Sent<PasskeySignInBody>);

export function usePasswordless({ onAnswer, onFailure }: Options): Passwordless {
  const [busy, setBusy] = useState(false);
  /** Bumped to start the background request again (after the modal prompt was cancelled). */
  const [restart, setRestart] = useState(0);
  /** Each background request has a number; a request that is no longer the current one stops. */
  const generation = useRef(0);
  /** The background request's options call, while it runs (its answer sets the passkey cookie). */
  const optionsInFlight = useRef<Promise<unknown> | null>(null);
  /** True while the background request's ceremony is the running one. */
  const conditionalRunning = useRef(false);
  const callbacks = useRef({ onAnswer, onFailure });
  callbacks.current = { onAnswer, onFailure };

  const verify = useCallback(async (credential: AuthenticationResponseJSON) => {
    setBusy(true);
    try {
      callbacks.current.onAnswer(await signIn(credential));
    } catch (failure) {
      callbacks.current.onFailure(failure);
    } finally {
      setBusy(false);
    }
  }, []);

  const stop = useCallback(async () => {
    generation.current += 1;
    if (conditionalRunning.current) {
      conditionalRunning.current = false;
      cancelPasskeyCeremony();
    }
    await optionsInFlight.current?.catch(() => null);
  }, []);

  // While the first step is mounted, the background request runs (leaving the step aborts it).
  useEffect(() => {
    const mine = ++generation.current;
    const current = () => generation.current === mine;
    void (async () => {
      if (!(await passkeyAutofillSupported()) || !current()) return;
      const pending = requestOptions();
      optionsInFlight.current = pending;
      let options: PublicKeyCredentialRequestOptionsJSON;
      try {
        options = (await pending).options;
      } catch {
        return; // No autofill this time (rate limited, offline…); the button still works.
      } finally {
        if (optionsInFlight.current === pending) optionsInFlight.current = null;
      }
      if (!current()) return;
      let credential: AuthenticationResponseJSON;
      conditionalRunning.current = true;
      try {
        credential = await getAssertion(options, true);
      } catch {
        // Aborted (the user chose another way) or not available: nothing to tell the user.
        return;
      } finally {
        if (current()) conditionalRunning.current = false;
      }
      if (current()) await verify(credential);
    })();
    return () => {
      void stop();
    };
  }, [restart, stop, verify]);

  const start = useCallback(async () => {
    if (busy) return;
    await stop();
    setBusy(true);
    try {
      const { options } = await requestOptions();
      const credential = await getAssertion(options);
      callbacks.current.onAnswer(await signIn(credential));
    } catch (failure) {
      if (!isPasskeyAborted(failure)) callbacks.current.onFailure(failure);
      // Offer the autofill again for the next try.
      setRestart((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }, [busy, stop]);

  return { start, stop, busy };
}
