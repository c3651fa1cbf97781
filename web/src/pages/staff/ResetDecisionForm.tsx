/**
 * Deciding a pending 2FA reset request: approve (the wait starts; only once the identity is
 * verified in the KYC queue) or reject, with a reason the user sees on the request's status page
 * (always kept in the audit log). POST /api/staff/2fa-resets/{id}/decision.
 */
import { useId, useRef, useState } from 'react';
import type { ResetDecisionBody, ResetDetail, ResetSummary } from '../../../../src/contracts/two-factor-reset.ts';
import { post } from '../../api.ts';
import { TextAreaField } from '../../components/Fields.tsx';
import { ErrorMessage, StatusMessage } from '../../components/Messages.tsx';
import { localTime } from '../../components/security/format.ts';
import { useStaff } from '../../components/staff/useStaff.ts';
import { casePath } from '../../components/staff/words.ts';
import { Link } from '../../router.tsx';

type Decision = ResetDecisionBody['decision'];

const BUSY: Record<Decision, string> = { approve: 'Approving…', reject: 'Rejecting…' };

/** What the console says once the decision is made. */
function doneMessage(decision: Decision, answer: ResetSummary): string {
  if (decision === 'reject') return 'The request is rejected. The user sees your reason.';
  const when = answer.effectiveAt ? ` at ${localTime(answer.effectiveAt)}` : '';
  return `The reset is approved. It takes effect${when} unless it is cancelled from one of the emails first.`;
}

interface ResetDecisionFormProps {
  detail: ResetDetail;
  onDecided: (message: string) => void;
}

export function ResetDecisionForm({ detail, onDecided }: ResetDecisionFormProps) {
  const { call, asking } = useStaff();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<Decision | null>(null);
  const [problem, setProblem] = useState<{ about: 'reason' | null; message: string } | null>(null);
  const errorId = useId();
  const unverifiedId = useId();
  const reasonInput = useRef<HTMLTextAreaElement>(null);

  const decide = (decision: Decision) => {
    if (busy) return;
    if (decision === 'approve' && !detail.kycVerified) return;
    const why = reason.trim();
    if (why.length < 3 || why.length > 500) {
      setProblem({ about: 'reason', message: why.length < 3 ? 'Write the reason (at least 3 characters): the user sees it.' : 'Keep the reason to 500 characters or fewer.' });
      reasonInput.current?.focus();
      return;
    }
    setProblem(null);
    const body: ResetDecisionBody = { decision, reason: why };
    void call(
      async () => {
        setBusy(decision);
        try {
          const answer = await post<ResetSummary>(`/api/staff/2fa-resets/${encodeURIComponent(detail.id)}/decision`, body);
          onDecided(doneMessage(decision, answer));
        } finally {
          setBusy(null);
        }
      },
      (message) => setProblem({ about: null, message }),
    );
  };

  const pending = busy !== null || asking ? true : undefined;

  return (
    <form onSubmit={(event) => event.preventDefault()} noValidate aria-busy={busy !== null} data-testid="reset-decision">
      {!detail.kycVerified ? (
        <div id={unverifiedId}>
          <StatusMessage>
            The identity is not verified yet: approve it in the KYC queue first
            {detail.kyc ? (
              <>
                {' '}
                (<Link to={casePath(detail.kyc.caseId)}>open the KYC case</Link>)
              </>
            ) : null}
            . Until then you can only reject the reset.
          </StatusMessage>
        </div>
      ) : null}
      <TextAreaField
        label="Reason (the user sees it)"
        hint="Shown to the user on the request’s status page; always kept in the audit log with your name."
        value={reason}
        onValueChange={setReason}
        textareaRef={reasonInput}
        errorId={problem?.about === 'reason' ? errorId : undefined}
        maxLength={500}
      />
      <ErrorMessage id={errorId}>{problem?.message}</ErrorMessage>
      <div className="actions">
        <button
          type="button"
          onClick={() => decide('approve')}
          disabled={!detail.kycVerified}
          aria-describedby={!detail.kycVerified ? unverifiedId : undefined}
          aria-disabled={pending}
        >
          {busy === 'approve' ? BUSY.approve : 'Approve reset'}
        </button>
        <button type="button" className="button-danger" onClick={() => decide('reject')} aria-disabled={pending}>
          {busy === 'reject' ? BUSY.reject : 'Reject reset'}
        </button>
      </div>
    </form>
  );
}
