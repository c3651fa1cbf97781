/**
 * Step-up for sensitive actions: run the action; if the server answers step_up_required, ask for a
 * code from the authenticator app (POST /api/auth/step-up) and run the action again.
 */
import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError, post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { TextField, SubmitButton } from './Fields.tsx';
import { ErrorMessage } from './Messages.tsx';

type Action = () => Promise<void>;

interface StepUp {
  /** Runs the action, asking for step-up first if the server wants it. Other failures go to onError. */
  run: (action: Action) => Promise<void>;
  /** The prompt to render while a code is needed (null otherwise). */
  prompt: ReactNode;
  /** True while the prompt is shown. */
  asking: boolean;
}

export function useStepUp(onError: (error: unknown) => void): StepUp {
  const [pending, setPending] = useState<{ action: Action } | null>(null);

  const run = useCallback(
    async (action: Action) => {
      try {
        await action();
      } catch (error) {
        if (isApiError(error, 'step_up_required')) setPending({ action });
        else onError(error);
      }
    },
    [onError],
  );

  const prompt = pending ? (
    <StepUpPrompt
      onCancel={() => setPending(null)}
      onConfirmed={async () => {
        setPending(null);
        await run(pending.action);
      }}
    />
  ) : null;

  return { run, prompt, asking: pending !== null };
}

function StepUpPrompt({ onConfirmed, onCancel }: { onConfirmed: () => Promise<void>; onCancel: () => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.replace(/\s+/g, '');
    if (!trimmed) {
      setError('Enter the 6-digit code from your authenticator app.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await post('/api/auth/step-up', { method: 'totp', code: trimmed });
    } catch (failure) {
      setBusy(false);
      setError(errorMessage(failure));
      return;
    }
    await onConfirmed();
  };

  return (
    <section className="step-up panel">
      <h2>Confirm it is you</h2>
      <p>This is a sensitive change. Enter the current code from your authenticator app to continue.</p>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <TextField
          label="Code from your authenticator app"
          value={code}
          onValueChange={setCode}
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          maxLength={12}
        />
        <ErrorMessage>{error}</ErrorMessage>
        <div className="actions">
          <SubmitButton busy={busy} label="Confirm" busyLabel="Confirming…" />
          <button type="button" className="button-secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
