/**
 * A withdrawal whose emailed link was not opened within its 30 minutes stops, and its funds
 * return: by the one-minute sweep (server.ts), and first for the account itself whenever it lists
 * or asks for withdrawals. Each one in its own transaction, under the account's lock.
 */
import { stopWithdrawal } from '../../account/open-withdrawals.ts';
import { findUserById, lockUser } from '../../account/users.ts';
import { SYSTEM } from '../../audit/audit.ts';
import type { Deps } from '../../deps.ts';
import { inTransaction } from '../../store/database.ts';

const BATCH = 200;

/** Expires the due withdrawals (of one account, or every account's); returns how many. */
export async function expireDueWithdrawals(deps: Deps, userId?: string): Promise<number> {
  let q = deps.store.db.selectFrom('withdrawals').select(['id', 'user_id']).where('status', '=', 'awaiting_confirmation').where('confirm_expires_at', '<=', deps.clock.now());
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const due = await q.orderBy('confirm_expires_at').limit(BATCH).execute();
  let expired = 0;
  for (const { id, user_id } of due) {
    // One that cannot be expired now (logged) must not stop the others, nor the account's own requests.
    const done = await inTransaction(deps.store.db, async (tx) => {
      await lockUser(tx, deps.store.dialect, user_id);
      const row = await tx.selectFrom('withdrawals').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || row.status !== 'awaiting_confirmation' || row.confirm_expires_at > deps.clock.now()) return false;
      const user = (await findUserById(tx, user_id))!;
      return stopWithdrawal(deps, tx, { row, email: user.email, outcome: 'expired', reason: 'its email link was not opened within 30 minutes', actor: SYSTEM, from: ['awaiting_confirmation'] });
    }).catch((err: unknown) => {
      deps.log.warn({ err, withdrawalId: id }, 'a withdrawal whose link ran out could not be expired');
      return false;
    });
    if (done) expired += 1;
  }
  return expired;
}
