/**
 * A user's profile, the top: who the account is (email, id, verification, role) and whether it can
 * be used (a support lock and its reason, the owner's own freeze, lockouts after failed attempts).
 */
import type { StaffUserProfile } from '../../../../src/contracts/staff.ts';
import { KYC_STATUS_LABELS } from '../../components/kyc/words.ts';
import { Fact } from '../../components/security/Fact.tsx';
import { Later, When } from '../../components/security/When.tsx';
import { StaffMember, UserBadges, UserFacts } from '../../components/staff/UserSummary.tsx';
import { ROLE_LABELS } from '../../components/staff/words.ts';

export function AccountPanel({ profile }: { profile: StaffUserProfile }) {
  const { user } = profile;
  return (
    <section className="panel" aria-labelledby="account-heading">
      <h2 id="account-heading" className="wrap">
        {user.email}
      </h2>
      <p>
        <UserBadges user={user} />
      </p>
      <UserFacts user={user}>
        <Fact label="Email">{user.emailVerified ? 'Verified' : 'Not verified'}</Fact>
        <Fact label="Identity">
          {KYC_STATUS_LABELS[user.kycStatus]}, level {user.kycLevel}
        </Fact>
        <Fact label="Staff role">{user.staffRole ? ROLE_LABELS[user.staffRole] : 'None'}</Fact>
      </UserFacts>
    </section>
  );
}

const CODE_LOCK_NAMES: Record<string, string> = {
  passkey: 'Passkeys',
  totp: 'Authenticator app',
  email_code: 'Emailed code',
  'email_code:recovery': 'Emailed code (lost-2FA request)',
  backup_code: 'Backup codes',
  device_code: 'New-device code',
  email_verification_code: 'Email verification code',
};

/** Each method locked after wrong attempts: until when, or for good (a hard lock only a lift ends: Unlock). */
function CodeLocks({ locks }: { locks: StaffUserProfile['status']['codeLocks'] }) {
  if (locks.length === 0) return <>No</>;
  return (
    <ul className="staff-flags" data-testid="code-locks">
      {locks.map((lock) => (
        <li key={lock.method}>
          {CODE_LOCK_NAMES[lock.method] ?? lock.method}:{' '}
          {lock.hard || !lock.until ? (
            <strong>locked until lifted (too many wrong attempts in a row)</strong>
          ) : (
            <>
              until <Later iso={lock.until} />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A lockout, if it still holds. */
function Until({ iso }: { iso: string | null }) {
  if (!iso || new Date(iso).getTime() <= Date.now()) return <>No</>;
  return (
    <>
      Until <Later iso={iso} />
    </>
  );
}

export function StatusPanel({ profile }: { profile: StaffUserProfile }) {
  const { status } = profile;
  return (
    <section className="panel" aria-labelledby="status-heading">
      <h2 id="status-heading">Account status</h2>
      <dl className="sc-facts" data-testid="account-status">
        <Fact label="Locked by support">
          {status.staffLock ? (
            <span data-testid="staff-lock">
              Yes, <When iso={status.staffLock.at} />
              {status.staffLock.by ? (
                <>
                  {' '}
                  by <StaffMember id={status.staffLock.by} />
                </>
              ) : null}
              : “{status.staffLock.reason}”
            </span>
          ) : (
            'No'
          )}
        </Fact>
        <Fact label="Frozen by the owner">
          {status.frozenAt ? (
            <span data-testid="owner-freeze">
              Yes, since <When iso={status.frozenAt} />
            </span>
          ) : (
            'No'
          )}
        </Fact>
        <Fact label="Password locked out">
          <Until iso={status.passwordLockedUntil} />
        </Fact>
        <Fact label="Codes locked out">
          <CodeLocks locks={status.codeLocks} />
        </Fact>
      </dl>
    </section>
  );
}
