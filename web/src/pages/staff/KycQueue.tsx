/**
 * Staff console, the KYC queue (/staff/kyc?status=…): GET /api/staff/kyc, pending cases by default,
 * oldest first as the server sends them, a page at a time. Each case links to its review.
 */
import type { KycCaseSummary, KycQueueBody } from '../../../../src/contracts/staff.ts';
import { KYC_STATUS_LABELS } from '../../components/kyc/words.ts';
import { KycCaseItem } from '../../components/staff/KycCaseItem.tsx';
import { QueueItems, StatusFilter, useQueueStatus } from '../../components/staff/Queue.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { useStaffPages } from '../../components/staff/useStaffData.ts';
import { withQuery } from '../../components/staff/words.ts';

export const StaffKycQueuePage = staffPage('KYC queue', 'kyc', Queue);

function Queue() {
  const status = useQueueStatus(KYC_STATUS_LABELS, 'pending');
  const cases = useStaffPages<KycQueueBody, KycCaseSummary>(withQuery('/api/staff/kyc', { status }), (page) => page.cases);

  return (
    <section className="panel" aria-labelledby="queue-heading">
      <h2 id="queue-heading">{KYC_STATUS_LABELS[status]} cases</h2>
      <StatusFilter status={status} labels={KYC_STATUS_LABELS} page="/staff/kyc" />
      <QueueItems pages={cases} noun={['case', 'cases']}>
        {(items) => (
          <ol className="sc-list" data-testid="kyc-queue">
            {items.map((kycCase) => (
              <KycCaseItem key={kycCase.id} kycCase={kycCase} />
            ))}
          </ol>
        )}
      </QueueItems>
    </section>
  );
}
