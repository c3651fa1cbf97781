/**
 * Whether the account may withdraw now, and if not why and until when — the one answer the
 * withdrawal request and the dashboard ("withdrawals unlock at … because …") both use. In order:
 * a staff lock, the owner's own lock, an unverified identity (level 0 cannot withdraw), then the
 * latest-ending hold from the security-change table (OKX and KuCoin hold 24 hours after security
 * changes, Binance 48 hours after a 2FA reset).
 */
import { unfreezeAllowedAt } from '../../account/freeze.ts';
import { isStaffLocked } from '../../account/staff-lock.ts';
import { because } from '../../account/security-change.ts';
import type { User } from '../../account/users.ts';
import { isoTime } from '../../clock.ts';
import type { WithdrawalAvailability } from '../../contracts/withdrawal-addresses.ts';
import type { Deps } from '../../deps.ts';
import type { Db, Tx } from '../../store/database.ts';


/** `db`: the transaction that withdraws, which has locked and re-read `user`. */
export async function withdrawalAvailability(deps: Deps, user: User, db: Db | Tx = deps.store.db): Promise<WithdrawalAvailability> {
  if (isStaffLocked(user)) return { allowed: false, reason: 'staff_locked', until: null, message: 'Withdrawals are stopped while support has locked your account.' };
  if (user.frozen_at !== null) return { allowed: false, reason: 'frozen', until: isoTime(unfreezeAllowedAt(deps, user)), message: 'Withdrawals are stopped while your account is locked. Unlock it first.' };
  if (user.kyc_level < 1) return { allowed: false, reason: 'kyc_required', until: null, message: 'Verify your identity to withdraw.' };
  const now = deps.clock.now();
  const hold = await db
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
