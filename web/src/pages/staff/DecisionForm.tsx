/**
 * Deciding a pending KYC case: approve, reject or ask for items again, with a reason (shown to the
 * user when rejecting or asking again; always kept in the audit log) and, for a resubmission, which
 * items (the back of the document only where the document type has one).
 * POST /api/staff/kyc/{id}/decision.
 */
import { useId, useRef, useState } from 'react';
import type { KycItem } from '../../../../src/contracts/kyc.ts';
import type { DecisionBody, KycCaseDetail, KycCaseSummary } from '../../../../src/contracts/staff.ts';
import { post } from '../../api.ts';
import { Checkbox, TextAreaField } from '../../components/Fields.tsx';
import { FILES_FOR, STAFF_ITEM_LABELS } from '../../components/kyc/words.ts';
import { ErrorMessage } from '../../components/Messages.tsx';
import { useStaff } from '../../components/staff/useStaff.ts';

type Decision = DecisionBody['decision'];

const DONE: Record<Decision, string> = {
  approve: 'The case is approved: the identity is verified.',
  reject: 'The case is rejected. The user sees your reason.',
  resubmit: 'The user is asked to send the chosen items again.',
};

const BUSY: Record<Decision, string> = { approve: 'Approving…', reject: 'Rejecting…', resubmit: 'Sending the request…' };

interface DecisionFormProps {
  detail: KycCaseDetail;
  onDecided: (message: string) => void;
}

export function DecisionForm({ detail, onDecided }: DecisionFormProps) {
  const { call, asking } = useStaff();
  const [reason, setReason] = useState('');
  const [items, setItems] = useState<readonly KycItem[]>([]);
  const [busy, setBusy] = useState<Decision | null>(null);
  const [problem, setProblem] = useState<{ about: 'reason' | 'items' | null; message: string } | null>(null);
  const errorId = useId();
  const reasonInput = useRef<HTMLTextAreaElement>(null);
  const itemsBox = useRef<HTMLFieldSetElement>(null);
  const offered: KycItem[] = [...FILES_FOR[detail.documentType], 'details'];

  const toggle = (item: KycItem) => (checked: boolean) => setItems((all) => (checked ? [...all, item] : all.filter((i) => i !== item)));

  const decide = (decision: Decision) => {
    if (busy) return;
    const why = reason.trim();
    if (why.length < 3 || why.length > 500) {
      setProblem({ about: 'reason', message: why.length < 3 ? 'Write the reason (at least 3 characters).' : 'Keep the reason to 500 characters or fewer.' });
      reasonInput.current?.focus();
      return;
    }
    const chosen = offered.filter((item) => items.includes(item));
    if (decision === 'resubmit' && chosen.length === 0) {
      setProblem({ about: 'items', message: 'Choose what the user must send again.' });
      itemsBox.current?.querySelector('input')?.focus();
      return;
    }
    setProblem(null);
    const body: DecisionBody = decision === 'resubmit' ? { decision, reason: why, items: chosen } : { decision, reason: why };
    void call(
      async () => {
        setBusy(decision);
        try {
          await post<KycCaseSummary>(`/api/staff/kyc/${encodeURIComponent(detail.id)}/decision`, body);
          onDecided(DONE[decision]);
        } finally {
          setBusy(null);
        }
      },
      (message) => setProblem({ about: null, message }),
    );
  };

  const button = (decision: Decision, label: string, className?: string) => (
    <button type="button" className={className} onClick={() => decide(decision)} aria-disabled={busy !== null || asking ? true : undefined}>
      {busy === decision ? BUSY[decision] : label}
    </button>
  );

  return (
    <form onSubmit={(event) => event.preventDefault()} noValidate aria-busy={busy !== null} data-testid="kyc-decision">
      <TextAreaField
        label="Reason"
        hint="Shown to the user when you reject the case or ask for items again; always kept in the audit log."
        value={reason}
        onValueChange={setReason}
        textareaRef={reasonInput}
        errorId={problem?.about === 'reason' ? errorId : undefined}
        maxLength={500}
      />
      <fieldset className="choices" ref={itemsBox} aria-describedby={problem?.about === 'items' ? errorId : undefined}>
        <legend>What to send again (for a resubmission)</legend>
        {offered.map((item) => (
          <Checkbox key={item} label={STAFF_ITEM_LABELS[item]} checked={items.includes(item)} onCheckedChange={toggle(item)} />
        ))}
      </fieldset>
      <ErrorMessage id={errorId}>{problem?.message}</ErrorMessage>
      <div className="actions">
        {button('approve', 'Approve')}
        {button('resubmit', 'Request resubmission', 'button-secondary')}
        {button('reject', 'Reject', 'button-danger')}
      </div>
    </form>
  );
}
