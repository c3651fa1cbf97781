/**
 * Staff console, reviewing a KYC case (/staff/kyc/case?id=…): GET /api/staff/kyc/{id}, the typed
 * details, a flag when the document already verified another account, the document photos beside
 * the selfie (each zoomable and rotatable), an earlier reviewer's message, and the decision. Nobody
 * decides on their own case, and a decided case shows its outcome instead of the form.
 */
import type { KycFileItem } from '../../../../src/contracts/kyc.ts';
import type { KycCaseDetail } from '../../../../src/contracts/staff.ts';
import { countryName } from '../../components/kyc/countries.ts';
import { KYC_STATUS_LABELS, STAFF_ITEM_LABELS } from '../../components/kyc/words.ts';
import { Fact } from '../../components/security/Fact.tsx';
import { ImageViewer } from '../../components/staff/ImageViewer.tsx';
import { CaseFacts, DuplicateFlag } from '../../components/staff/KycCaseItem.tsx';
import { DecisionOutcome, DecisionSection, Reviewed } from '../../components/staff/Review.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { KycBadge } from '../../components/staff/UserSummary.tsx';
import { useStaff } from '../../components/staff/useStaff.ts';
import { profilePath } from '../../components/staff/words.ts';
import { Link } from '../../router.tsx';
import { DecisionForm } from './DecisionForm.tsx';

/** The order photos are shown in: the document, then the selfie. */
const PHOTO_ORDER: readonly KycFileItem[] = ['documentFront', 'documentBack', 'selfie'];

export const StaffKycCasePage = staffPage('KYC case', 'kyc', Case);

/** Whole years from an ISO date of birth to today. */
function age(dateOfBirth: string): number | null {
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  if (!year || !month || !day) return null;
  const today = new Date();
  const birthdayPassed = today.getMonth() + 1 > month || (today.getMonth() + 1 === month && today.getDate() >= day);
  return today.getFullYear() - year - (birthdayPassed ? 0 : 1);
}

function Case() {
  return (
    <Reviewed<KycCaseDetail> what="case" queue="/staff/kyc" api={(id) => `/api/staff/kyc/${encodeURIComponent(id)}`}>
      {(detail, reload) => <CaseReview detail={detail} reload={reload} />}
    </Reviewed>
  );
}

function CaseReview({ detail, reload }: { detail: KycCaseDetail; reload: () => void }) {
  const { may } = useStaff();
  const photos = PHOTO_ORDER.flatMap((item) => detail.files.filter((file) => file.item === item));
  const years = detail.details ? age(detail.details.dateOfBirth) : null;

  return (
    <div className="grid">
      <section className="panel" aria-labelledby="applicant-heading">
        <h2 id="applicant-heading">Applicant</h2>
        <p>
          <Link to={profilePath(detail.userId)} className="wrap">
            {detail.email}
          </Link>{' '}
          <KycBadge status={detail.status} />
        </p>
        <DuplicateFlag duplicateOf={detail.duplicateOf} />
        <CaseFacts kycCase={detail} />
      </section>

      <section className="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">Typed details</h2>
        {detail.details ? (
          <dl className="sc-facts" data-testid="kyc-details">
            <Fact label="Legal name" className="wrap">
              {detail.details.legalName}
            </Fact>
            <Fact label="Date of birth">
              {detail.details.dateOfBirth}
              {years !== null ? ` (${years} years old)` : ''}
            </Fact>
            <Fact label="Country of residence">{countryName(detail.details.country)}</Fact>
            <Fact label="Document number" className="mono">
              {detail.details.documentNumber}
            </Fact>
          </dl>
        ) : (
          <p className="muted">{detail.erased ? 'The details were erased.' : 'No details.'}</p>
        )}
      </section>

      {detail.message ? (
        <section className="panel panel-full" aria-labelledby="earlier-heading">
          <h2 id="earlier-heading">Reviewer’s earlier message</h2>
          <p className="wrap staff-quote">{detail.message}</p>
          {detail.requestedItems.length > 0 ? (
            <p className="small">Asked to send again: {detail.requestedItems.map((item) => STAFF_ITEM_LABELS[item]).join(', ')}.</p>
          ) : null}
        </section>
      ) : null}

      <section className="panel panel-full" aria-labelledby="photos-heading">
        <h2 id="photos-heading">Photos</h2>
        {detail.erased ? <p className="muted">The documents were erased.</p> : null}
        {!detail.erased && !may('kyc:view_files') ? <p className="muted">Your role cannot view the photos.</p> : null}
        {!detail.erased && may('kyc:view_files') && photos.length > 0 ? (
          <div className="kyc-images">
            {photos.map((file) => (
              <ImageViewer key={file.item} src={file.url} label={STAFF_ITEM_LABELS[file.item]} width={file.width} height={file.height} />
            ))}
          </div>
        ) : null}
      </section>

      <DecisionSection
        outcome={
          detail.status !== 'pending' ? (
            <DecisionOutcome testId="kyc-outcome" label={KYC_STATUS_LABELS[detail.status]} decidedAt={detail.decidedAt} reviewedBy={detail.reviewedBy} />
          ) : null
        }
        own={detail.own}
        ownWords="This is your own identity check: you cannot decide on it. Ask another reviewer."
        mayDecide={may('kyc:decide')}
        cannotWords="Your role cannot decide on cases."
        reload={reload}
        form={(onDecided) => <DecisionForm detail={detail} onDecided={onDecided} />}
      />
    </div>
  );
}
