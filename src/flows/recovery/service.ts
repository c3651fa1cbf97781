/**
 * Recovery (the article's "Forgot Password"): a reset link valid one hour, single-use, stored
 * hashed; a new request invalidates the old link. A reset never bypasses 2FA: it also asks for the
 * account's second factor (a passkey, an authenticator code or a backup code; not an emailed code,
 * since the link already proves the inbox). It ends every session, emails a
 * confirmation, and records the time so withdrawals can be held after it.
 * Also here: the single-use unlock link from the "account locked" email.
 */
import { randomUUID } from 'node:crypto';
import { HOUR } from '../../clock.ts';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import { hashPassword } from '../../crypto/password.ts';
import { hashToken, randomToken } from '../../crypto/tokens.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import type { OneTimeTokensTable } from '../../store/schema.ts';
import { looksLikeBackupCode } from '../../factors/backup-codes/codes.ts';
import { consumeBackup, consumeTotp, withCodeLockout } from '../../factors/prove.ts';
import { availableMethods } from '../../factors/registry.ts';
import { factorOptions, passkeyCheck } from '../../factors/passkey/factor.ts';
import type { AuthenticationCredential } from '../../factors/passkey/schemas.ts';
import { enforcePasswordPolicy } from '../registration/service.ts';
import { replacePassword } from '../../account/password-replaced.ts';
import { unlockAccount } from '../../account/locks.ts';
import { findUserByEmail, findUserById, normalizeEmail, type User } from '../../account/users.ts';
import { lockLink } from '../../account/alerts.ts';
import { frozenError } from '../../account/freeze.ts';

export const RESET_TTL_MS = 1 * HOUR;
const FORGOT_LIMITS = { perEmail: { limit: 3, windowMs: HOUR }, perIp: { limit: 20, windowMs: HOUR } };

const invalidToken = () => badRequest('invalid_token', 'This link is not valid: it has expired or was already used. Ask for a new one.');

async function issueToken(tx: Tx, userId: string, purpose: OneTimeTokensTable['purpose'], ttlMs: number, now: number): Promise<string> {
  const token = randomToken(32);
  await tx.deleteFrom('one_time_tokens').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
  await tx.insertInto('one_time_tokens').values({ id: randomUUID(), user_id: userId, purpose, token_hash: hashToken(token), expires_at: now + ttlMs, used_at: null, created_at: now }).execute();
  return token;
}

async function findToken(deps: Deps, purpose: OneTimeTokensTable['purpose'], token: string): Promise<{ row: OneTimeTokensTable; user: User }> {
  const row = await deps.store.db.selectFrom('one_time_tokens').selectAll().where('token_hash', '=', hashToken(token)).where('purpose', '=', purpose).executeTakeFirst();
  if (!row || row.used_at !== null || deps.clock.now() >= row.expires_at) throw invalidToken();
  const user = await findUserById(deps.store.db, row.user_id);
  if (!user) throw invalidToken();
  return { row, user };
}

/** Marks a token used; false when another request used it first. */
async function useToken(tx: Tx, id: string, now: number): Promise<boolean> {
  const used = await tx.updateTable('one_time_tokens').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).returning('id').executeTakeFirst();
  return used !== undefined;
}

export async function forgotPassword(deps: Deps, input: { email: string }, client: ClientInfo): Promise<void> {
  const email = normalizeEmail(input.email);
  const message = 'A reset email was requested recently. Check your inbox, or try again later.';
  await enforceRateLimit(deps.throttle, `forgot-ip:${client.ip}`, FORGOT_LIMITS.perIp, message);
  await enforceRateLimit(deps.throttle, `forgot-email:${email}`, FORGOT_LIMITS.perEmail, message);
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user) return;
    const token = await issueToken(tx, user.id, 'password_reset', RESET_TTL_MS, now);
    await deps.mail.send(tx, 'password_reset', user.email, { link: `${deps.config.baseUrl}/reset-password?token=${token}`, minutes: RESET_TTL_MS / 60_000 });
    await deps.audit.record(tx, { type: 'password.reset_requested', userId: user.id, ip: client.ip, userAgent: client.userAgent });
  });
}

export interface ResetInput {
  token: string;
  password: string;
  /** The second factor: an authenticator code, a backup code or a passkey (required when the account has 2FA). */
  code?: string | undefined;
  method?: 'totp' | 'backup_code' | 'passkey' | undefined;
  credential?: AuthenticationCredential | undefined;
}

const resetCeremony = (row: OneTimeTokensTable) => ({ purpose: 'reset' as const, boundTo: `reset:${row.id}` });

/** Options to confirm a reset with one of the account's passkeys. */
export async function resetPasskeyOptions(deps: Deps, input: { token: string }) {
  const { row, user } = await findToken(deps, 'password_reset', input.token);
  return factorOptions(deps, user, resetCeremony(row));
}

/** The check of the second factor a reset came with. */
async function resetFactorCheck(deps: Deps, row: OneTimeTokensTable, user: User, input: ResetInput, client: ClientInfo) {
  if (input.method === 'passkey' || input.credential) {
    if (!input.credential) throw badRequest('invalid_request', 'credential: is required with method passkey.');
    return { method: 'passkey' as const, check: await passkeyCheck(deps, { user, ceremony: resetCeremony(row), credential: input.credential, client }) };
  }
  const code = input.code ?? '';
  if (!code) throw badRequest('second_factor_required', 'Confirm it is you with your passkey, your authenticator app or a backup code to reset your password.');
  const method = input.method ?? (looksLikeBackupCode(code) ? 'backup_code' : 'totp');
  return { method, check: (tx: Tx) => (method === 'totp' ? consumeTotp(deps, tx, user, code) : consumeBackup(deps, tx, user, code, client)) };
}

export async function resetPassword(deps: Deps, input: ResetInput, client: ClientInfo): Promise<void> {
  const { row, user } = await findToken(deps, 'password_reset', input.token);
  // The owner locked the account: no security change until they unlock it.
  if (user.frozen_at !== null) throw frozenError(deps, user);
  const password = enforcePasswordPolicy(deps, input.password, user.email);
  const passwordHash = await hashPassword(password);
  const now = deps.clock.now();

  const apply = async (tx: Tx) => {
    if (!(await useToken(tx, row.id, now))) throw invalidToken();
    await tx.deleteFrom('one_time_tokens').where('user_id', '=', user.id).where('purpose', '=', 'password_reset').where('id', '!=', row.id).execute();
    await replacePassword(deps, tx, { user, passwordHash, reason: 'password_reset' });
    await deps.audit.record(tx, { type: 'password.reset', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { sessionsEnded: true } });
  };

  if ((await availableMethods(deps.store.db, user.id)).length > 0) {
    const { method, check } = await resetFactorCheck(deps, row, user, input, client);
    await withCodeLockout(deps, user, client, method, check, apply);
  } else {
    await inTransaction(deps.store.db, apply);
  }
  // Proving the email and the second factor is proof enough to lift a lock.
  await unlockAccount(deps, user, 'all');
}

/** The "unlock my account" link from a password-lock email: single-use; lifts the password lock only. */
export async function unlockWithToken(deps: Deps, input: { token: string }, client: ClientInfo): Promise<void> {
  const { row, user } = await findToken(deps, 'unlock', input.token);
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    if (!(await useToken(tx, row.id, now))) throw invalidToken();
    await deps.mail.send(tx, 'account_unlocked', user.email, { at: now, lockUrl: await lockLink(deps, tx, user.id) });
    await deps.audit.record(tx, { type: 'account.unlocked', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { via: 'email_link' } });
  });
  await unlockAccount(deps, user, 'password');
}
