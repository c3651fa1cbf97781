/**
 * Staff console, reviewing a KYC case (/staff/kyc/case?id=…): GET /api/staff/kyc/{id}, the typed
 * details, a flag when the document already verified another account, the document photos beside
 * the selfie (each zoomable and rotatable), an earlier reviewer's message, and the decision. Nobody
 * decides on their own case, and a decided case shows its outcome instead of the form.
 */
import { useState } from 'react';
import type { KycFileItem } from '../../../../src/contracts/kyc.ts';
import type { KycCaseDetail } from '../../../../src/contracts/staff.ts';
import { StatusMessage, SuccessMessage } from '../../components/Messages.tsx';
import { countryName } from '../../components/kyc/countries.ts';
import { KYC_STATUS_LABELS, STAFF_ITEM_LABELS } from '../../components/kyc/words.ts';
import { Fact } from '../../components/security/Fact.tsx';
import { useFocusRequest } from '../../components/security/focus.ts';
import { LoadState } from '../../components/security/LoadState.tsx';
import { When } from '../../components/security/When.tsx';
import { ImageViewer } from '../../components/staff/ImageViewer.tsx';
import { CaseFacts, DuplicateFlag } from '../../components/staff/KycCaseItem.tsx';
import { NotNamed } from '../../components/staff/NotNamed.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { KycBadge, StaffMember } from '../../components/staff/UserSummary.tsx';
import { useStaff } from '../../components/staff/useStaff.ts';
import { useStaffData } from '../../components/staff/useStaffData.ts';
import { profilePath } from '../../components/staff/words.ts';
import { Link, useQueryParam } from '../../router.tsx';
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
  const id = useQueryParam('id');
  const { may } = useStaff();
  const { data: detail, error, reload } = useStaffData<KycCaseDetail>(id ? `/api/staff/kyc/${encodeURIComponent(id)}` : null);
  const [done, setDone] = useState('');
  const [decisionHeading, focusDecision] = useFocusRequest<HTMLHeadingElement>();

  if (!id) {
    return <NotNamed what="case" back="Open the queue" to="/staff/kyc" />;
  }
  if (!detail) return <LoadState what="the case" loaded={false} error={error} onRetry={reload} />;

  const decided = (message: string) => {
    setDone(message);
    reload();
    focusDecision();
  };

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

      <section className="panel panel-full" aria-labelledby="decision-heading">
        <h2 id="decision-heading" ref={decisionHeading} tabIndex={-1}>
          Decision
        </h2>
        <SuccessMessage>{done}</SuccessMessage>
        {detail.status !== 'pending' ? (
          <div data-testid="kyc-outcome">
            <p>
              Outcome: <strong>{KYC_STATUS_LABELS[detail.status]}</strong>
              {detail.decidedAt ? (
                <>
                  {' '}
                  · <When iso={detail.decidedAt} />
                </>
              ) : null}
              {detail.reviewedBy ? (
                <>
                  {' '}
                  · by <StaffMember id={detail.reviewedBy} />
                </>
              ) : null}
            </p>
          </div>
        ) : detail.own ? (
          <StatusMessage>This is your own identity check: you cannot decide on it. Ask another reviewer.</StatusMessage>
        ) : may('kyc:decide') ? (
          <DecisionForm detail={detail} onDecided={decided} />
        ) : (
          <p className="muted">Your role cannot decide on cases.</p>
        )}
      </section>
    </div>
  );
}
