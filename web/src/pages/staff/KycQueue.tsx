/**
 * Staff console, the KYC queue (/staff/kyc?status=…): GET /api/staff/kyc, pending cases by default,
 * oldest first as the server sends them, a page at a time. Each case links to its review.
 */
import type { KycStatus } from '../../../../src/contracts/kyc.ts';
import type { KycCaseSummary, KycQueueBody } from '../../../../src/contracts/staff.ts';
import { choicesFrom, SelectField } from '../../components/Fields.tsx';
import { KYC_STATUS_LABELS } from '../../components/kyc/words.ts';
import { LoadState } from '../../components/security/LoadState.tsx';
import { KycCaseItem } from '../../components/staff/KycCaseItem.tsx';
import { LoadMore } from '../../components/staff/LoadMore.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { useStaffPages } from '../../components/staff/useStaffData.ts';
import { withQuery } from '../../components/staff/words.ts';
import { navigate, useQueryParam } from '../../router.tsx';

const STATUS_CHOICES = choicesFrom(KYC_STATUS_LABELS);
const isStatus = (value: string): value is KycStatus => Object.hasOwn(KYC_STATUS_LABELS, value);

export const StaffKycQueuePage = staffPage('KYC queue', 'kyc', Queue);

function Queue() {
  const asked = useQueryParam('status');
  const status: KycStatus = isStatus(asked) ? asked : 'pending';
  const cases = useStaffPages<KycQueueBody, KycCaseSummary>(withQuery('/api/staff/kyc', { status }), (page) => page.cases);

  return (
    <section className="panel" aria-labelledby="queue-heading">
      <h2 id="queue-heading">{KYC_STATUS_LABELS[status]} cases</h2>
      <div className="staff-filters">
        <SelectField
          label="Status"
          value={status}
          onValueChange={(next) => navigate(withQuery('/staff/kyc', { status: next }), { replace: true })}
          choices={STATUS_CHOICES}
        />
      </div>
      <LoadState what="the cases" loaded={cases.items !== null} error={cases.error} onRetry={cases.reload} />
      {cases.items && cases.items.length === 0 ? <p>No cases with this status.</p> : null}
      {cases.items && cases.items.length > 0 ? (
        <ol className="sc-list" data-testid="kyc-queue">
          {cases.items.map((kycCase) => (
            <KycCaseItem key={kycCase.id} kycCase={kycCase} />
          ))}
        </ol>
      ) : null}
      {cases.items ? <LoadMore shown={cases.items.length} noun={['case', 'cases']} hasMore={cases.hasMore} busy={cases.loadingMore} onMore={cases.loadMore} /> : null}
    </section>
  );
}
