/**
 * What replacing a password does, whether changed in settings or reset by email, in the caller's
 * transaction: the new hash and its time, every session ends (but the one that changed it), no
 * sign-in started with the old password can finish, withdrawals are held, and the owner is emailed.
 * The account row is locked first, so a sign-in completing at the same moment either finishes
 * before (and its session is ended here) or finds its flow gone.
 */
import type { Deps } from '../deps.ts';
import type { Tx } from '../store/database.ts';
import { lockLink } from './alerts.ts';
import { holdWithdrawals } from './holds.ts';
import { revokeAllSessions } from './sessions.ts';
import { lockUser, type User } from './users.ts';

export async function replacePassword(
  deps: Deps,
  tx: Tx,
  input: { user: User; passwordHash: string; reason: 'password_changed' | 'password_reset'; keepSessionId?: string },
): Promise<void> {
  const { user } = input;
  const now = deps.clock.now();
  await lockUser(tx, deps.store.dialect, user.id);
  await tx.updateTable('users').set({ password_hash: input.passwordHash, password_changed_at: now, updated_at: now }).where('id', '=', user.id).execute();
  await revokeAllSessions(tx, user.id, now, input.keepSessionId);
  await tx.deleteFrom('login_flows').where('user_id', '=', user.id).execute();
  await holdWithdrawals(deps, tx, user.id, input.reason);
  await deps.mail.send(tx, 'password_changed', user.email, { at: now, resetUrl: `${deps.config.baseUrl}/forgot-password`, lockUrl: await lockLink(deps, tx, user.id) });
}
