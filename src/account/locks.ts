/**
 * Account lockout (NIST SP 800-63B §5.2.2 rate limiting; OWASP ASVS V6.3): what counts and for how long.
 *
 * - Passwords, per account identifier (the normalised email, known or not, so a lock reveals
 *   nothing): 5 failures in a row lock for 15 minutes, doubling with each further lock up to 24 hours.
 * - Second-factor codes, per account across every flow: 10 wrong codes lock for 15 minutes.
 *
 * When a lock starts, the owner (if the account exists) is emailed the time it ends, a single-use
 * unlock link and a "this wasn't me" path, in the transaction that records the lock. The link ends
 * the lock but not its escalation (unlockAccount).
 */
import { HOUR, MINUTE } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { bySystem } from '../audit/audit.ts';
import type { ClientInfo } from '../client/client-info.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { tooManyRequests, type AppError } from '../errors/app-error.ts';
import type { LockoutPolicy, Throttle } from '../throttle/index.ts';
import type { AcquireResult } from '../throttle/throttle.ts';
import type { User } from './users.ts';
import { sendAlert } from './alerts.ts';
import { issueToken } from './tokens.ts';

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

/** Answers 429 account_locked when either lock is on (after `onLocked`, which records the refusal). */
export async function refuseIfLocked(deps: Deps, email: string, user: User | undefined, onLocked?: () => Promise<void>): Promise<void> {
  const lockedUntil = await accountLockedUntil(deps, email, user);
  if (lockedUntil === null) return;
  await onLocked?.();
  throw lockedError(lockedUntil, deps.clock.now());
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
    const token = await issueToken(deps, tx, { purpose: 'unlock', userId: user.id, expiresAt: Math.max(until, now + UNLOCK_LINK_TTL) });
    unlockUrl = `${base}/unlock?token=${token}`;
  }
  await sendAlert(deps, tx, user, 'account_locked', { until, unlockUrl, resetUrl: `${base}/forgot-password` });
  await deps.audit.record(tx, { type: 'account.locked', ...bySystem(user.id), client, data: { until, reason } });
}

/**
 * Lifts the password lock (the owner's unlock link), or both locks with their counts (a completed
 * password reset, which proved the inbox and the second factor, and replaced the password).
 *
 * The link lifts the lock but keeps its escalation: whoever opened the link (the owner, or a scanner
 * the owner's mail passes through) cannot give the guesser a fresh start, so the next lock after
 * more wrong passwords is as long as it would have been. A right password resets it, as always.
 */
export async function unlockAccount(deps: Deps, user: User, which: 'password' | 'all'): Promise<void> {
  if (which === 'all') {
    await deps.throttle.unlock(passwordKey(user.email));
    await deps.throttle.unlock(codeKey(user.id));
    return;
  }
  await deps.throttle.lift(passwordKey(user.email));
}

/** One attempt at a secret under a lock: what to check, and what follows either way. */
export interface LockedAttempt<T> {
  /** The lock's key and policy: the password lock of an address, or a code lock of an account. */
  key: string;
  policy: LockoutPolicy;
  /** Which lock email a lock sends (a password lock carries an unlock link, a code lock none). */
  lock: 'password' | 'code';
  /** The account the attempt is on; undefined for an address without one (only the address lock counts). */
  user: User | undefined;
  client: ClientInfo;
  /** Runs after the attempt is reserved, outside any transaction (a slow check: a password hash). */
  before?: () => Promise<boolean>;
  /** Runs in the attempt's transaction and uses the secret up; true when it matched. */
  check: (tx: Tx) => Promise<boolean>;
  onSuccess: (tx: Tx) => Promise<T>;
  /** Records the failure (audit, activity) in the transaction that also sends a lock email. */
  onFailure: (tx: Tx) => Promise<void>;
  /** The answer to a refused attempt. */
  refusal: () => AppError;
  /** Whether the failure that locks answers 429 at once (a typed password answers as wrong, and the next attempt learns of the lock). */
  answerLock: boolean;
}

/**
 * Reserves an attempt *before* the secret is checked, so no burst of parallel requests checks more
 * than the policy allows; then checks it and, in the same transaction, applies the success. What
 * `check` writes commits either way (a used-up challenge, a passkey disabled as a copy). A failure
 * that reaches the limit locks, emails the owner and answers 429 account_locked.
 */
export async function underLockout<T>(deps: Deps, attempt: LockedAttempt<T>): Promise<T> {
  const { throttle, clock } = deps;
  assertReserved(await throttle.acquire(attempt.key, attempt.policy), clock.now());
  const matched = attempt.before ? await attempt.before() : true;
  let answered = false;
  const result = matched
    ? await inTransaction(deps.store.db, async (tx) => {
        if (!(await attempt.check(tx))) return { ok: false as const };
        answered = true;
        return { ok: true as const, value: await attempt.onSuccess(tx) };
      }).catch(async (error: unknown) => {
        // The answer was right but what it was for was refused (a lock that committed meanwhile):
        // the reserved attempt is given back, or such refusals would fill the lock without a failure.
        if (answered) await throttle.succeed(attempt.key);
        throw error;
      })
    : { ok: false as const };
  if (result.ok) {
    await throttle.succeed(attempt.key);
    return result.value;
  }
  const failed = await throttle.fail(attempt.key, attempt.policy);
  await inTransaction(deps.store.db, async (tx) => {
    await attempt.onFailure(tx);
    if (failed.locked && attempt.user) await notifyLocked(deps, tx, attempt.user, failed.lockedUntil, attempt.lock, attempt.client);
  });
  if (failed.locked && attempt.answerLock) throw lockedError(failed.lockedUntil, clock.now());
  throw attempt.refusal();
}
