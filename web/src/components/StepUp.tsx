/**
 * Step-up for sensitive actions: run the action; if the server answers step_up_required, ask for a
 * strong factor (POST /api/auth/step-up) and run the action again. The answer's `stepUp.methods`
 * says what the account has: a passkey (one button) and/or an authenticator app (a code), both
 * shown at once by the factor picker. The staff console asks the same way for its own, shorter-lived
 * step-up: `useStepUp(onError, { code: 'staff_step_up_required' })`.
 */
import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import type { StepUpAnswer, StepUpBody, StepUpMethod as Method } from '../../../src/contracts/step-up.ts';
import { isApiError, post, type ApiError } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { isPasskeyAborted, type Sent } from '../passkeys.ts';
import { FactorPicker } from './factors/FactorPicker.tsx';
import { usable } from './factors/factors.ts';
import { useFactor } from './factors/useFactor.ts';
import { SubmitButton } from './Fields.tsx';
import { ErrorMessage } from './Messages.tsx';

type Action = () => Promise<void>;

/** The answers that ask for step-up: the account's sensitive changes, and every staff console call. */
type StepUpCode = 'step_up_required' | 'staff_step_up_required';

/** Why the prompt asks, by the answer that asked. */
const WHY: Record<StepUpCode, string> = {
  step_up_required: 'This is a sensitive change.',
  staff_step_up_required: 'The staff console needs a recent confirmation.',
};

const PASSKEY_OPTIONS = { path: '/api/auth/step-up/passkey-options' };

interface StepUp {
  /** Runs the action, asking for step-up first if the server wants it. Other failures go to onError. */
  run: (action: Action) => Promise<void>;
  /** The prompt to render while a code is needed (null otherwise). */
  prompt: ReactNode;
  /** True while the prompt is shown. */
  asking: boolean;
}

/** The strong factors the step-up answer lists (the authenticator app when it lists none). */
function methodsOf(error: ApiError): Method[] {
  const stepUp = error.body.stepUp as { methods?: unknown } | undefined;
  const listed = Array.isArray(stepUp?.methods) ? stepUp.methods : [];
  const methods = (['passkey', 'totp'] as const).filter((m) => listed.includes(m));
  return methods.length > 0 ? methods : ['totp'];
}

export function useStepUp(onError: (error: unknown) => void, { code = 'step_up_required' }: { code?: StepUpCode } = {}): StepUp {
  const [pending, setPending] = useState<{ action: Action; methods: Method[] } | null>(null);

  const run = useCallback(
    async (action: Action) => {
      try {
        await action();
      } catch (error) {
        if (isApiError(error, code)) setPending({ action, methods: methodsOf(error) });
        else onError(error);
      }
    },
    [onError, code],
  );

  const prompt = pending ? (
    <StepUpPrompt
      methods={pending.methods}
      why={WHY[code]}
      onCancel={() => setPending(null)}
      onConfirmed={async () => {
        setPending(null);
        await run(pending.action);
      }}
    />
  ) : null;

  return { run, prompt, asking: pending !== null };
}

interface PromptProps {
  methods: Method[];
  why: string;
  onConfirmed: () => Promise<void>;
  onCancel: () => void;
}

function StepUpPrompt({ methods, why, onConfirmed, onCancel }: PromptProps) {
  const factor = useFactor<Method>('totp');
  const [busy, setBusy] = useState<Method | null>(null);
  const [error, setError] = useState('');
  const offered = methods.filter(usable);
  const passkey = offered.includes('passkey');
  const totp = offered.includes('totp');

  const confirm = async (method: Method) => {
    if (busy) return;
    setBusy(method);
    setError('');
    try {
      const body: Sent<StepUpBody> = await factor.prove(PASSKEY_OPTIONS, method);
      await post<StepUpAnswer>('/api/auth/step-up', body);
    } catch (failure) {
      setBusy(null);
      if (!isPasskeyAborted(failure)) setError(errorMessage(failure));
      return;
    }
    await onConfirmed();
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (!factor.entered) {
      setError('Enter the 6-digit code from your authenticator app.');
      return;
    }
    void confirm('totp');
  };

  const cancel = (
    <button type="button" className="button-secondary" onClick={onCancel} disabled={busy !== null}>
      Cancel
    </button>
  );

  const passkeyButton = (
    <div className="actions">
      <button type="button" onClick={() => void confirm('passkey')} aria-disabled={busy !== null ? true : undefined} autoFocus>
        {busy === 'passkey' ? 'Waiting for your passkey…' : 'Use your passkey'}
      </button>
      {!totp ? cancel : null}
    </div>
  );

  return (
    <section className="step-up panel" aria-labelledby="step-up-heading">
      <h2 id="step-up-heading">Confirm it is you</h2>
      <p>
        {why}{' '}
        {passkey && totp
          ? 'Use your passkey, or enter the current code from your authenticator app, to continue.'
          : passkey
            ? 'Use your passkey to continue.'
            : 'Enter the current code from your authenticator app to continue.'}
      </p>
      <form onSubmit={submitCode} noValidate aria-busy={busy === 'totp'}>
        <FactorPicker
          methods={offered}
          factor={factor}
          fields={{ passkey: passkeyButton, totp: { label: 'Code from your authenticator app', autoFocus: !passkey } }}
        />
        <ErrorMessage>{error}</ErrorMessage>
        {totp ? (
          <div className="actions">
            <SubmitButton busy={busy === 'totp'} label="Confirm" busyLabel="Confirming…" />
            {cancel}
          </div>
        ) : null}
      </form>
    </section>
  );
}
