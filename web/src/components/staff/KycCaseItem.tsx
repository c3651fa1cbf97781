/**
 * A KYC case in a list (the queue, a user's profile): who, which document, when, and a visible flag
 * when the same document already verified another account.
 */
import type { KycCaseSummary } from '../../../../src/contracts/staff.ts';
import { Link } from '../../router.tsx';
import { countryName } from '../kyc/countries.ts';
import { DOCUMENT_TYPE_LABELS } from '../kyc/words.ts';
import { Fact, TimeFact } from '../security/Fact.tsx';
import { KycBadge } from './UserSummary.tsx';
import { casePath, profilePath } from './words.ts';

/** "Same document as account …", one per account, linked to its profile. */
export function DuplicateFlag({ duplicateOf }: { duplicateOf: KycCaseSummary['duplicateOf'] }) {
  if (duplicateOf.length === 0) return null;
  return (
    <ul className="staff-flags" data-testid="kyc-duplicate">
      {duplicateOf.map((other) => (
        <li key={other.userId} className="staff-flag">
          <span aria-hidden="true">! </span>Same document as account <Link to={profilePath(other.userId)}>{other.email}</Link>
        </li>
      ))}
    </ul>
  );
}

/** Which document, and when the case was sent and decided. */
export function CaseFacts({ kycCase }: { kycCase: KycCaseSummary }) {
  return (
    <dl className="sc-facts">
      <Fact label="Document">{DOCUMENT_TYPE_LABELS[kycCase.documentType]}</Fact>
      <Fact label="Issuing country">{countryName(kycCase.issuingCountry)}</Fact>
      <TimeFact label="Submitted" iso={kycCase.submittedAt} />
      <TimeFact label="Decided" iso={kycCase.decidedAt} />
    </dl>
  );
}

export function KycCaseItem({ kycCase, showEmail = true }: { kycCase: KycCaseSummary; showEmail?: boolean }) {
  return (
    <li className="sc-item" data-testid="kyc-case" data-case-id={kycCase.id}>
      <div className="sc-item-head">
        <Link to={casePath(kycCase.id)} className="wrap">
          {showEmail ? kycCase.email : `Case of ${new Date(kycCase.submittedAt).toLocaleDateString()}`}
        </Link>
        <KycBadge status={kycCase.status} />
        {kycCase.erased ? <span className="badge badge-muted">Documents erased</span> : null}
      </div>
      <CaseFacts kycCase={kycCase} />
      <DuplicateFlag duplicateOf={kycCase.duplicateOf} />
    </li>
  );
}
