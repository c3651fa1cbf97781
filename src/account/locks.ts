/**
 * Account lockout (NIST SP 800-63B rev. 4 §3.2.2 rate limiting; OWASP ASVS V6.3): what counts and for how long.
 *
 * - Passwords, per account identifier (the normalised email, known or not, so a lock reveals
 *   nothing): 5 failures in a row lock for 15 minutes, doubling with each further lock up to 24 hours.
 * - Every other secret, per factor of an account (the authenticator app, the emailed code, backup
 *   codes), and the new-device and email-verification codes: 10 wrong in a row lock for 15
 *   minutes, doubling up to 24 hours; the tenth lock in a row (the 100th failure) is hard: it does
 *   not end by itself. A passkey's signature cannot be guessed: its refusals are recorded, never
 *   locked (a lock would only let whoever learns its handle keep the owner's passkey out). Each count is cleared only by its own factor's success, so a success of
 *   one method buys no guesses at another. The owner's other strong factor lifts a hard lock (a
 *   success of the passkey or authenticator app: factors/locks.ts), and so do a carried-out 2FA
 *   reset and staff.
 *
 * When a lock starts, the owner (if the account exists) is emailed the time it ends (or that it is
 * hard) and, for a password lock, a single-use unlock link, with the audit event, in one transaction
 * that starts once the attempt is answered (the lock itself is in force before that answer). The link
 * ends the lock but not its escalation (unlockPassword).
 */
import { HOUR, MINUTE } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { bySystem } from '../audit/audit.ts';
import type { ClientInfo } from '../client/client-info.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { forbidden, tooManyRequests, type AppError } from '../errors/app-error.ts';
import type { LockoutPolicy } from '../throttle/index.ts';
import { isHardLock, type AcquireResult } from '../throttle/throttle.ts';
import { findUserById, type User } from './users.ts';
import { sendAlert } from './alerts.ts';
import { issueToken } from './tokens.ts';

export const PASSWORD_LOCKOUT: LockoutPolicy = { maxAttempts: 5, baseLockMs: 15 * MINUTE, maxLockMs: 24 * HOUR };
export const CODE_LOCKOUT: LockoutPolicy = { maxAttempts: 10, baseLockMs: 15 * MINUTE, maxLockMs: 24 * HOUR, hardAfterLocks: 10 };
/** Codes that only open a case for people to review (the emailed code of a lost-2FA request): the same counts and escalation, never a hard lock. */
export const REVIEWED_CODE_LOCKOUT: LockoutPolicy = { maxAttempts: 10, baseLockMs: 15 * MINUTE, maxLockMs: 24 * HOUR };
export const UNLOCK_LINK_TTL = 24 * HOUR;

export const passwordKey = (email: string) => `login:${email}`;
/** One count per factor of an account (a passkey's too, as a first factor or a second). */
export const factorKey = (userId: string, factor: string) => `mfa:${userId}:${factor}`;
/**
 * Wrong new-device confirmation codes have a count of their own: whoever is guessing them has
 * passed the second factor, and that factor's success must not reset the count.
 */
export const deviceCodeKey = (userId: string) => `device-code:${userId}`;
/** Email-verification codes typed for an address, known or not alike (no account is named). */
export const verificationCodeKey = (email: string) => `verify-code:${email}`;

/**
 * 429 account_locked, saying when to try again (never whether the secret was right); for a hard
 * lock, 403 factor_locked: waiting does not help.
 */
export function lockedError(until: number, now: number): AppError {
  if (isHardLock(until)) {
    return forbidden('factor_locked', 'This method is locked after too many wrong attempts in a row. Use another of your methods, or ask support to lift the lock.');
  }
  const error = tooManyRequests('account_locked', `Too many failed attempts. Try again after ${new Date(until).toISOString()}.`, until - now);
  Object.assign(error.details, { lockedUntil: new Date(until).toISOString() });
  return error;
}

/**
 * Throws when no attempt could be reserved: the locked answer, or, when every place is taken by
 * checks still in flight, an answer that says so (nothing failed: a correct password is never told
 * "too many failed attempts").
 */
export function assertReserved(reserved: AcquireResult, now: number): void {
  if (reserved.ok) return;
  if (reserved.lockedUntil !== null) throw lockedError(reserved.lockedUntil, now);
  throw tooManyRequests('attempt_in_progress', 'Other attempts with these details are still being checked. Try again in a moment.', reserved.retryAfterMs);
}

/** The latest end of the locks on these keys, or null when none is on. */
export async function lockedUntilOf(deps: Deps, keys: readonly string[]): Promise<number | null> {
  const ends = (await Promise.all(keys.map((key) => deps.throttle.lockedUntil(key)))).filter((until): until is number => until !== null);
  return ends.length === 0 ? null : Math.max(...ends);
}

/** Answers the locked answer when a lock on one of these keys is on (after `onLocked`, which records the refusal). */
export async function refuseIfLocked(deps: Deps, keys: readonly string[], onLocked?: () => Promise<void>): Promise<void> {
  const lockedUntil = await lockedUntilOf(deps, keys);
  if (lockedUntil === null) return;
  await onLocked?.();
  throw lockedError(lockedUntil, deps.clock.now());
}

/**
 * Which lock started: the password's, or a code lock of a method (named for the owner: "Authenticator
 * app"), saying whether the owner's other strong factor lifts it once it is hard.
 */
export type LockKind = 'password' | { method: string; otherFactorLifts: boolean };

/**
 * Records that a lock started: the audit event, and the owner's email. A password lock comes with a
 * single-use unlock link (the inbox proves the owner). A code lock does not: whoever guesses codes
 * may hold the inbox too, and the link must not give them more guesses.
 */
export async function notifyLocked(deps: Deps, tx: Tx, user: User, until: number, kind: LockKind, client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  const base = deps.config.baseUrl;
  const resetUrl = `${base}/forgot-password`;
  const hard = isHardLock(until);
  if (kind === 'password') {
    const token = await issueToken(deps, tx, { purpose: 'unlock', userId: user.id, expiresAt: Math.max(until, now + UNLOCK_LINK_TTL) });
    await sendAlert(deps, tx, user, 'account_locked', { until, unlockUrl: `${base}/unlock?token=${token}`, resetUrl });
  } else {
    await sendAlert(deps, tx, user, 'factor_locked', { method: kind.method, until: hard ? null : until, otherFactorLifts: kind.otherFactorLifts, resetUrl, recoveryUrl: `${base}/login` });
  }
  const data = kind === 'password' ? { until, reason: 'password' } : { until: hard ? null : until, reason: 'code', method: kind.method, hard };
  await deps.audit.record(tx, { type: 'account.locked', ...bySystem(user.id), client, data });
}

/**
 * Lifts the password lock (the owner's unlock link). The link lifts the lock but keeps its
 * escalation: whoever opened the link (the owner, or a scanner the owner's mail passes through)
 * cannot give the guesser a fresh start, so the next lock after more wrong passwords is as long as
 * it would have been. A right password resets it, as always.
 */
export async function unlockPassword(deps: Deps, user: User): Promise<void> {
  await deps.throttle.lift(passwordKey(user.email));
}

/** Removes these locks with their counts (staff; a completed password or 2FA reset). */
export async function clearLocks(deps: Deps, keys: readonly string[]): Promise<void> {
  for (const key of keys) await deps.throttle.unlock(key);
}

/** A lock an attempt counts toward: the password lock of an address, or a code lock of an account. */
export interface AttemptLock {
  key: string;
  policy: LockoutPolicy;
  /** Which lock email a lock sends (a password lock carries an unlock link, a code lock none). */
  kind: LockKind;
}

/** One attempt at a secret under a lock: what to check, and what follows either way. */
export interface LockedAttempt<T> {
  /** The lock it counts toward; null: none (an answer that cannot be guessed). */
  lock: AttemptLock | null;
  /** The account the attempt is on; undefined for an address without one (only the address lock counts). */
  user: User | undefined;
  client: ClientInfo;
  /** Runs after the attempt is reserved, outside any transaction (a slow check: a password hash). */
  before?: () => Promise<boolean>;
  /** Runs in the attempt's transaction and uses the secret up; true when it matched. */
  check: (tx: Tx) => Promise<boolean>;
  onSuccess: (tx: Tx) => Promise<T>;
  /** Records the failure (audit, activity) in its own transaction (a lock's email follows the answer). */
  onFailure: (tx: Tx) => Promise<void>;
  /** The answer to a refused attempt. */
  refusal: () => AppError;
  /** Whether the failure that locks answers 429 at once (a typed password answers as wrong, and the next attempt learns of the lock). */
  answerLock: boolean;
}

/** A check answered after its reservation's lease lapsed: its answer is withheld (throttle/throttle.ts). */
const lateAnswer = () => tooManyRequests('attempt_in_progress', 'Other attempts with these details are still being checked. Try again in a moment.', 1000);

/**
 * Reserves an attempt *before* the secret is checked, so no burst of parallel requests checks more
 * than the policy allows; then checks it and, in the same transaction, applies the success. What
 * `check` writes commits either way (a used-up challenge, a passkey disabled as a copy). A failure
 * that reaches the limit locks, emails the owner and answers 429 account_locked.
 *
 * A check that ends after its reservation's lease lapsed (the place it held may be another
 * check's by then) is not told either way: a right answer is not applied, a wrong one is counted,
 * and both answer 429 attempt_in_progress, so checks beyond the limit tell a guesser nothing.
 * Once the answer is known to be wrong it counts, even if recording it then fails.
 */
export async function underLockout<T>(deps: Deps, attempt: LockedAttempt<T>): Promise<T> {
  const { throttle, clock } = deps;
  const { lock } = attempt;
  let lease = 0;
  if (lock) {
    const reserved = await throttle.acquire(lock.key, lock.policy);
    assertReserved(reserved, clock.now());
    if (reserved.ok) lease = reserved.lease;
  }
  const late = () => lock !== null && clock.now() >= lease;
  let settled = false;
  let wrong = false;
  const settle = async (how: 'succeed' | 'release') => {
    settled = true;
    if (lock) await throttle[how](lock.key, lease);
  };
  try {
    const matched = attempt.before ? await attempt.before() : true;
    wrong = !matched;
    let answered = false;
    const result = matched
      ? await inTransaction(deps.store.db, async (tx) => {
          if (!(await attempt.check(tx))) {
            wrong = true;
            return { ok: false as const };
          }
          if (late()) return { ok: false as const, late: true };
          answered = true;
          return { ok: true as const, value: await attempt.onSuccess(tx) };
        }).catch(async (error: unknown) => {
          // The answer was right but what it was for was refused (a lock that committed meanwhile):
          // the reserved attempt is given back, or such refusals would fill the lock without a failure.
          if (answered) await settle('succeed');
          throw error;
        })
      : { ok: false as const };
    if (result.ok) {
      await settle('succeed');
      return result.value;
    }
    if (!wrong) {
      await settle('release');
      throw lateAnswer();
    }
    settled = true;
    const failed = lock ? await throttle.fail(lock.key, lock.policy, lease) : ({ locked: false } as const);
    if (failed.locked) deps.metrics.lockouts.inc({ lock: lock!.key.split(':')[0] ?? 'other', hard: String(failed.hard) });
    // The lock's notice (its unlock and freeze links, the email, `account.locked`, in one transaction)
    // only an account gets: it starts after the answer, or the attempt that locks a password would
    // take longer for a real address than for one without an account. Scheduled before the failure
    // is recorded, so a failure to record it cannot keep the owner from being told.
    if (failed.locked && attempt.user) {
      const { client } = attempt;
      const { id } = attempt.user;
      const { lockedUntil } = failed;
      const kind = lock!.kind;
      deps.later.run('lock notice', () =>
        inTransaction(deps.store.db, async (tx) => {
          // The account as it is now (its address may have changed since the attempt read it).
          const user = await findUserById(tx, id);
          if (user) await notifyLocked(deps, tx, user, lockedUntil, kind, client);
        }),
      );
    }
    await inTransaction(deps.store.db, (tx) => attempt.onFailure(tx));
    if (late()) throw lateAnswer();
    if (failed.locked && attempt.answerLock) throw lockedError(failed.lockedUntil, clock.now());
    throw attempt.refusal();
  } finally {
    if (!settled) {
      settled = true;
      // A wrong answer whose transaction then failed still counts (its error tells "not right" too);
      // a check that broke off before any answer is given back at once rather than at its lease's end.
      if (wrong && lock) await throttle.fail(lock.key, lock.policy, lease).catch((err: unknown) => deps.log.error({ err, key: lock.key }, 'a failed attempt could not be counted'));
      else await settle('release');
    }
  }
}
