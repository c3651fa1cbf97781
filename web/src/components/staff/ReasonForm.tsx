/**
 * A staff action's form: why (required, 3 to 500 characters: it goes into the audit log), any
 * fields of its own, and, for actions hard to undo, a confirm step. The action runs through the
 * console's `call`, so a lapsed step-up is asked for first.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { SubmitButton, TextField } from '../Fields.tsx';
import { ErrorMessage } from '../Messages.tsx';
import { useStaff } from './useStaff.ts';

interface ReasonFormProps {
  title: string;
  submitLabel: string;
  busyLabel: string;
  /** What the action does, said before it is done. */
  note?: ReactNode;
  /** Fields of the action's own, above the reason. */
  children?: ReactNode;
  /** Ask once more before acting: the question and the button that answers yes. */
  confirm?: { question: string; yes: string };
  danger?: boolean;
  onSubmit: (reason: string) => Promise<void>;
  onCancel: () => void;
}

/** The reason as the server takes it (reasonField in contracts/staff.ts), or what is wrong with it. */
function reasonProblem(reason: string): string | null {
  if (reason.length < 3) return 'Say why (at least 3 characters): it is kept in the audit log.';
  if (reason.length > 500) return 'Keep the reason to 500 characters or fewer.';
  return null;
}

export function ReasonForm({ title, submitLabel, busyLabel, note, children, confirm, danger = false, onSubmit, onCancel }: ReasonFormProps) {
  const { call, asking } = useStaff();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [reasonWrong, setReasonWrong] = useState(false);
  const headingId = useId();
  const errorId = useId();
  const questionId = useId();
  const input = useRef<HTMLInputElement>(null);
  const question = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const act = () => {
    if (busy) return;
    setError('');
    void call(async () => {
      setBusy(true);
      try {
        await onSubmit(reason.trim());
      } finally {
        setBusy(false);
      }
    }, setError);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const wrong = reasonProblem(reason.trim());
    setReasonWrong(wrong !== null);
    if (wrong) {
      setError(wrong);
      input.current?.focus();
      return;
    }
    if (confirm) setConfirming(true);
    else act();
  };

  const primary = danger ? 'button-danger' : undefined;

  return (
    <section className="staff-action" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {note ? <div className="small">{note}</div> : null}
      <form onSubmit={submit} noValidate aria-busy={busy}>
        {children}
        <TextField
          label="Reason"
          hint="Kept in the audit log with your name."
          value={reason}
          onValueChange={(value) => {
            setReason(value);
            setConfirming(false);
          }}
          inputRef={input}
          errorId={reasonWrong && error ? errorId : undefined}
          maxLength={500}
          autoComplete="off"
          autoFocus
        />
        <ErrorMessage id={errorId}>{error}</ErrorMessage>
        {confirming && confirm ? (
          <div className="sc-confirm" role="group" aria-labelledby={questionId}>
            <h4 id={questionId} ref={question} tabIndex={-1}>
              {confirm.question}
            </h4>
            <div className="actions">
              <button type="button" className={primary} onClick={act} aria-disabled={busy || asking ? true : undefined}>
                {busy ? busyLabel : confirm.yes}
              </button>
              <button type="button" className="button-secondary" onClick={() => setConfirming(false)} disabled={busy}>
                Go back
              </button>
            </div>
          </div>
        ) : (
          <div className="actions">
            <SubmitButton busy={busy} label={submitLabel} busyLabel={busyLabel} disabled={asking} className={primary} />
            <button type="button" className="button-secondary" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
