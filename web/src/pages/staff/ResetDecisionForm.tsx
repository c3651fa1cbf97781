/**
 * Deciding a pending 2FA reset request: approve (the wait starts; only once the identity is
 * verified in the KYC queue) or reject, with a reason the user sees on the request's status page
 * (always kept in the audit log). POST /api/staff/2fa-resets/{id}/decision.
 */
import { useId } from 'react';
import type { ResetDecisionBody, ResetDetail, ResetSummary } from '../../../../src/contracts/two-factor-reset.ts';
import { post } from '../../api.ts';
import { ErrorMessage, StatusMessage } from '../../components/Messages.tsx';
import { localTime } from '../../components/security/format.ts';
import { DecisionButton, DecisionReason, useDecision, type DecisionFormProps } from '../../components/staff/Decide.tsx';
import { casePath } from '../../components/staff/words.ts';
import { Link } from '../../router.tsx';

type Decision = ResetDecisionBody['decision'];

/** What the console says once the decision is made. */
function doneMessage(decision: Decision, answer: ResetSummary): string {
  if (decision === 'reject') return 'The request is rejected. The user sees your reason.';
  const when = answer.effectiveAt ? ` at ${localTime(answer.effectiveAt)}` : '';
  return `The reset is approved. It takes effect${when} unless it is cancelled from one of the emails first.`;
}

export function ResetDecisionForm({ detail, onDecided }: DecisionFormProps<ResetDetail>) {
  const unverifiedId = useId();
  const form = useDecision<Decision>({
    tooShort: 'Write the reason (at least 3 characters): the user sees it.',
    allowed: (decision) => decision !== 'approve' || detail.kycVerified,
    send: async (decision, reason) => {
      const answer = await post<ResetSummary>(`/api/staff/2fa-resets/${encodeURIComponent(detail.id)}/decision`, { decision, reason } satisfies ResetDecisionBody);
      return doneMessage(decision, answer);
    },
    onDecided,
  });

  return (
    <form onSubmit={(event) => event.preventDefault()} noValidate aria-busy={form.busy !== null} data-testid="reset-decision">
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
      <DecisionReason
        form={form}
        label="Reason (the user sees it)"
        hint="Shown to the user on the request’s status page; always kept in the audit log with your name."
      />
      <ErrorMessage id={form.errorId}>{form.problem?.message}</ErrorMessage>
      <div className="actions">
        <DecisionButton
          form={form}
          decision="approve"
          label="Approve reset"
          disabled={!detail.kycVerified}
          describedBy={!detail.kycVerified ? unverifiedId : undefined}
        />
        <DecisionButton form={form} decision="reject" label="Reject reset" className="button-danger" />
      </div>
    </form>
  );
}
