/**
 * A user at a glance: badges in words for identity verification, staff role, a support lock and the
 * owner's freeze, the facts every view of a user starts with (account id, created), and a staff
 * member named by id.
 */
import type { ReactNode } from 'react';
import type { KycStatus } from '../../../../src/contracts/kyc.ts';
import type { StaffUserSummary } from '../../../../src/contracts/staff.ts';
import { KYC_STATUS_LABELS } from '../kyc/words.ts';
import { Fact } from '../security/Fact.tsx';
import { When } from '../security/When.tsx';
import { Link } from '../../router.tsx';
import { profilePath, ROLE_LABELS } from './words.ts';

const KYC_BADGE: Record<KycStatus, string> = {
  none: 'badge-muted',
  pending: 'badge-current',
  verified: 'badge-ok',
  rejected: 'badge-alert',
  resubmission_requested: 'badge-current',
};

export function KycBadge({ status }: { status: KycStatus }) {
  return (
    <span className={`badge ${KYC_BADGE[status]}`} data-testid="kyc-badge" data-status={status}>
      KYC: {KYC_STATUS_LABELS[status]}
    </span>
  );
}

export function UserBadges({ user }: { user: StaffUserSummary }) {
  return (
    <span className="badges">
      <KycBadge status={user.kycStatus} />
      {user.staffRole ? <span className="badge badge-current">Staff: {ROLE_LABELS[user.staffRole]}</span> : null}
      {user.lockedByStaff ? (
        <span className="badge badge-alert" data-testid="badge-locked">
          Locked by support
        </span>
      ) : null}
      {user.frozen ? (
        <span className="badge badge-alert" data-testid="badge-frozen">
          Frozen by owner
        </span>
      ) : null}
    </span>
  );
}

/** The account id and when it was created, then any more facts. */
export function UserFacts({ user, children }: { user: StaffUserSummary; children?: ReactNode }) {
  return (
    <dl className="sc-facts">
      <Fact label="Account id" className="mono">
        {user.id}
      </Fact>
      <Fact label="Created">
        <When iso={user.createdAt} />
      </Fact>
      {children}
    </dl>
  );
}

/** A staff member named by account id (reviewers, lockers): a link to their profile. */
export function StaffMember({ id }: { id: string }) {
  return (
    <Link to={profilePath(id)} className="mono">
      {id}
    </Link>
  );
}
