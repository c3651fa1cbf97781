/**
 * "Lock my account" (freezing): from the link in any alert (single-use, no sign-in needed) or a
 * button in settings. Every session ends, sign-ins are refused with a message saying the owner
 * locked the account, and withdrawals and security changes are blocked (no session can exist).
 * After FREEZE_COOLDOWN (24 hours by default) the owner may unfreeze it by signing in with the
 * password and a strong second factor, then confirming from the inbox (flows/login/password-step.ts).
 */
import { userActor } from '../audit/audit.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { Deps } from '../deps.ts';
import { badRequest, forbidden } from '../errors/app-error.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { securityChanged } from './security-change.ts';
import { consumeToken } from './tokens.ts';
import { findUserById, type User } from './users.ts';

/** Freezes the account (whoever holds its inbox or a session is taken for its owner here). */
export async function freezeAccount(deps: Deps, tx: Tx, user: User, via: 'email_link' | 'settings', client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  await tx.updateTable('users').set({ frozen_at: now, updated_at: now }).where('id', '=', user.id).execute();
  // What was still on its way in the address book stops: links to confirm addresses, addresses not
  // yet usable, and a pending "whitelist-only off" (the lock may be the owner's answer to them).
  await tx.deleteFrom('one_time_tokens').where('user_id', '=', user.id).where('purpose', '=', 'withdrawal_address_confirm').execute();
  await tx.deleteFrom('withdrawal_addresses').where('user_id', '=', user.id).where((eb) => eb.or([eb('usable_from', 'is', null), eb('usable_from', '>', now)])).execute();
  await tx.updateTable('withdrawal_settings').set({ off_effective_at: null, updated_at: now }).where('user_id', '=', user.id).where('off_effective_at', 'is not', null).execute();
  await securityChanged(deps, tx, { kind: 'account_frozen', subject: user, actor: userActor(user.id), client, alert: {}, data: { via } });
}

/** The "Lock my account" button in settings. */
export async function freezeFromSettings(deps: Deps, user: User, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, (tx) => freezeAccount(deps, tx, user, 'settings', client));
}

/** The link in an alert: single-use; a second use, a foreign or an expired token is refused. */
export async function freezeWithToken(deps: Deps, token: string, client: ClientInfo): Promise<void> {
  const invalid = () => badRequest('invalid_token', 'This lock link is not valid: it has expired or was already used.');
  await inTransaction(deps.store.db, async (tx) => {
    const used = await consumeToken(deps, tx, { purpose: 'freeze', secret: token });
    if (!used) throw invalid();
    const user = await findUserById(tx, used.user_id);
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
  await securityChanged(deps, tx, { kind: 'account_unfrozen', subject: user, actor: userActor(user.id), client, alert: {}, data: { via: 'owner_sign_in' } });
}
