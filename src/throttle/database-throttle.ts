/** Throttle counters in the database: atomic single-statement updates, safe across nodes. */
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/database.ts';
import { HARD_LOCK_UNTIL, isHardLock, LOCKOUT_IDLE_MS, lockDuration, RESERVATION_LEASE_MS, retryAfter, slidingEstimate, type FailResult, type LockoutPolicy, type Throttle } from './throttle.ts';

/**
 * SQL for the end of the lock given the row's lock_count: HARD_LOCK_UNTIL from the policy's hard
 * step on (`hardAfterLocks`), otherwise now + base × 2^lock_count, capped (see lockDuration).
 */
function lockEndSql(policy: LockoutPolicy, now: number) {
  const cases = policy.hardAfterLocks !== undefined ? [sql`when lock_count >= ${policy.hardAfterLocks - 1} then cast(${HARD_LOCK_UNTIL} as bigint)`] : [];
  for (let n = 0; n < 31 && lockDuration(policy, n) < policy.maxLockMs; n++) cases.push(sql`when lock_count = ${n} then cast(${now + lockDuration(policy, n)} as bigint)`);
  const capped = sql`cast(${now + policy.maxLockMs} as bigint)`;
  return cases.length === 0 ? sql<number>`${capped}` : sql<number>`(case ${sql.join(cases, sql` `)} else ${capped} end)`;
}

/** The reservations still in flight: none once their lease has lapsed. */
const liveInFlight = (now: number) => sql<number>`(case when in_flight_until > cast(${now} as bigint) then in_flight else 0 end)`;
/**
 * One reservation fewer (a check of the group `lease` that ended). A check whose group lapsed gives
 * back nothing: its place went with the group, and the count belongs to a later group now.
 */
const oneLessInFlight = (lease: number) =>
  sql<number>`(case when in_flight_until = cast(${lease} as bigint) and in_flight > 0 then in_flight - 1 else in_flight end)`;
/** The failures so far, at most one short of the limit with no lock on (rows a reservation of the old scheme left at the limit). */
const attemptsBelow = (policy: LockoutPolicy) => sql<number>`(case when attempts >= ${policy.maxAttempts} then ${policy.maxAttempts - 1} else attempts end)`;

export function createDatabaseThrottle(db: Db, clock: Clock): Throttle {
  const ensureRow = (key: string, now: number) =>
    db
      .insertInto('lockouts')
      .values({ key, attempts: 0, lock_count: 0, locked_until: null, updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();

  return {
    async hit(key, limit, windowMs) {
      const now = clock.now();
      const windowStart = Math.floor(now / windowMs) * windowMs;
      const row = await db
        .insertInto('rate_windows')
        .values({ key, window_start: windowStart, count: 1, expires_at: windowStart + 2 * windowMs })
        .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_windows.count', '+', 1) })))
        .returning('count')
        .executeTakeFirstOrThrow();
      const prev = await db
        .selectFrom('rate_windows')
        .select('count')
        .where('key', '=', key)
        .where('window_start', '=', windowStart - windowMs)
        .executeTakeFirst();
      const previous = prev?.count ?? 0;
      const current = row.count;
      if (slidingEstimate(previous, current, now, windowStart, windowMs) <= limit) return { allowed: true };
      return { allowed: false, retryAfterMs: retryAfter(previous, current, limit, now, windowStart, windowMs) };
    },

    async acquire(key, policy) {
      const now = clock.now();
      await ensureRow(key, now);
      const reserved = await db
        .updateTable('lockouts')
        .set({
          attempts: attemptsBelow(policy),
          in_flight: sql<number>`${liveInFlight(now)} + 1`,
          // A group of reservations lapses a lease after its first (a new group starts when none is live).
          in_flight_until: sql<number>`(case when ${liveInFlight(now)} > 0 then in_flight_until else cast(${now + RESERVATION_LEASE_MS} as bigint) end)`,
          updated_at: now,
        })
        .where('key', '=', key)
        .where(sql<boolean>`${attemptsBelow(policy)} + ${liveInFlight(now)} < ${policy.maxAttempts}`)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .returning('in_flight_until')
        .executeTakeFirst();
      if (reserved) return { ok: true, lease: Number(reserved.in_flight_until) };
      const row = await db.selectFrom('lockouts').select('locked_until').where('key', '=', key).executeTakeFirst();
      const lockedUntil = row?.locked_until != null && row.locked_until > now ? row.locked_until : null;
      // No lock, but every place is taken by checks still in flight: try again shortly.
      return { ok: false, lockedUntil, retryAfterMs: lockedUntil ? lockedUntil - now : 1000 };
    },

    async fail(key, policy, lease) {
      const now = clock.now();
      // Counted even when the row went meanwhile (an unlock): as on Redis, a failure is never lost.
      await ensureRow(key, now);
      const notLocked = sql<boolean>`(locked_until is null or locked_until <= cast(${now} as bigint))`;
      // Either this failure is the one that locks, or it is counted (not while a lock is on: a check
      // that ran out as the lock began adds nothing). Each update is atomic; when a concurrent failure
      // changed the row between the two, the first applies on the next round.
      for (;;) {
        const locked = await db
          .updateTable('lockouts')
          .set({ locked_until: lockEndSql(policy, now), lock_count: sql<number>`lock_count + 1`, attempts: 0, in_flight: oneLessInFlight(lease), updated_at: now })
          .where('key', '=', key)
          .where('attempts', '>=', policy.maxAttempts - 1)
          .where(notLocked)
          .returning('locked_until')
          .executeTakeFirst();
        if (locked?.locked_until != null) {
          const lockedUntil = Number(locked.locked_until);
          return { locked: true, lockedUntil, hard: isHardLock(lockedUntil) } satisfies FailResult;
        }
        const counted = await db
          .updateTable('lockouts')
          .set({ attempts: sql<number>`(case when locked_until > cast(${now} as bigint) then attempts else attempts + 1 end)`, in_flight: oneLessInFlight(lease), updated_at: now })
          .where('key', '=', key)
          .where(sql<boolean>`(attempts < ${policy.maxAttempts - 1} or not ${notLocked})`)
          .returning('key')
          .executeTakeFirst();
        if (counted) return { locked: false };
        // Neither: the row changed between the two updates (or went: it is made again).
        await ensureRow(key, now);
      }
    },

    async succeed(key, lease) {
      await db.updateTable('lockouts').set({ attempts: 0, lock_count: 0, in_flight: oneLessInFlight(lease), updated_at: clock.now() }).where('key', '=', key).execute();
    },

    async release(key, lease) {
      await db.updateTable('lockouts').set({ in_flight: oneLessInFlight(lease), updated_at: clock.now() }).where('key', '=', key).execute();
    },

    async lockedUntil(key) {
      const row = await db.selectFrom('lockouts').select('locked_until').where('key', '=', key).executeTakeFirst();
      return row?.locked_until != null && row.locked_until > clock.now() ? row.locked_until : null;
    },

    async lock(key, ms) {
      const now = clock.now();
      await ensureRow(key, now);
      // Extends, never shortens, a lock already in place.
      const row = await db
        .updateTable('lockouts')
        .set({
          locked_until: sql<number>`case when locked_until > cast(${now + ms} as bigint) then locked_until else cast(${now + ms} as bigint) end`,
          attempts: 0,
          updated_at: now,
        })
        .where('key', '=', key)
        .returning('locked_until')
        .executeTakeFirstOrThrow();
      return Number(row.locked_until);
    },

    async unlock(key) {
      await db.deleteFrom('lockouts').where('key', '=', key).execute();
    },

    async lift(key) {
      await db.updateTable('lockouts').set({ locked_until: null, attempts: 0, updated_at: clock.now() }).where('key', '=', key).execute();
    },

    async sweep() {
      const now = clock.now();
      await db.deleteFrom('rate_windows').where('expires_at', '<', now).execute();
      await db
        .deleteFrom('lockouts')
        .where('updated_at', '<', now - LOCKOUT_IDLE_MS)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        // A code lock's escalation stays (forgetting it would restart the count toward a hard lock);
        // an address's password lock has no hard step, and there is one for every address typed.
        .where((eb) => eb.or([eb('lock_count', '=', 0), eb('key', 'like', 'login:%')]))
        .execute();
    },

    async close() {},
  };
}
