/**
 * An approved reset, once its wait (TWO_FA_RESET_DELAY) is over: every second factor and backup
 * code is removed, and the security change `two_factor_reset` ends every session and sign-in in
 * progress, holds withdrawals (TWO_FA_RESET_WITHDRAWAL_HOLD) and alerts the owner. The next sign-in
 * then has no second factor and gets the enroll-only session. Run by the server's sweep, and for
 * one account before its sign-in is checked (so a factor due to go never signs in). Not while the
 * account is locked by its owner or by staff: it waits until the lock is lifted.
 */
import { securityChanged } from '../../account/security-change.ts';
import { isStaffLocked } from '../../account/staff-lock.ts';
import { findUserById, lockUser } from '../../account/users.ts';
import { SYSTEM } from '../../audit/audit.ts';
import type { Deps } from '../../deps.ts';
import { clearAccountLocks } from '../../factors/locks.ts';
import { removeSecondFactors } from '../../factors/registry.ts';
import { inTransaction } from '../../store/database.ts';

async function carryOut(deps: Deps, requestId: string, userId: string): Promise<boolean> {
  const carried = await inTransaction(deps.store.db, async (tx) => {
    await lockUser(tx, deps.store.dialect, userId);
    const user = await findUserById(tx, userId);
    if (!user || user.frozen_at !== null || isStaffLocked(user)) return false;
    const now = deps.clock.now();
    const done = await tx
      .updateTable('two_factor_resets')
      .set({ status: 'completed', completed_at: now, updated_at: now })
      .where('id', '=', requestId)
      .where('status', '=', 'approved')
      .where('effective_at', '<=', now)
      .returning(['reviewed_by'])
      .executeTakeFirst();
    if (!done) return false;
    const removed = await removeSecondFactors(tx, userId);
    await securityChanged(deps, tx, {
      kind: 'two_factor_reset',
      subject: user,
      actor: SYSTEM,
      client: null,
      alert: { heldUntil: now + deps.config.twoFactorReset.withdrawalHoldMs },
      data: { requestId, approvedBy: done.reviewed_by, removed },
    });
    return user;
  });
  if (!carried) return false;
  // The factors went, and with them their code locks (hard ones too): the recovery process lifts them.
  // The lockout counters live in the throttle (Redis on several nodes), outside the transaction.
  await clearAccountLocks(deps, carried, { password: false });
  return true;
}

function due(deps: Deps) {
  return deps.store.db.selectFrom('two_factor_resets').select(['id', 'user_id']).where('status', '=', 'approved').where('effective_at', '<=', deps.clock.now());
}

/** Carries out every reset whose wait is over (accounts under a lock wait, and do not hold up the others); returns how many. */
export async function carryOutDueResets(deps: Deps): Promise<number> {
  const rows = await due(deps)
    .where((eb) => eb.exists(eb.selectFrom('users').select('users.id').whereRef('users.id', '=', 'two_factor_resets.user_id').where('users.frozen_at', 'is', null).where('users.staff_locked_at', 'is', null)))
    .orderBy('effective_at')
    .limit(500)
    .execute();
  let count = 0;
  for (const r of rows) {
    try {
      if (await carryOut(deps, r.id, r.user_id)) count++;
    } catch (err) {
      deps.log.warn({ err, requestId: r.id }, 'could not carry out a due 2FA reset; the next sweep tries again');
    }
  }
  return count;
}

/** Carries out the account's reset if its wait is over (before a factor is checked); true when it did. */
export async function carryOutDueResetOf(deps: Deps, userId: string): Promise<boolean> {
  const r = await due(deps).where('user_id', '=', userId).executeTakeFirst();
  return r ? carryOut(deps, r.id, r.user_id) : false;
}
