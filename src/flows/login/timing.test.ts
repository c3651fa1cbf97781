/**
 * No user enumeration through timing (OWASP ASVS V6.3.8): a wrong password for a real account and
 * any password for an unknown email take the same time, because unknown emails run a dummy argon2id
 * verification with the same parameters. Measured over 200 interleaved tries of each.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { passwordKey } from '../../account/locks.ts';
import { registerVerified } from '../../../test/accounts.ts';
import { createTestApp, dialects, type TestApp } from '../../../test/harness.ts';

const TRIES = 200;

describe.each(dialects)('login timing on %s', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers a wrong password and an unknown email alike: same status, same body, mean times within 10%', async () => {
    t = await createTestApp(dialect, { env: { LOGIN_IP_LIMIT: '100000' } });
    const { email } = await registerVerified(t);
    const unknown = 'nobody-here@example.com';
    const client = t.client();
    const times = { known: [] as number[], unknown: [] as number[] };
    const bodies = new Set<string>();
    const statuses = new Set<number>();

    const attempt = async (kind: 'known' | 'unknown') => {
      const target = kind === 'known' ? email : unknown;
      await t!.deps.throttle.unlock(passwordKey(target)); // measure the password check, not the lockout
      const start = process.hrtime.bigint();
      const res = await client.post('/api/auth/login', { email: target, password: 'not-the-password-123' });
      times[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      statuses.add(res.status);
      bodies.add(JSON.stringify(res.body));
    };
    // Warm up both paths (first argon2 call, prepared statements), then interleave.
    await attempt('known');
    await attempt('unknown');
    times.known.length = 0;
    times.unknown.length = 0;
    for (let i = 0; i < TRIES; i++) {
      if (i % 2 === 0) {
        await attempt('known');
        await attempt('unknown');
      } else {
        await attempt('unknown');
        await attempt('known');
      }
    }

    expect([...statuses]).toEqual([401]);
    expect(bodies.size).toBe(1);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const known = mean(times.known);
    const unknownMean = mean(times.unknown);
    const difference = Math.abs(known - unknownMean) / Math.max(known, unknownMean);
    expect(difference, `known ${known.toFixed(2)} ms, unknown ${unknownMean.toFixed(2)} ms`).toBeLessThan(0.1);
  }, 120_000);
});
