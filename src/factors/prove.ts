/**
 * Checking a second factor, the same way for sign-in, step-up and password reset. Wrong codes count
 * per account across every flow (10 lock the account for 15 minutes; see users/account-lock.ts),
 * and an attempt is reserved before the code is checked, so parallel guesses cannot exceed the limit.
 *
 * Which factors are strong, and which an account has: factors.ts.
 */
import { AppError } from '../errors/app-error.ts';
import type { Deps } from '../deps.ts';
import type { ClientInfo } from '../http/request-context.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { assertReserved, codeKey, CODE_LOCKOUT, lockedError, notifyLocked } from '../account/locks.ts';
import type { User } from '../account/users.ts';
import { consumeBackupCode, remainingBackupCodes } from './backup-codes/codes.ts';
import type { FactorMethod } from './registry.ts';
import { confirmedTotp, matchTotp, recordStep } from './totp/credentials.ts';
import { lockLink } from '../account/alerts.ts';

export const invalidCode = () => new AppError(401, 'invalid_code', 'That code is not right, or it has expired or was already used.');
export const invalidPasskey = () => new AppError(401, 'invalid_passkey', 'That passkey was not accepted. Try again, or use another way to confirm it is you.');

/**
 * Runs `check` (which consumes the factor inside the transaction, returning true when it matched)
 * under the code lockout. On success `onSuccess` runs in the same transaction. Throws 401
 * invalid_code (invalid_passkey) or 429 account_locked. What `check` writes commits either way
 * (a used-up challenge, a passkey disabled as a possible copy).
 */
export async function withCodeLockout<T>(
  deps: Deps,
  user: User,
  client: ClientInfo,
  /** The factor being checked (a new-device confirmation code counts toward the same lock). */
  method: FactorMethod | 'device_code',
  check: (tx: Tx) => Promise<boolean>,
  onSuccess: (tx: Tx) => Promise<T>,
  onFailure?: (tx: Tx) => Promise<void>,
  /** The lock's key: the account's code lock unless another count is meant. */
  key = codeKey(user.id),
): Promise<T> {
  assertReserved(await deps.throttle.acquire(key, CODE_LOCKOUT), deps.clock.now());

  const result = await inTransaction(deps.store.db, async (tx) => {
    if (!(await check(tx))) return { ok: false as const };
    return { ok: true as const, value: await onSuccess(tx) };
  });
  if (result.ok) {
    await deps.throttle.succeed(key);
    return result.value;
  }
  const failed = await deps.throttle.fail(key, CODE_LOCKOUT);
  await inTransaction(deps.store.db, async (tx) => {
    await onFailure?.(tx);
    await deps.audit.record(tx, { type: 'mfa.failed', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { method } });
    if (failed.locked) await notifyLocked(deps, tx, user, failed.lockedUntil, 'code', client);
  });
  if (failed.locked) throw lockedError(failed.lockedUntil, deps.clock.now());
  throw method === 'passkey' ? invalidPasskey() : invalidCode();
}

/** Consumes a TOTP code (never the same time step twice). */
export async function consumeTotp(deps: Deps, tx: Tx, user: User, code: string): Promise<boolean> {
  const credential = await confirmedTotp(tx, user.id);
  if (!credential) return false;
  const step = matchTotp(deps.keyring, credential, code, deps.clock.now());
  return step !== null && (await recordStep(tx, credential.id, step));
}

/** Consumes a backup code and emails the owner that one was used. */
export async function consumeBackup(deps: Deps, tx: Tx, user: User, code: string, client: ClientInfo): Promise<boolean> {
  const now = deps.clock.now();
  if (!(await consumeBackupCode(tx, deps.config.sessionSecret, user.id, code, now))) return false;
  const remaining = await remainingBackupCodes(tx, user.id);
  await deps.mail.send(tx, 'backup_code_used', user.email, { at: now, remaining, lockUrl: await lockLink(deps, tx, user.id) });
  await deps.audit.record(tx, { type: 'mfa.backup_code_used', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { remaining } });
  return true;
}
