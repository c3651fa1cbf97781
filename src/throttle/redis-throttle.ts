/**
 * Throttle counters in Redis (REDIS_URL): each operation is one Lua script, so it is atomic across
 * every node sharing the Redis. Time still comes from the injected clock (passed as an argument),
 * so behaviour is identical to the database backend and testable without sleeping.
 *
 * Keys: `bastion:rw:<key>:<windowStart>` (rate windows, expiring) and `bastion:lo:<key>` (a hash
 * with attempts, lock_count, locked_until, and the reservations in flight: in_flight, in_flight_until).
 */
import { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { HARD_LOCK_UNTIL, isHardLock, LOCKOUT_IDLE_MS, lockDuration, RESERVATION_LEASE_MS, retryAfter, slidingEstimate, type Throttle } from './throttle.ts';

const IDLE = String(LOCKOUT_IDLE_MS);
const HARD = String(HARD_LOCK_UNTIL);
const LEASE = String(RESERVATION_LEASE_MS);

const HIT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
return {current, previous}`;

// Every write keeps the key LOCKOUT_IDLE_MS past its lock (or past now); for ever a hard lock, and
// a count with locks behind it under a policy with a hard step (its escalation must not be forgotten).
const KEEP = `
local function keep(key, until_ms, now, idle, hard, for_good)
  if for_good or until_ms >= hard then redis.call('PERSIST', key)
  else redis.call('PEXPIRE', key, math.max(until_ms - now, 0) + idle) end
end
`;

// The reservations still in flight (none once their lease has lapsed), and one fewer when a check
// of the group \`lease\` ends (one whose group lapsed gives back nothing: the count is a later group's).
const IN_FLIGHT = `
local function live_in_flight(key, now)
  if tonumber(redis.call('HGET', key, 'in_flight_until') or '0') <= now then return 0 end
  return tonumber(redis.call('HGET', key, 'in_flight') or '0')
end
local function one_less(key, lease)
  local in_flight = tonumber(redis.call('HGET', key, 'in_flight') or '0')
  if tonumber(redis.call('HGET', key, 'in_flight_until') or '0') ~= tonumber(lease) then return in_flight end
  return math.max(in_flight - 1, 0)
end
`;

// ARGV: now, maxAttempts, idle ms, hard lock end, 1 when the policy has a hard step, lease ms.
// Returns {1, the group's lease end} when reserved, else {0, locked_until or 0}.
const ACQUIRE = KEEP + IN_FLIGHT + `
local now = tonumber(ARGV[1])
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
local locked_until = tonumber(redis.call('HGET', KEYS[1], 'locked_until') or '0')
if locked_until > now then return {0, locked_until} end
-- A count left at the limit with no lock (a reservation of the old scheme) is one short of it.
if attempts >= tonumber(ARGV[2]) then attempts = tonumber(ARGV[2]) - 1 end
local in_flight = live_in_flight(KEYS[1], now)
if attempts + in_flight >= tonumber(ARGV[2]) then return {0, 0} end
if in_flight == 0 then redis.call('HSET', KEYS[1], 'in_flight_until', now + tonumber(ARGV[6])) end
redis.call('HSET', KEYS[1], 'in_flight', in_flight + 1, 'attempts', attempts)
local lock_count = tonumber(redis.call('HGET', KEYS[1], 'lock_count') or '0')
keep(KEYS[1], 0, now, tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1' and lock_count > 0)
return {1, tonumber(redis.call('HGET', KEYS[1], 'in_flight_until'))}`;

// ARGV: now, maxAttempts, the hard step's lock_count (-1: none), the hard lock's end, idle ms, the
// group's lease, then lock durations by lock_count (the last one repeats). Returns locked_until (as a string) or 0.
// Under a lock a failure is not counted (a check that ran out as the lock began adds nothing).
const FAIL = KEEP + IN_FLIGHT + `
local now = tonumber(ARGV[1])
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
local locked_until = tonumber(redis.call('HGET', KEYS[1], 'locked_until') or '0')
local lock_count = tonumber(redis.call('HGET', KEYS[1], 'lock_count') or '0')
local hard_from = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'in_flight', one_less(KEYS[1], ARGV[6]))
if locked_until > now then return 0 end
if attempts + 1 < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'attempts', attempts + 1)
  keep(KEYS[1], 0, now, tonumber(ARGV[5]), tonumber(ARGV[4]), hard_from >= 0 and lock_count > 0)
  return 0
end
local until_ms
if hard_from >= 0 and lock_count >= hard_from then
  until_ms = ARGV[4]
else
  until_ms = string.format('%d', now + tonumber(ARGV[math.min(lock_count + 7, #ARGV)]))
end
redis.call('HSET', KEYS[1], 'attempts', 0, 'lock_count', lock_count + 1, 'locked_until', until_ms)
keep(KEYS[1], tonumber(until_ms), now, tonumber(ARGV[5]), tonumber(ARGV[4]), hard_from >= 0)
return until_ms`;

// ARGV: now, ms, idle ms, hard lock end. Extends (never shortens) a lock.
const LOCK = KEEP + `
local now = tonumber(ARGV[1])
local until_ms = now + tonumber(ARGV[2])
local locked_until = tonumber(redis.call('HGET', KEYS[1], 'locked_until') or '0')
if locked_until > until_ms then until_ms = locked_until end
redis.call('HSET', KEYS[1], 'attempts', 0, 'locked_until', until_ms)
keep(KEYS[1], until_ms, now, tonumber(ARGV[3]), tonumber(ARGV[4]), false)
return until_ms`;

// ARGV: now, idle ms, hard lock end, the group's lease. A success: the counts start over (a hard lock that came meanwhile stays).
const SUCCEED = KEEP + IN_FLIGHT + `
local locked_until = tonumber(redis.call('HGET', KEYS[1], 'locked_until') or '0')
redis.call('HSET', KEYS[1], 'attempts', 0, 'lock_count', 0, 'in_flight', one_less(KEYS[1], ARGV[4]))
keep(KEYS[1], locked_until, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), false)
return 1`;

// ARGV: the group's lease. Gives a reservation back (a key that is gone stays gone).
const RELEASE = IN_FLIGHT + `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'in_flight', one_less(KEYS[1], ARGV[1])) end
return 1`;

// ARGV: idle ms. Ends the lock, keeps its escalation (and so the key, while it has one).
const LIFT = `
redis.call('HSET', KEYS[1], 'attempts', 0, 'locked_until', 0)
if tonumber(redis.call('HGET', KEYS[1], 'lock_count') or '0') > 0 then redis.call('PERSIST', KEYS[1])
else redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1`;

export function createRedisThrottle(url: string, clock: Clock, prefix = 'bastion:'): Throttle {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  const lockoutKey = (key: string) => `${prefix}lo:${key}`;

  return {
    async hit(key, limit, windowMs) {
      const now = clock.now();
      const windowStart = Math.floor(now / windowMs) * windowMs;
      const [current, previous] = (await redis.eval(
        HIT,
        2,
        `${prefix}rw:${key}:${windowStart}`,
        `${prefix}rw:${key}:${windowStart - windowMs}`,
        String(2 * windowMs),
      )) as [number, number];
      if (slidingEstimate(previous, current, now, windowStart, windowMs) <= limit) return { allowed: true };
      return { allowed: false, retryAfterMs: retryAfter(previous, current, limit, now, windowStart, windowMs) };
    },

    async acquire(key, policy) {
      const now = clock.now();
      const hardStep = policy.hardAfterLocks === undefined ? '0' : '1';
      const [reserved, value] = (await redis.eval(ACQUIRE, 1, lockoutKey(key), String(now), String(policy.maxAttempts), IDLE, HARD, hardStep, LEASE)) as [number, number?];
      if (reserved === 1) return { ok: true, lease: Number(value) };
      const lockedUntil = value;
      const until = lockedUntil && lockedUntil > now ? lockedUntil : null;
      return { ok: false, lockedUntil: until, retryAfterMs: until ? until - now : 1000 };
    },

    async fail(key, policy, lease) {
      const durations: string[] = [];
      for (let n = 0; n < 31; n++) {
        durations.push(String(lockDuration(policy, n)));
        if (lockDuration(policy, n) >= policy.maxLockMs) break;
      }
      const hardFrom = policy.hardAfterLocks === undefined ? -1 : policy.hardAfterLocks - 1;
      const until = Number(await redis.eval(FAIL, 1, lockoutKey(key), String(clock.now()), String(policy.maxAttempts), String(hardFrom), HARD, IDLE, String(lease), ...durations));
      return until > 0 ? { locked: true, lockedUntil: until, hard: isHardLock(until) } : { locked: false };
    },

    async succeed(key, lease) {
      await redis.eval(SUCCEED, 1, lockoutKey(key), String(clock.now()), IDLE, HARD, String(lease));
    },

    async release(key, lease) {
      await redis.eval(RELEASE, 1, lockoutKey(key), String(lease));
    },

    async lockedUntil(key) {
      const value = Number((await redis.hget(lockoutKey(key), 'locked_until')) ?? 0);
      return value > clock.now() ? value : null;
    },

    async lock(key, ms) {
      return Number(await redis.eval(LOCK, 1, lockoutKey(key), String(clock.now()), String(ms), IDLE, HARD));
    },

    async unlock(key) {
      await redis.del(lockoutKey(key));
    },

    async lift(key) {
      await redis.eval(LIFT, 1, lockoutKey(key), IDLE);
    },

    async sweep() {},

    async close() {
      await redis.quit();
    },
  };
}
