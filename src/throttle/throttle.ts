/**
 * Counters for rate limits and lockouts, shared by every server node (in the database, or in Redis
 * when REDIS_URL is set) and updated atomically, so parallel requests cannot slip past a limit.
 *
 * Two tools:
 * - a sliding-window rate limit (`hit`): at most `limit` events per `windowMs`, estimated from the
 *   current and previous fixed windows (the previous one weighted by how much of it still overlaps);
 * - a lockout (`acquire` → `fail`/`succeed`/`release`): an attempt is reserved *before* the secret is
 *   checked, so no more than `maxAttempts` checks ever run between locks, however many arrive at
 *   once (failures so far and checks in flight together). A reservation is not a failure: it has a
 *   count of its own, which lapses RESERVATION_LEASE_MS after the first reservation of the group
 *   still in flight, so an attempt whose request died (a killed process) holds its place for at
 *   most that long and never counts toward a lock. Each reservation names its group (`lease`, the
 *   group's end); a check that ends after its group lapsed gives back no place (it went with the
 *   group), and its answer is not told (account/locks.ts): a check that outlived its lease is
 *   worth nothing to whoever guesses. The
 *   lock doubles with each further lock up to `maxLockMs`; a success resets the counts. With
 *   `hardAfterLocks`, that lock in a row (no success between) is a hard lock: it does not end by
 *   itself (HARD_LOCK_UNTIL) and only `lift` or `unlock` ends it.
 */
export interface LockoutPolicy {
  maxAttempts: number;
  baseLockMs: number;
  maxLockMs: number;
  /** The lock in a row that is hard (NIST SP 800-63B rev. 4 §3.2.2: at most 100 failures in a row). */
  hardAfterLocks?: number;
}

/**
 * How long reservations in flight hold their places (from the first of them while any is in
 * flight). A check takes milliseconds to a second; one still running after this loses its place,
 * and its answer is withheld (a wrong one still counts).
 */
export const RESERVATION_LEASE_MS = 60_000;

/** How long a lockout's counts are kept after its last change (and after its lock ended). */
export const LOCKOUT_IDLE_MS = 30 * 24 * 3_600_000;

/** The end of a hard lock: the last moment a Date can hold, so it never comes. */
export const HARD_LOCK_UNTIL = 8_640_000_000_000_000;
export const isHardLock = (until: number | null): boolean => until !== null && until >= HARD_LOCK_UNTIL;

export type RateResult = { allowed: true } | { allowed: false; retryAfterMs: number };
/** Refused: locked (lockedUntil), or every place taken by checks still in flight (lockedUntil null). */
/** Reserved: `lease` names the reservation's group (the moment it lapses), for fail, succeed or release. */
export type AcquireResult = { ok: true; lease: number } | { ok: false; retryAfterMs: number; lockedUntil: number | null };
export type FailResult = { locked: false } | { locked: true; lockedUntil: number; hard: boolean };

export interface Throttle {
  hit(key: string, limit: number, windowMs: number): Promise<RateResult>;
  acquire(key: string, policy: LockoutPolicy): Promise<AcquireResult>;
  /** A failure, counted; the reservation of group `lease` ends (0: there was none). */
  fail(key: string, policy: LockoutPolicy, lease: number): Promise<FailResult>;
  succeed(key: string, lease: number): Promise<void>;
  /** Gives a reserved attempt back without counting it (the check broke off before any answer). */
  release(key: string, lease: number): Promise<void>;
  /** The time the key's lock ends, or null when it is not locked. */
  lockedUntil(key: string): Promise<number | null>;
  /** Locks the key now, for `ms` (e.g. on too many wrong codes elsewhere). */
  lock(key: string, ms: number): Promise<number>;
  /** Removes a lock and its counts (staff, a completed password reset or 2FA reset). */
  unlock(key: string): Promise<void>;
  /**
   * Ends a lock (a hard one too) and its attempt count now but keeps its lock count, so the next
   * lock is as long as it would have been (the owner's unlock link; a hard lock lifted by the
   * owner's other strong factor, after which the next lock is hard again).
   */
  lift(key: string): Promise<void>;
  /**
   * Deletes expired rate windows, and lockout counts idle for LOCKOUT_IDLE_MS whose lock (if any) is
   * over, so addresses typed once do not stay for ever. Kept: a hard lock, and a code lock's
   * escalation (under a policy with a hard step, forgetting it would restart the count toward the
   * hard lock). A no-op where the backend expires keys itself (Redis: each write sets the expiry).
   */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** Lock length for the (lockCount+1)-th lock: base × 2^lockCount, capped. */
export function lockDuration(policy: LockoutPolicy, lockCount: number): number {
  return Math.min(policy.baseLockMs * 2 ** Math.min(lockCount, 30), policy.maxLockMs);
}

/** The sliding-window estimate of events in the last `windowMs`. */
export function slidingEstimate(previous: number, current: number, now: number, windowStart: number, windowMs: number): number {
  const overlap = 1 - (now - windowStart) / windowMs;
  return previous * overlap + current;
}

/**
 * When a denied client may next be allowed: the first moment at which one more hit keeps the
 * estimate within the limit. Within this window when only the previous window's decaying share is
 * in the way; otherwise in the next one, once this window's count (then "previous") has decayed.
 */
export function retryAfter(previous: number, current: number, limit: number, now: number, windowStart: number, windowMs: number): number {
  const at =
    current + 1 <= limit && previous > 0
      ? windowStart + windowMs * (1 - (limit - current - 1) / previous)
      : windowStart + windowMs + windowMs * (1 - (limit - 1) / Math.max(current, 1));
  return Math.max(1, Math.ceil(at - now));
}
