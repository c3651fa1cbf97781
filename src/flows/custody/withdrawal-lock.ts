/**
 * Whether the account may withdraw now, and if not why and until when — the one answer the
 * withdrawal request and the dashboard ("withdrawals unlock at … because …") both use. In order:
 * a staff lock, the owner's own lock, an unverified identity (level 0 cannot withdraw), then the
 * latest-ending hold from the security-change table (OKX and KuCoin hold 24 hours after security
 * changes, Binance 48 hours after a 2FA reset).
 */
import { isStaffLocked } from '../../account/staff-lock.ts';
import type { SecurityChangeKind } from '../../account/security-change.ts';
import type { User } from '../../account/users.ts';
import { isoTime } from '../../clock.ts';
import type { WithdrawalAvailability } from '../../contracts/withdrawal-addresses.ts';
import type { Deps } from '../../deps.ts';

/** Why a hold runs, in words ("… because your password was changed"); every kind of change has its own. */
const BECAUSE: Record<SecurityChangeKind, string> = {
  password_changed: 'your password was changed',
  password_reset: 'your password was reset',
  totp_added: 'an authenticator app was added',
  totp_replaced: 'your authenticator app was replaced',
  passkey_added: 'a passkey was added',
  passkey_removed: 'a passkey was removed',
  passkey_disabled: 'one of your passkeys may have been copied',
  backup_codes_regenerated: 'new backup codes were made',
  anti_phishing_changed: 'your anti-phishing code was changed',
  anti_phishing_removed: 'your anti-phishing code was removed',
  account_frozen: 'you locked your account',
  account_unfrozen: 'you unlocked your account',
  email_changed: 'your email address was changed',
  two_factor_reset: 'your two-factor authentication was reset',
  two_factor_reset_disowned: 'a 2FA reset was reported as not yours',
  withdrawal_address_added: 'a withdrawal address was added',
  whitelist_disabled: 'whitelist-only withdrawals are being turned off',
  account_locked_by_staff: 'support locked your account',
  account_unlocked_by_staff: 'support unlocked your account',
  sessions_revoked_by_staff: 'support ended your sessions',
  staff_role_changed: 'your staff access changed',
};

const because = (reason: string) => BECAUSE[reason as SecurityChangeKind] ?? 'a security setting changed';

export async function withdrawalAvailability(deps: Deps, user: User): Promise<WithdrawalAvailability> {
  if (isStaffLocked(user)) return { allowed: false, reason: 'staff_locked', until: null, message: 'Withdrawals are stopped while support has locked your account.' };
  if (user.frozen_at !== null) return { allowed: false, reason: 'frozen', until: null, message: 'Withdrawals are stopped while your account is locked. Unlock it first.' };
  if (user.kyc_level < 1) return { allowed: false, reason: 'kyc_required', until: null, message: 'Verify your identity to withdraw.' };
  const now = deps.clock.now();
  const hold = await deps.store.db
    .selectFrom('withdrawal_holds')
    .select(['reason', 'until'])
    .where('user_id', '=', user.id)
    .where('until', '>', now)
    .orderBy('until', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (hold) {
    const until = isoTime(Number(hold.until))!;
    return { allowed: false, reason: 'security_hold', until, message: `Withdrawals unlock at ${until} because ${because(hold.reason)}.` };
  }
  return { allowed: true, reason: null, until: null, message: null };
}
