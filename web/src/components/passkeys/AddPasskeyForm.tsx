/**
 * Creating a passkey: an optional name, then the browser's prompt (POST
 * /api/me/passkeys/registration-options, the ceremony, POST /api/me/passkeys). Used for the
 * mandatory second factor (enrollment page) and for adding more (security settings).
 * step_up_required is passed through to `run` (useStepUp), which asks and then tries again.
 */
import { useState, type FormEvent } from 'react';
import type { AddPasskeyAnswer, AddPasskeyBody } from '../../../../src/contracts/passkeys.ts';
import { isApiError, post } from '../../api.ts';
import { errorMessage } from '../../errors.ts';
import { createCredential, isPasskeyAborted, type Sent } from '../../passkeys.ts';
import { SubmitButton, TextField } from '../Fields.tsx';
import { ErrorMessage } from '../Messages.tsx';

interface Props {
  /** Runs the action (with step-up when the server asks for it). */
  run: (action: () => Promise<void>) => Promise<void>;
  /** The new passkey, with the backup codes (shown once) when it was the account's first second factor. */
  onAdded: (added: AddPasskeyAnswer) => Promise<void> | void;
  label: string;
  /** Offer a name field (the server names it after the authenticator otherwise). */
  withName?: boolean;
  /** Words for a failure ('' when the page is leaving, e.g. the session ended). */
  describe?: (failure: unknown) => string;
  disabled?: boolean;
}

export const NAME_MAX = 64;

export function AddPasskeyForm({ run, onAdded, label, withName = false, describe = errorMessage, disabled = false }: Props) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (trimmed.length > NAME_MAX) return setError(`Use at most ${NAME_MAX} characters for the name.`);
    setError('');
    void run(async () => {
      setBusy(true);
      try {
        const credential = await createCredential();
        const body: Sent<AddPasskeyBody> = { credential, ...(trimmed ? { name: trimmed } : {}) };
        const added = await post<AddPasskeyAnswer>('/api/me/passkeys', body);
        setName('');
        await onAdded(added);
      } catch (failure) {
        if (isApiError(failure, 'step_up_required')) throw failure;
        if (!isPasskeyAborted(failure)) setError(describe(failure));
      } finally {
        setBusy(false);
      }
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-busy={busy}>
      {withName ? (
        <TextField
          label="Passkey name (optional)"
          hint="So you can tell your passkeys apart, for example “Work laptop” or “Phone”."
          value={name}
          onValueChange={setName}
          autoComplete="off"
          maxLength={NAME_MAX}
        />
      ) : null}
      <ErrorMessage>{error}</ErrorMessage>
      <SubmitButton busy={busy} label={label} busyLabel="Waiting for your passkey…" disabled={disabled} />
    </form>
  );
}
