/**
 * Account lockout (NIST SP 800-63B §5.2.2 rate limiting; OWASP ASVS V6.3): what counts and for how long.
 *
 * - Passwords, per account identifier (the normalised email, known or not, so a lock reveals
 *   nothing): 5 failures in a row lock for 15 minutes, doubling with each further lock up to 24 hours.
 * - Second-factor codes, per account across every flow: 10 wrong codes lock for 15 minutes.
 *
 * When a lock starts, the owner (if the account exists) is emailed the time it ends, a single-use
 * unlock link and a "this wasn't me" path, in the transaction that records the lock.
 */
import { randomUUID } from 'node:crypto';
import { HOUR, MINUTE } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { randomToken, hashToken } from '../crypto/tokens.ts';
import type { ClientInfo } from '../http/request-context.ts';
import type { Tx } from '../store/database.ts';
import { tooManyRequests, type AppError } from '../errors/app-error.ts';
import type { LockoutPolicy } from '../throttle/index.ts';
import type { AcquireResult } from '../throttle/throttle.ts';
import type { User } from './users.ts';
import { lockLink } from './alerts.ts';

export const PASSWORD_LOCKOUT: LockoutPolicy = { maxAttempts: 5, baseLockMs: 15 * MINUTE, maxLockMs: 24 * HOUR };
export const CODE_LOCKOUT: LockoutPolicy = { maxAttempts: 10, baseLockMs: 15 * MINUTE, maxLockMs: 15 * MINUTE };
export const UNLOCK_LINK_TTL = 24 * HOUR;

export const passwordKey = (email: string) => `login:${email}`;
export const codeKey = (userId: string) => `mfa:${userId}`;
/**
 * Wrong new-device confirmation codes have a count of their own (same policy as codes): whoever is
 * guessing them has passed the second factor, and a passed second factor resets the code count.
 */
export const deviceCodeKey = (userId: string) => `device-code:${userId}`;

/** 429 account_locked, saying when to try again (never whether the secret was right). */
export function lockedError(until: number, now: number): AppError {
  const error = tooManyRequests('account_locked', `Too many failed attempts. Try again after ${new Date(until).toISOString()}.`, until - now);
  Object.assign(error.details, { lockedUntil: new Date(until).toISOString() });
  return error;
}

/** Throws the locked answer when no attempt could be reserved (locked, or every attempt in flight). */
export function assertReserved(reserved: AcquireResult, now: number): void {
  if (!reserved.ok) throw lockedError(reserved.lockedUntil ?? now + reserved.retryAfterMs, now);
}

/** The later of the two locks on an account, or null. `user` may be unknown (only the email lock applies). */
export async function accountLockedUntil(deps: Deps, email: string, user: User | undefined): Promise<number | null> {
  const [byPassword, byCode] = await Promise.all([
    deps.throttle.lockedUntil(passwordKey(email)),
    deps.throttle.lockedUntil(codeKey(user?.id ?? 'unknown')),
  ]);
  if (byPassword === null) return byCode;
  if (byCode === null) return byPassword;
  return Math.max(byPassword, byCode);
}

/**
 * Records that a lock started: the audit event, and the owner's email. A password lock comes with a
 * single-use unlock link (the inbox proves the owner). A lock for wrong second-factor codes does not:
 * whoever guesses codes may hold the inbox too, and the link must not give them more guesses.
 */
export async function notifyLocked(deps: Deps, tx: Tx, user: User, until: number, reason: 'password' | 'code', client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  const base = deps.config.baseUrl;
  let unlockUrl: string | null = null;
  if (reason === 'password') {
    const token = randomToken();
    await tx
      .insertInto('one_time_tokens')
      .values({ id: randomUUID(), user_id: user.id, purpose: 'unlock', token_hash: hashToken(token), expires_at: Math.max(until, now + UNLOCK_LINK_TTL), used_at: null, created_at: now })
      .execute();
    unlockUrl = `${base}/unlock?token=${token}`;
  }
  await deps.mail.send(tx, 'account_locked', user.email, {
    until,
    unlockUrl,
    resetUrl: `${base}/forgot-password`,
    lockUrl: await lockLink(deps, tx, user.id),
  });
  await deps.audit.record(tx, { type: 'account.locked', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { until, reason } });
}

/**
 * Lifts the password lock (the owner's unlock link), or both locks (a completed password reset,
 * which proved the inbox and the second factor).
 */
export async function unlockAccount(deps: Deps, user: User, which: 'password' | 'all'): Promise<void> {
  await deps.throttle.unlock(passwordKey(user.email));
  if (which === 'all') await deps.throttle.unlock(codeKey(user.id));
}
