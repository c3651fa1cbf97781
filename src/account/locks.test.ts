/** The one lockout primitive: what a reserved attempt becomes when its check is refused, breaks, or answers too late. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Tx } from '../store/database.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { conflict } from '../errors/app-error.ts';
import { RESERVATION_LEASE_MS } from '../throttle/throttle.ts';
import { CODE_LOCKOUT, underLockout, type LockedAttempt } from './locks.ts';

const CLIENT = { ip: '192.0.2.77', userAgent: 'LocksTest/1.0' };

describe.each(dialects)('underLockout on %s', (dialect) => {
  const app = testApps(dialect);

  it('gives the attempt back when the answer matched but what it was for was refused', async () => {
    const t = await app();
    const attempt = (check: boolean, refuse: boolean) =>
      underLockout(t.deps, {
        lock: { key: 'test:reservation', policy: CODE_LOCKOUT, kind: { method: 'Authenticator app', otherFactorLifts: true } },
        user: undefined,
        client: CLIENT,
        check: async () => check,
        onSuccess: async () => {
          if (refuse) throw conflict('two_factor_reset_open', 'refused after the answer matched');
          return 'ok';
        },
        onFailure: async () => undefined,
        refusal: () => conflict('invalid_code', 'wrong'),
        answerLock: true,
      });
    const attempts = async () => (await t.deps.store.db.selectFrom('lockouts').select('attempts').where('key', '=', 'test:reservation').executeTakeFirst())?.attempts;
    await expect(attempt(false, false)).rejects.toMatchObject({ code: 'invalid_code' });
    expect(await attempts()).toBe(1);
    // Far more refusals than the lock allows: none of them is counted, and a right answer still works.
    for (let i = 0; i < CODE_LOCKOUT.maxAttempts + 2; i++) await expect(attempt(true, true)).rejects.toMatchObject({ code: 'two_factor_reset_open' });
    expect(await attempts()).toBe(0);
    expect(await attempt(true, false)).toBe('ok');
  });

  const LOCK = { key: 'test:late', policy: CODE_LOCKOUT, kind: { method: 'Authenticator app', otherFactorLifts: true } };
  const base = (over: Partial<LockedAttempt<string>>): LockedAttempt<string> => ({
    lock: LOCK,
    user: undefined,
    client: CLIENT,
    check: async () => true,
    onSuccess: async () => 'signed in',
    onFailure: async () => undefined,
    refusal: () => conflict('invalid_code', 'wrong'),
    answerLock: true,
    ...over,
  });

  it('withholds the answer of a check that outlived its lease: a right one is not applied, a wrong one still counts, both answer attempt_in_progress', async () => {
    const t = await app();
    const attempts = async () => (await t.deps.store.db.selectFrom('lockouts').select(['attempts', 'in_flight']).where('key', '=', LOCK.key).executeTakeFirst());
    // The slow part of the check (a password hash) runs past the lease.
    const slow = async () => {
      t.clock.advance(RESERVATION_LEASE_MS);
      return true;
    };
    let applied = 0;
    await expect(underLockout(t.deps, base({ before: slow, onSuccess: async () => String(++applied) }))).rejects.toMatchObject({ code: 'attempt_in_progress', status: 429 });
    expect(applied).toBe(0);
    expect(await attempts()).toMatchObject({ attempts: 0 });
    await expect(underLockout(t.deps, base({ before: slow, check: async () => false }))).rejects.toMatchObject({ code: 'attempt_in_progress', status: 429 });
    expect(await attempts()).toMatchObject({ attempts: 1 });
    // In time, the same answers are told.
    await expect(underLockout(t.deps, base({ check: async () => false }))).rejects.toMatchObject({ code: 'invalid_code' });
    expect(await underLockout(t.deps, base({}))).toBe('signed in');
  });

  it('counts a wrong answer whose transaction then fails, and gives back the place of a check that broke off before answering', async () => {
    const t = await app();
    const row = async () => t.deps.store.db.selectFrom('lockouts').select(['attempts', 'in_flight']).where('key', '=', LOCK.key).executeTakeFirstOrThrow();
    const broken = new Error('connection lost');
    // The answer is known to be wrong, then recording what follows fails: it still counts.
    await expect(underLockout(t.deps, base({ check: async () => false, onFailure: async () => Promise.reject(broken) }))).rejects.toBe(broken);
    expect(await row()).toEqual({ attempts: 1, in_flight: 0 });
    // The check's own transaction fails to commit after a wrong answer (a deferred constraint): it counts too.
    await sql`create table commit_target (id integer primary key)`.execute(t.deps.store.db);
    await sql`create table commit_fails (ref integer references commit_target (id) deferrable initially deferred)`.execute(t.deps.store.db);
    const wrongThenBroken = async (tx: Tx) => {
      await sql`insert into commit_fails (ref) values (1)`.execute(tx);
      return false;
    };
    await expect(underLockout(t.deps, base({ check: wrongThenBroken }))).rejects.toThrow(/foreign key/i);
    expect(await row()).toEqual({ attempts: 2, in_flight: 0 });
    // A check that broke off before it had an answer counts nothing and holds no place.
    await expect(underLockout(t.deps, base({ before: async () => Promise.reject(broken) }))).rejects.toBe(broken);
    expect(await row()).toEqual({ attempts: 2, in_flight: 0 });
  });
});
