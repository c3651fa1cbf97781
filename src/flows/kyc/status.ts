/** What GET /api/kyc answers: the account's verification, its latest case, and what may be sent now. */
import type { User } from '../../account/users.ts';
import type { KycStatusBody } from '../../contracts/kyc.ts';
import type { Deps } from '../../deps.ts';
import { latestCase, openDetails, parseItems } from './cases.ts';
import { isoTime } from '../../clock.ts';


export async function describeKyc(deps: Deps, user: User): Promise<KycStatusBody> {
  const kycCase = await latestCase(deps.store.db, user.id);
  const details = kycCase ? openDetails(deps, kycCase) : null;
  return {
    status: user.kyc_status,
    level: user.kyc_level,
    submission: kycCase
      ? {
          id: kycCase.id,
          submittedAt: isoTime(kycCase.submitted_at)!,
          decidedAt: isoTime(kycCase.decided_at),
          legalName: details?.legalName ?? '',
          documentType: kycCase.document_type,
          issuingCountry: kycCase.issuing_country,
          requestedItems: kycCase.status === 'resubmission_requested' ? parseItems(kycCase.requested_items) : [],
          message: kycCase.status === 'rejected' || kycCase.status === 'resubmission_requested' ? kycCase.message : null,
        }
      : null,
    canSubmit: user.kyc_status === 'none',
    canResubmit: user.kyc_status === 'resubmission_requested',
  };
}
