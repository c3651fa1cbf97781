/**
 * One passkey in security settings: what it is, when it was added and last used, whether it is
 * disabled (and why), with Rename (inline form, no step-up) and Delete (confirmation, step-up).
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { PublicPasskey as Passkey, RenamePasskeyAnswer, RenamePasskeyBody } from '../../../../src/contracts/passkeys.ts';
import { del, isApiError, patch } from '../../api.ts';
import { SubmitButton, TextField } from '../Fields.tsx';
import { ErrorMessage } from '../Messages.tsx';
import { When } from '../security/When.tsx';
import { NAME_MAX } from './AddPasskeyForm.tsx';
import { Fact } from '../security/Fact.tsx';

type Mode = 'view' | 'rename' | 'delete';

interface Props {
  passkey: Passkey;
  /** Runs an action with step-up when the server asks for it (useStepUp). */
  run: (action: () => Promise<void>) => Promise<void>;
  describe: (failure: unknown) => string;
  onRenamed: (passkey: Passkey) => void;
  onDeleted: (passkey: Passkey) => void;
}

export function PasskeyItem({ passkey, run, describe, onRenamed, onDeleted }: Props) {
  const [mode, setMode] = useState<Mode>('view');
  const [name, setName] = useState(passkey.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const previous = useRef<Mode>('view');
  const confirmId = useId();

  // Focus follows the mode: into the form or question that opened, back to its button when it closes.
  useEffect(() => {
    if (mode === 'delete') confirmHeading.current?.focus();
    else if (mode === 'view' && previous.current !== 'view') (previous.current === 'rename' ? renameButton : deleteButton).current?.focus();
    previous.current = mode;
  }, [mode]);

  const open = (next: Mode) => {
    setError('');
    setName(passkey.name);
    setMode(next);
  };

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (!trimmed) return setError('Enter a name for the passkey.');
    if (trimmed === passkey.name) return setMode('view');
    setError('');
    // Renaming needs a fresh step-up, as deleting does: `run` asks for it when the server wants it.
    await run(async () => {
      setBusy(true);
      try {
        const answer = await patch<RenamePasskeyAnswer>(`/api/me/passkeys/${encodeURIComponent(passkey.id)}`, { name: trimmed } satisfies RenamePasskeyBody);
        setMode('view');
        onRenamed(answer.passkey);
      } catch (failure) {
        if (isApiError(failure, 'step_up_required')) throw failure;
        setError(describe(failure));
      } finally {
        setBusy(false);
      }
    });
  };

  const remove = () => {
    if (busy) return;
    setError('');
    void run(async () => {
      setBusy(true);
      try {
        await del(`/api/me/passkeys/${encodeURIComponent(passkey.id)}`);
        onDeleted(passkey);
      } catch (failure) {
        if (isApiError(failure, 'step_up_required')) throw failure;
        setError(describe(failure));
      } finally {
        setBusy(false);
      }
    });
  };

  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !busy) {
      event.preventDefault();
      setMode('view');
    }
  };

  return (
    <li className="sc-item" data-testid="passkey">
      <div className="sc-item-head">
        <strong className="wrap">{passkey.name}</strong>
        {passkey.disabled ? <span className="badge badge-alert">Disabled</span> : null}
        {passkey.backedUp ? <span className="badge badge-current">Synced</span> : null}
      </div>
      {passkey.disabled ? <p className="small">{passkey.disabledReason ?? 'This passkey can no longer be used.'}</p> : null}
      <dl className="sc-facts">
        <Fact label="Type" className="wrap">{passkey.authenticator ?? (passkey.backedUp ? 'Synced passkey' : 'Passkey on one device')}</Fact>
        <Fact label="Added"><When iso={passkey.createdAt} /></Fact>
        <Fact label="Last used">{passkey.lastUsedAt ? <When iso={passkey.lastUsedAt} /> : 'Never'}</Fact>
      </dl>

      {mode === 'view' ? (
        <div className="actions">
          <button ref={renameButton} type="button" className="button-secondary button-small" onClick={() => open('rename')}>
            Rename<span className="visually-hidden"> {passkey.name}</span>
          </button>
          <button ref={deleteButton} type="button" className="button-secondary button-small" onClick={() => open('delete')}>
            Delete<span className="visually-hidden"> {passkey.name}</span>
          </button>
        </div>
      ) : null}

      {mode === 'rename' ? (
        <form onSubmit={rename} onKeyDown={cancelOnEscape} noValidate aria-busy={busy} className="passkey-rename">
          <TextField
            label={`New name for ${passkey.name}`}
            value={name}
            onValueChange={setName}
            autoComplete="off"
            maxLength={NAME_MAX}
            autoFocus
            onFocus={(event) => event.currentTarget.select()}
          />
          <ErrorMessage>{error}</ErrorMessage>
          <div className="actions">
            <SubmitButton busy={busy} label="Save name" busyLabel="Saving…" />
            <button type="button" className="button-secondary" onClick={() => setMode('view')} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}

      {mode === 'delete' ? (
        <div className="sc-confirm" role="group" aria-labelledby={confirmId} onKeyDown={cancelOnEscape}>
          <h3 id={confirmId} ref={confirmHeading} tabIndex={-1}>
            Delete the passkey “{passkey.name}”?
          </h3>
          <p>You will no longer be able to sign in or confirm it is you with it. You can also remove it from your device or password manager.</p>
          <ErrorMessage>{error}</ErrorMessage>
          <div className="actions">
            <button type="button" className="button-danger" onClick={remove} aria-disabled={busy ? true : undefined}>
              {busy ? 'Deleting…' : 'Yes, delete it'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setMode('view')} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {mode === 'view' ? <ErrorMessage>{error}</ErrorMessage> : null}
    </li>
  );
}
