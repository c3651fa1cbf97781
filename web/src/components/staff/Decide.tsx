/**
 * What the staff decision forms share (a KYC case, a 2FA reset request): the reason (3 to 500
 * characters), one button per decision that says it is working while its decision is sent, the
 * error and the field it is about. The decision goes through the console's `call`, so a lapsed
 * step-up is asked for first.
 */
import { useId, useRef, useState } from 'react';
import { TextAreaField } from '../Fields.tsx';
import { useStaff } from './useStaff.ts';

/** The props of a decision form: what is decided, and what to do once it is. */
export interface DecisionFormProps<Detail> {
  detail: Detail;
  onDecided: (message: string) => void;
}

export interface DecisionProblem<About extends string> {
  /** The field the error is about: the reason, one of the form's own, or none (a refusal). */
  about: 'reason' | About | null;
  message: string;
}

interface DecisionRules<D extends string, About extends string> {
  /** What is said when the reason is missing or too short. */
  tooShort: string;
  /** Whether `decision` can be made now (a press of a button for one that cannot does nothing). */
  allowed?: (decision: D) => boolean;
  /** Once the reason is right: what else is wrong with `decision` (its field focused already), or null. */
  check?: (decision: D) => DecisionProblem<About> | null;
  /** Sends the decision; answers what the console says once it is made. */
  send: (decision: D, reason: string) => Promise<string>;
  onDecided: (message: string) => void;
}

export function useDecision<D extends string, About extends string = never>({ tooShort, allowed, check, send, onDecided }: DecisionRules<D, About>) {
  const { call, asking } = useStaff();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<D | null>(null);
  const [problem, setProblem] = useState<DecisionProblem<About> | null>(null);
  const errorId = useId();
  const reasonInput = useRef<HTMLTextAreaElement>(null);

  const decide = (decision: D) => {
    if (busy) return;
    if (allowed && !allowed(decision)) return;
    const why = reason.trim();
    if (why.length < 3 || why.length > 500) {
      setProblem({ about: 'reason', message: why.length < 3 ? tooShort : 'Keep the reason to 500 characters or fewer.' });
      reasonInput.current?.focus();
      return;
    }
    const wrong = check?.(decision) ?? null;
    if (wrong) {
      setProblem(wrong);
      return;
    }
    setProblem(null);
    void call(
      async () => {
        setBusy(decision);
        try {
          onDecided(await send(decision, why));
        } finally {
          setBusy(null);
        }
      },
      (message) => setProblem({ about: null, message }),
    );
  };

  return {
    reason,
    setReason,
    reasonInput,
    busy,
    problem,
    errorId,
    /** aria-disabled for the buttons: a decision is being sent, or the step-up is asked for. */
    pending: busy !== null || asking ? true : undefined,
    decide,
  };
}

export type Decision<D extends string, About extends string = never> = ReturnType<typeof useDecision<D, About>>;

/** The decision's reason. */
export function DecisionReason<D extends string, About extends string>({ form, label, hint }: { form: Decision<D, About>; label: string; hint: string }) {
  return (
    <TextAreaField
      label={label}
      hint={hint}
      value={form.reason}
      onValueChange={form.setReason}
      textareaRef={form.reasonInput}
      errorId={form.problem?.about === 'reason' ? form.errorId : undefined}
      maxLength={500}
    />
  );
}

const BUSY = { approve: 'Approving…', reject: 'Rejecting…', resubmit: 'Sending the request…' };

interface DecisionButtonProps<D extends string, About extends string> {
  form: Decision<D, About>;
  decision: D & keyof typeof BUSY;
  label: string;
  className?: string;
  /** Not offered now, and the id of what says why. */
  disabled?: boolean;
  describedBy?: string | undefined;
}

export function DecisionButton<D extends string, About extends string>({ form, decision, label, className, disabled, describedBy }: DecisionButtonProps<D, About>) {
  return (
    <button type="button" className={className} onClick={() => form.decide(decision)} disabled={disabled} aria-describedby={describedBy} aria-disabled={form.pending}>
      {form.busy === decision ? BUSY[decision] : label}
    </button>
  );
}
