import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE, HOUR } from '../clock.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { dialects } from '../../test/harness.ts';
import { createDatabaseThrottle } from './database-throttle.ts';
import { createRedisThrottle } from './redis-throttle.ts';
import { Redis } from 'ioredis';
import { HARD_LOCK_UNTIL, LOCKOUT_IDLE_MS, lockDuration, RESERVATION_LEASE_MS, type LockoutPolicy, type Throttle } from './throttle.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const policy: LockoutPolicy = { maxAttempts: 5, baseLockMs: 15 * MINUTE, maxLockMs: 24 * HOUR };

/** `stuck`: leaves a key at `attempts` failures with no lock, as a reservation of the scheme before lapsing reservations could. */
type Made = { throttle: Throttle; stuck(key: string, attempts: number): Promise<void>; cleanup(): Promise<void> };
type Backend = { name: string; make(clock: ManualClock): Promise<Made> };
/** A throttle whose fail, succeed and release default to the newest group reserved on the key. */
type SettledByKey = Omit<Throttle, 'fail' | 'succeed' | 'release'> & {
  fail(key: string, policy: LockoutPolicy, lease?: number): ReturnType<Throttle['fail']>;
  succeed(key: string, lease?: number): Promise<void>;
  release(key: string, lease?: number): Promise<void>;
};

/** One attempt that fails, straight on a throttle. */
async function failOnce(throttle: Throttle, key: string, p: LockoutPolicy) {
  const reserved = await throttle.acquire(key, p);
  return throttle.fail(key, p, reserved.ok ? reserved.lease : 0);
}

const backends: Backend[] = [
  ...dialects.map((dialect) => ({
    name: `database (${dialect})`,
    async make(clock: ManualClock) {
      const db: TestDatabase = await createTestDatabase(dialect);
      const stuck = async (key: string, attempts: number) => {
        await db.store.db.insertInto('lockouts').values({ key, attempts, lock_count: 0, locked_until: null, updated_at: clock.now() }).execute();
      };
      return { throttle: createDatabaseThrottle(db.store.db, clock), stuck, cleanup: () => db.drop() };
    },
  })),
  {
    name: 'redis',
    async make(clock: ManualClock) {
      const prefix = `bastion-test:${randomBytes(6).toString('hex')}:`;
      const throttle = createRedisThrottle(REDIS_URL, clock, prefix);
      const redis = new Redis(REDIS_URL);
      const stuck = async (key: string, attempts: number) => {
        await redis.hset(`${prefix}lo:${key}`, 'attempts', attempts, 'lock_count', 0, 'locked_until', 0);
      };
      return { throttle, stuck, cleanup: async () => (redis.disconnect(), await throttle.close()) };
    },
  },
];

describe('lockDuration', () => {
  it('doubles from 15 minutes and stops at 24 hours', () => {
    expect([0, 1, 2, 6, 7, 20].map((n) => lockDuration(policy, n) / MINUTE)).toEqual([15, 30, 60, 960, 1440, 1440]);
  });
});

describe.each(backends)('throttle on $name', (backend) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
  async function make() {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 7));
    const made = await backend.make(clock);
    cleanup = made.cleanup;
    // A check's reservation names its group; these tests settle each with the newest group of its key.
    const leases = new Map<string, number>();
    const lease = (key: string) => leases.get(key) ?? 0;
    const throttle: SettledByKey = {
      ...made.throttle,
      acquire: async (key, p) => {
        const reserved = await made.throttle.acquire(key, p);
        if (reserved.ok) leases.set(key, reserved.lease);
        return reserved;
      },
      fail: (key, p, l = lease(key)) => made.throttle.fail(key, p, l),
      succeed: (key, l = lease(key)) => made.throttle.succeed(key, l),
      release: (key, l = lease(key)) => made.throttle.release(key, l),
    };
    return { clock, throttle, raw: made.throttle, stuck: made.stuck };
  }

  it('sliding window: allows the limit, refuses the next with a retry time, recovers as the window slides', async () => {
    const { clock, throttle } = await make();
    for (let i = 0; i < 3; i++) expect(await throttle.hit('ip:1', 3, MINUTE)).toEqual({ allowed: true });
    const refused = await throttle.hit('ip:1', 3, MINUTE);
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(2 * MINUTE);
    expect((await throttle.hit('ip:2', 3, MINUTE)).allowed).toBe(true); // other keys unaffected
    clock.advance(refused.retryAfterMs);
    expect((await throttle.hit('ip:1', 3, MINUTE)).allowed).toBe(true);
    clock.advance(3 * MINUTE);
    for (let i = 0; i < 3; i++) expect((await throttle.hit('ip:1', 3, MINUTE)).allowed).toBe(true);
  });

  it('lockout: 5 failures lock for 15 minutes, the next lock for 30, and a success resets', async () => {
    const { clock, throttle } = await make();
    for (let i = 0; i < 4; i++) {
      expect(await throttle.acquire('a', policy)).toMatchObject({ ok: true });
      expect(await throttle.fail('a', policy)).toEqual({ locked: false });
    }
    expect(await throttle.acquire('a', policy)).toMatchObject({ ok: true });
    const locked = await throttle.fail('a', policy);
    expect(locked).toEqual({ locked: true, lockedUntil: clock.now() + 15 * MINUTE, hard: false });
    expect(await throttle.acquire('a', policy)).toMatchObject({ ok: false, lockedUntil: clock.now() + 15 * MINUTE, retryAfterMs: 15 * MINUTE });
    expect(await throttle.lockedUntil('a')).toBe(clock.now() + 15 * MINUTE);

    clock.advance(15 * MINUTE);
    expect(await throttle.lockedUntil('a')).toBeNull();
    for (let i = 0; i < 5; i++) {
      expect(await throttle.acquire('a', policy)).toMatchObject({ ok: true });
      await throttle.fail('a', policy);
    }
    expect(await throttle.lockedUntil('a')).toBe(clock.now() + 30 * MINUTE);

    clock.advance(30 * MINUTE);
    expect(await throttle.acquire('a', policy)).toMatchObject({ ok: true });
    await throttle.succeed('a');
    for (let i = 0; i < 5; i++) {
      await throttle.acquire('a', policy);
      await throttle.fail('a', policy);
    }
    expect(await throttle.lockedUntil('a')).toBe(clock.now() + 15 * MINUTE); // back to the first step
  });

  it('a success in between resets the count of failures in a row', async () => {
    const { throttle } = await make();
    for (let i = 0; i < 4; i++) {
      await throttle.acquire('b', policy);
      await throttle.fail('b', policy);
    }
    await throttle.acquire('b', policy);
    await throttle.succeed('b');
    for (let i = 0; i < 4; i++) {
      await throttle.acquire('b', policy);
      expect(await throttle.fail('b', policy)).toEqual({ locked: false });
    }
  });

  it('of 50 parallel attempts, only 5 are let through to check the secret, and exactly one locks', async () => {
    const { throttle } = await make();
    const results = await Promise.all(Array.from({ length: 50 }, () => throttle.acquire('c', policy)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const fails = await Promise.all(Array.from({ length: 5 }, () => throttle.fail('c', policy)));
    expect(fails.filter((f) => f.locked)).toHaveLength(1);
  });

  it('a reservation is not a failure: places held by checks in flight lapse after the lease, and release gives one back', async () => {
    const { clock, throttle } = await make();
    for (let i = 0; i < 5; i++) expect(await throttle.acquire('r', policy)).toMatchObject({ ok: true });
    expect(await throttle.acquire('r', policy)).toMatchObject({ ok: false, lockedUntil: null });
    await throttle.release('r');
    expect(await throttle.acquire('r', policy)).toMatchObject({ ok: true });
    // The five never answer (their process died): a lease later their places are free, and uncounted.
    clock.advance(RESERVATION_LEASE_MS - 1);
    expect(await throttle.acquire('r', policy)).toMatchObject({ ok: false, lockedUntil: null });
    clock.advance(1);
    for (let i = 0; i < 4; i++) {
      expect(await throttle.acquire('r', policy)).toMatchObject({ ok: true });
      expect(await throttle.fail('r', policy)).toEqual({ locked: false });
    }
    // Four failures: the fifth place is the last, and its failure locks.
    expect(await throttle.acquire('r', policy)).toMatchObject({ ok: true });
    expect(await throttle.acquire('r', policy)).toMatchObject({ ok: false, lockedUntil: null });
    expect(await throttle.fail('r', policy)).toMatchObject({ locked: true, lockedUntil: clock.now() + 15 * MINUTE });
  });

  it("a check whose group lapsed gives back no place of the group after it, and its failure still counts", async () => {
    const { clock, raw } = await make();
    const first = await raw.acquire('g', policy);
    if (!first.ok) throw new Error('not reserved');
    for (let i = 0; i < 4; i++) expect((await raw.acquire('g', policy)).ok).toBe(true);
    clock.advance(RESERVATION_LEASE_MS);
    const second = await raw.acquire('g', policy);
    if (!second.ok) throw new Error('not reserved');
    expect(second.lease).toBeGreaterThan(first.lease);
    for (let i = 0; i < 4; i++) expect((await raw.acquire('g', policy)).ok).toBe(true);
    // The first group's checks end late: releases and failures free none of the second group's places.
    await raw.release('g', first.lease);
    expect(await raw.fail('g', policy, first.lease)).toEqual({ locked: false });
    expect(await raw.acquire('g', policy)).toMatchObject({ ok: false, lockedUntil: null });
    // That failure counted: with it, four of the second group's failures lock.
    for (let i = 0; i < 3; i++) expect(await raw.fail('g', policy, second.lease)).toEqual({ locked: false });
    expect(await raw.fail('g', policy, second.lease)).toMatchObject({ locked: true });
  });

  it('a count left at the limit with no lock (a reservation of the old scheme) is one short of it: the next attempt is let through, and its failure locks', async () => {
    const { clock, throttle, stuck } = await make();
    await stuck('s', policy.maxAttempts);
    expect(await throttle.acquire('s', policy)).toMatchObject({ ok: true });
    expect(await throttle.fail('s', policy)).toEqual({ locked: true, lockedUntil: clock.now() + 15 * MINUTE, hard: false });
    await stuck('t', policy.maxAttempts + 3);
    expect(await throttle.acquire('t', policy)).toMatchObject({ ok: true });
    await throttle.succeed('t');
    for (let i = 0; i < 4; i++) {
      expect(await throttle.acquire('t', policy)).toMatchObject({ ok: true });
      expect(await throttle.fail('t', policy)).toEqual({ locked: false });
    }
  });

  it('a failure is counted even when its key went meanwhile (an unlock), as on every backend', async () => {
    const { throttle } = await make();
    for (let i = 0; i < 4; i++) {
      await throttle.acquire('u', policy);
      await throttle.fail('u', policy);
    }
    await throttle.acquire('u', policy);
    await throttle.unlock('u');
    expect(await throttle.fail('u', policy)).toEqual({ locked: false });
    for (let i = 0; i < 3; i++) {
      await throttle.acquire('u', policy);
      expect(await throttle.fail('u', policy)).toEqual({ locked: false });
    }
    await throttle.acquire('u', policy);
    expect(await throttle.fail('u', policy)).toMatchObject({ locked: true });
  });

  it('failures that end while a lock is on add nothing to the next count', async () => {
    const { clock, throttle } = await make();
    for (let i = 0; i < 5; i++) expect(await throttle.acquire('l', policy)).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) await throttle.fail('l', policy);
    await throttle.lock('l', 15 * MINUTE);
    await throttle.fail('l', policy);
    clock.advance(15 * MINUTE);
    for (let i = 0; i < 4; i++) {
      expect(await throttle.acquire('l', policy)).toMatchObject({ ok: true });
      expect(await throttle.fail('l', policy)).toEqual({ locked: false });
    }
  });

  it('lift ends the lock but keeps its escalation: the next lock is twice as long', async () => {
    const { clock, throttle } = await make();
    for (let i = 0; i < 5; i++) {
      await throttle.acquire('e', policy);
      await throttle.fail('e', policy);
    }
    expect(await throttle.lockedUntil('e')).toBe(clock.now() + 15 * MINUTE);
    await throttle.lift('e');
    expect(await throttle.lockedUntil('e')).toBeNull();
    for (let i = 0; i < 4; i++) {
      expect(await throttle.acquire('e', policy)).toMatchObject({ ok: true });
      expect(await throttle.fail('e', policy)).toEqual({ locked: false });
    }
    await throttle.acquire('e', policy);
    expect(await throttle.fail('e', policy)).toEqual({ locked: true, lockedUntil: clock.now() + 30 * MINUTE, hard: false });
    await throttle.lift('f'); // a key never locked: nothing to lift, and no lock after it
    expect(await throttle.lockedUntil('f')).toBeNull();
  });

  it('the hard step: the tenth lock in a row does not end by itself; lift ends it and the next lock is hard again; unlock starts over', async () => {
    const { clock, throttle } = await make();
    const codes: LockoutPolicy = { maxAttempts: 10, baseLockMs: 15 * MINUTE, maxLockMs: 24 * HOUR, hardAfterLocks: 10 };
    const failRound = async (key: string) => {
      let last: Awaited<ReturnType<Throttle['fail']>> = { locked: false };
      for (let i = 0; i < 10; i++) {
        expect(await throttle.acquire(key, codes)).toMatchObject({ ok: true });
        last = await throttle.fail(key, codes);
      }
      return last;
    };
    const ends: number[] = [];
    for (let lock = 1; lock <= 9; lock++) {
      const result = await failRound('h');
      expect(result).toMatchObject({ locked: true, hard: false });
      if (result.locked) ends.push((result.lockedUntil - clock.now()) / MINUTE);
      clock.advance(24 * HOUR);
    }
    expect(ends).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
    // The 100th failure in a row.
    expect(await failRound('h')).toEqual({ locked: true, lockedUntil: HARD_LOCK_UNTIL, hard: true });
    clock.advance(365 * 24 * HOUR);
    expect(await throttle.lockedUntil('h')).toBe(HARD_LOCK_UNTIL);
    expect(await throttle.acquire('h', codes)).toMatchObject({ ok: false, lockedUntil: HARD_LOCK_UNTIL });
    await throttle.lift('h');
    expect(await throttle.lockedUntil('h')).toBeNull();
    expect(await failRound('h')).toMatchObject({ locked: true, hard: true });
    await throttle.unlock('h');
    expect(await failRound('h')).toMatchObject({ locked: true, hard: false });
  });

  it('lock extends, never shortens, and unlock clears', async () => {
    const { clock, throttle } = await make();
    expect(await throttle.lock('d', 60 * MINUTE)).toBe(clock.now() + 60 * MINUTE);
    expect(await throttle.lock('d', 15 * MINUTE)).toBe(clock.now() + 60 * MINUTE);
    expect((await throttle.acquire('d', policy)).ok).toBe(false);
    await throttle.unlock('d');
    expect(await throttle.lockedUntil('d')).toBeNull();
    expect((await throttle.acquire('d', policy)).ok).toBe(true);
  });
});

describe.each(dialects)('lockout counts that go idle, database (%s)', (dialect) => {
  it("the sweep deletes an address's password counts idle for 30 days whose lock is over (the next lock starts at 15 minutes again); a code lock's escalation and a hard lock stay", async () => {
    const db = await createTestDatabase(dialect);
    try {
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const throttle = createDatabaseThrottle(db.store.db, clock);
      const codes: LockoutPolicy = { maxAttempts: 5, baseLockMs: 15 * MINUTE, maxLockMs: 24 * HOUR, hardAfterLocks: 10 };
      for (let i = 0; i < 5; i++) {
        await failOnce(throttle, 'login:idle', policy);
        await failOnce(throttle, 'mfa:u:totp', codes);
      }
      await failOnce(throttle, 'login:tried-once', policy);
      await throttle.lock('mfa:u:email_code', HARD_LOCK_UNTIL - clock.now());
      clock.advance(LOCKOUT_IDLE_MS - MINUTE);
      await throttle.sweep();
      const keys = async () => (await db.store.db.selectFrom('lockouts').select('key').orderBy('key').execute()).map((r) => r.key);
      expect(await keys()).toEqual(['login:idle', 'login:tried-once', 'mfa:u:email_code', 'mfa:u:totp']);
      clock.advance(2 * MINUTE);
      await throttle.sweep();
      expect(await keys()).toEqual(['mfa:u:email_code', 'mfa:u:totp']);
      expect(await throttle.lockedUntil('mfa:u:email_code')).toBe(HARD_LOCK_UNTIL);
      for (let i = 0; i < 5; i++) {
        await failOnce(throttle, 'login:idle', policy);
        await failOnce(throttle, 'mfa:u:totp', codes);
      }
      expect(await throttle.lockedUntil('login:idle')).toBe(clock.now() + 15 * MINUTE);
      expect(await throttle.lockedUntil('mfa:u:totp')).toBe(clock.now() + 30 * MINUTE);
    } finally {
      await db.drop();
    }
  });
});

describe('lockout counts that go idle, Redis', () => {
  it('each write keeps a key 30 days past its lock; a hard lock, and a code lock with locks behind it, have no expiry', async () => {
    const prefix = `bastion-test:${randomBytes(6).toString('hex')}:`;
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const throttle = createRedisThrottle(REDIS_URL, clock, prefix);
    const redis = new Redis(REDIS_URL);
    const ttl = (key: string) => redis.pttl(`${prefix}lo:${key}`);
    try {
      const passwords: LockoutPolicy = { maxAttempts: 1, baseLockMs: HOUR, maxLockMs: HOUR };
      const codes: LockoutPolicy = { ...passwords, hardAfterLocks: 2 };
      const p = await throttle.acquire('p', passwords);
      expect(await ttl('p')).toBeGreaterThan(LOCKOUT_IDLE_MS - MINUTE);
      expect(await ttl('p')).toBeLessThanOrEqual(LOCKOUT_IDLE_MS);
      expect(await throttle.fail('p', passwords, p.ok ? p.lease : 0)).toMatchObject({ locked: true, hard: false });
      expect(await ttl('p')).toBeGreaterThan(LOCKOUT_IDLE_MS + HOUR - MINUTE);

      const c = await throttle.acquire('c', codes);
      expect(await ttl('c')).toBeGreaterThan(LOCKOUT_IDLE_MS - MINUTE);
      expect(await throttle.fail('c', codes, c.ok ? c.lease : 0)).toMatchObject({ locked: true, hard: false });
      expect(await ttl('c')).toBe(-1);
      clock.advance(HOUR);
      expect(await failOnce(throttle, 'c', codes)).toMatchObject({ locked: true, hard: true });
      expect(await ttl('c')).toBe(-1);
      await throttle.lift('c');
      expect(await ttl('c')).toBe(-1); // its escalation is kept
      await throttle.succeed('c', 0);
      expect(await ttl('c')).toBeGreaterThan(0);
    } finally {
      await redis.del(`${prefix}lo:p`, `${prefix}lo:c`);
      redis.disconnect();
      await throttle.close();
    }
  });
});
