/**
 * Deciding a pending KYC case: approve, reject or ask for items again, with a reason (shown to the
 * user when rejecting or asking again; always kept in the audit log) and, for a resubmission, which
 * items (the back of the document only where the document type has one).
 * POST /api/staff/kyc/{id}/decision.
 */
import { useRef, useState } from 'react';
import type { KycItem } from '../../../../src/contracts/kyc.ts';
import type { DecisionBody, KycCaseDetail, KycCaseSummary } from '../../../../src/contracts/staff.ts';
import { post } from '../../api.ts';
import { Checkbox } from '../../components/Fields.tsx';
import { FILES_FOR, STAFF_ITEM_LABELS } from '../../components/kyc/words.ts';
import { ErrorMessage } from '../../components/Messages.tsx';
import { DecisionButton, DecisionReason, useDecision, type DecisionFormProps } from '../../components/staff/Decide.tsx';

type Decision = DecisionBody['decision'];

const DONE: Record<Decision, string> = {
  approve: 'The case is approved: the identity is verified.',
  reject: 'The case is rejected. The user sees your reason.',
  resubmit: 'The user is asked to send the chosen items again.',
};

export function DecisionForm({ detail, onDecided }: DecisionFormProps<KycCaseDetail>) {
  const [items, setItems] = useState<readonly KycItem[]>([]);
  const itemsBox = useRef<HTMLFieldSetElement>(null);
  const offered: KycItem[] = [...FILES_FOR[detail.documentType], 'details'];
  const chosen = offered.filter((item) => items.includes(item));

  const toggle = (item: KycItem) => (checked: boolean) => setItems((all) => (checked ? [...all, item] : all.filter((i) => i !== item)));

  const form = useDecision<Decision, 'items'>({
    tooShort: 'Write the reason (at least 3 characters).',
    check: (decision) => {
      if (decision !== 'resubmit' || chosen.length > 0) return null;
      itemsBox.current?.querySelector('input')?.focus();
      return { about: 'items', message: 'Choose what the user must send again.' };
    },
    send: async (decision, reason) => {
      const body: DecisionBody = decision === 'resubmit' ? { decision, reason, items: chosen } : { decision, reason };
      await post<KycCaseSummary>(`/api/staff/kyc/${encodeURIComponent(detail.id)}/decision`, body);
      return DONE[decision];
    },
    onDecided,
  });

  return (
    <form onSubmit={(event) => event.preventDefault()} noValidate aria-busy={form.busy !== null} data-testid="kyc-decision">
      <DecisionReason form={form} label="Reason" hint="Shown to the user when you reject the case or ask for items again; always kept in the audit log." />
      <fieldset className="choices" ref={itemsBox} aria-describedby={form.problem?.about === 'items' ? form.errorId : undefined}>
        <legend>What to send again (for a resubmission)</legend>
        {offered.map((item) => (
          <Checkbox key={item} label={STAFF_ITEM_LABELS[item]} checked={items.includes(item)} onCheckedChange={toggle(item)} />
        ))}
      </fieldset>
      <ErrorMessage id={form.errorId}>{form.problem?.message}</ErrorMessage>
      <div className="actions">
        <DecisionButton form={form} decision="approve" label="Approve" />
        <DecisionButton form={form} decision="resubmit" label="Request resubmission" className="button-secondary" />
        <DecisionButton form={form} decision="reject" label="Reject" className="button-danger" />
      </div>
    </form>
  );
}
