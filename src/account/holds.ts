/**
 * Withdrawal holds: after a security change (anti-phishing code, password, a factor added, removed
 * or disabled, freeze) withdrawals wait
 * WITHDRAWAL_HOLD (24 hours by default). Recorded here; the custody feature enforces them.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { Db, Tx } from '../store/database.ts';

export async function holdWithdrawals(deps: Deps, tx: Tx, userId: string, reason: string, ms: number): Promise<number> {
  const now = deps.clock.now();
  await tx.insertInto('withdrawal_holds').values({ id: randomUUID(), user_id: userId, reason, created_at: now, until: now + ms }).execute();
  return now + ms;
}

/** The latest end of any hold in force, or null. */
export async function withdrawalsHeldUntil(db: Db | Tx, userId: string, now: number): Promise<number | null> {
  const row = await db
    .selectFrom('withdrawal_holds')
    .select((eb) => eb.fn.max('until').as('until'))
    .where('user_id', '=', userId)
    .where('until', '>', now)
    .executeTakeFirst();
  return row?.until != null ? Number(row.until) : null;
}
