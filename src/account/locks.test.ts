/** The one lockout primitive: a right answer whose purpose is then refused gives its reserved attempt back. */
import { describe, expect, it } from 'vitest';
import { dialects, testApps } from '../../test/harness.ts';
import { conflict } from '../errors/app-error.ts';
import { CODE_LOCKOUT, underLockout } from './locks.ts';

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
});
