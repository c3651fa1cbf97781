/**
 * "Lock my account" (freezing): from the link in any alert (single-use, no sign-in needed) or a
 * button in settings. Every session ends, sign-ins are refused with a message saying the owner
 * locked the account, and withdrawals and security changes are blocked (no session can exist).
 * After FREEZE_COOLDOWN (24 hours by default) the owner may unfreeze it by signing in with the
 * password and a strong second factor, then confirming from the inbox (login/service.ts).
 */
import type { Deps } from '../deps.ts';
import { badRequest, forbidden } from '../errors/app-error.ts';
import { hashToken } from '../crypto/tokens.ts';
import type { ClientInfo } from '../http/request-context.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { revokeAllSessions } from './sessions.ts';
import type { User } from './users.ts';
import { lockLink } from './alerts.ts';
import { holdWithdrawals } from './holds.ts';

export async function freezeAccount(deps: Deps, tx: Tx, user: User, via: 'email_link' | 'settings', client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  await tx.updateTable('users').set({ frozen_at: now, updated_at: now }).where('id', '=', user.id).execute();
  await revokeAllSessions(tx, user.id, now);
  await tx.deleteFrom('login_flows').where('user_id', '=', user.id).execute();
  await holdWithdrawals(deps, tx, user.id, 'account_frozen', deps.config.freezeCooldownMs + deps.config.withdrawalHoldMs);
  await deps.mail.send(tx, 'account_frozen', user.email, { at: now, cooldownHours: Math.round(deps.config.freezeCooldownMs / 3_600_000) });
  await deps.audit.record(tx, { type: 'account.frozen', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { via } });
}

/** The "Lock my account" button in settings. */
export async function freezeFromSettings(deps: Deps, user: User, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, (tx) => freezeAccount(deps, tx, user, 'settings', client));
}

/** The link in an alert: single-use; a second use, a foreign or an expired token is refused. */
export async function freezeWithToken(deps: Deps, token: string, client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  const invalid = () => badRequest('invalid_token', 'This lock link is not valid: it has expired or was already used.');
  await inTransaction(deps.store.db, async (tx) => {
    const used = await tx
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('purpose', '=', 'freeze')
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    if (!used) throw invalid();
    const user = await tx.selectFrom('users').selectAll().where('id', '=', used.user_id).executeTakeFirst();
    if (!user) throw invalid();
    if (user.frozen_at === null) await freezeAccount(deps, tx, user, 'email_link', client);
  });
}

/** When a frozen account may be unfrozen by its owner. */
export const unfreezeAllowedAt = (deps: Deps, user: User): number => (user.frozen_at ?? 0) + deps.config.freezeCooldownMs;

export function frozenError(deps: Deps, user: User) {
  const at = new Date(unfreezeAllowedAt(deps, user)).toISOString();
  return forbidden('account_frozen', `You locked this account. You can unlock it after ${at} by signing in with your password and your passkey or authenticator app.`, {
    unlockableAfter: at,
  });
}

export async function unfreezeAccount(deps: Deps, tx: Tx, user: User, client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  await tx.updateTable('users').set({ frozen_at: null, updated_at: now }).where('id', '=', user.id).execute();
  await deps.mail.send(tx, 'account_unfrozen', user.email, { at: now, lockUrl: await lockLink(deps, tx, user.id) });
  await deps.audit.record(tx, { type: 'account.unfrozen', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { via: 'owner_sign_in' } });
}
