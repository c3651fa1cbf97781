/**
 * Staff console, the 2FA reset queue (/staff/2fa-resets?status=…): GET /api/staff/2fa-resets,
 * pending requests by default, oldest first as the server sends them, a page at a time. Each row
 * says who, when, the risk signals and the identity check's status, and links to the review.
 */
import type { ResetQueueBody, ResetState, ResetSummary } from '../../../../src/contracts/two-factor-reset.ts';
import { Later, When } from '../../components/security/When.tsx';
import { QueueItems, StatusFilter, useQueueStatus } from '../../components/staff/Queue.tsx';
import { ResetSignals } from '../../components/staff/ResetBadges.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { StaffTable } from '../../components/staff/StaffTable.tsx';
import { KycBadge } from '../../components/staff/UserSummary.tsx';
import { useStaffPages } from '../../components/staff/useStaffData.ts';
import { resetPath, withQuery } from '../../components/staff/words.ts';
import { RESET_STATE_LABELS } from '../../components/two-factor-reset/words.ts';
import { Link } from '../../router.tsx';

const HEADINGS: Record<ResetState, string> = {
  pending: 'Pending requests',
  approved: 'Approved, waiting to take effect',
  rejected: 'Rejected requests',
  cancelled: 'Cancelled requests',
  completed: 'Completed resets',
};

export const StaffResetQueuePage = staffPage('2FA reset requests', 'resets', Queue);

function Queue() {
  const status = useQueueStatus(RESET_STATE_LABELS, 'pending');
  const requests = useStaffPages<ResetQueueBody, ResetSummary>(withQuery('/api/staff/2fa-resets', { status }), (page) => page.requests);
  const waiting = status === 'approved';
  const columns = ['Email', 'Submitted', 'Risk signals', 'KYC', ...(waiting ? ['Takes effect'] : [])];

  return (
    <section className="panel" aria-labelledby="queue-heading">
      <h2 id="queue-heading">{HEADINGS[status]}</h2>
      <p className="small muted">Oldest first. Compare each new selfie with the identity on file before you decide.</p>
      <StatusFilter status={status} labels={RESET_STATE_LABELS} page="/staff/2fa-resets" />
      <QueueItems pages={requests} noun={['request', 'requests']}>
        {(items) => (
          <StaffTable label={HEADINGS[status]} columns={columns} testId="reset-queue">
            {items.map((request) => (
              <tr key={request.id} data-testid="reset-request" data-request-id={request.id} data-state={request.state}>
                <td className="wrap">
                  <Link to={resetPath(request.id)}>{request.email}</Link>
                </td>
                <td>
                  <When iso={request.submittedAt} />
                </td>
                <td>
                  <ResetSignals signals={request.riskSignals} />
                </td>
                <td>
                  <KycBadge status={request.kycStatus} />
                </td>
                {waiting ? <td>{request.effectiveAt ? <Later iso={request.effectiveAt} /> : '—'}</td> : null}
              </tr>
            ))}
          </StaffTable>
        )}
      </QueueItems>
    </section>
  );
}
