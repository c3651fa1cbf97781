/**
 * An address an account gave up in an email change stays its own while the old address's cancel
 * link lives (7 days): nobody may sign up with it or move another account onto it, so the owner's
 * "cancel — this wasn't me" can always put it back. The live cancel link is the reservation.
 */
import type { Db, Tx } from '../store/database.ts';

export const revertBinding = (email: string) => `revert:${email}`;

/** The account that reserved the address, if one has. */
export async function reservedFor(db: Db | Tx, email: string, now: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('one_time_tokens')
    .select('user_id')
    .where('purpose', '=', 'email_change_cancel')
    .where('bound_to', '=', revertBinding(email))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.user_id;
}

/**
 * Every address on file for an account: its own, and each address it gave up in an email change
 * whose cancel link still lives (the owner may be reading only the old inbox).
 */
export async function addressesOnFile(db: Db | Tx, user: { id: string; email: string }, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('one_time_tokens')
    .select('bound_to')
    .where('user_id', '=', user.id)
    .where('purpose', '=', 'email_change_cancel')
    .where('bound_to', 'like', 'revert:%')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  const old = rows.map((r) => r.bound_to!.slice('revert:'.length));
  return [...new Set([user.email, ...old])];
}
