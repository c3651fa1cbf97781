/**
 * No user enumeration through timing on the routes that take only an address: asking for a reset
 * link, and for the verification email again. A known address (an unverified account for the
 * second) and an unknown one get the same answer in the same time, because the work a known address
 * causes (a token, an email, an audit event, in one transaction) starts after the answer (later.ts).
 * Measured over 100 interleaved pairs: the median of the pairs' differences (each known request against
 * the unknown one next to it in time, so a busy spell on the machine weighs on both) against the median
 * time. Each request's own work is let finish before the next.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registerVerified } from '../../../test/accounts.ts';
import { createTestApp, dialects, type TestApp } from '../../../test/harness.ts';
import { register } from '../../../test/registration.ts';
import { HOUR } from '../../../test/time.ts';
import { interleave, pairedDifference } from '../../../test/timing.ts';

const PAIRS = 100;

describe.each(dialects)('address-only routes’ timing on %s', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  for (const [route, path, prepare] of [
    ['a reset link', '/api/auth/password/forgot', async (app: TestApp) => (await registerVerified(app)).email],
    ['the verification email again', '/api/auth/resend-verification', async (app: TestApp) => {
      const email = `unverified-${Date.now()}@example.com`;
      expect((await register(app.client(), email)).status).toBe(202);
      return email;
    }],
  ] as const) {
    it(`answers ${route} for a known and an unknown address alike: same status and body, the pairs' median difference within 10% of the median time`, async () => {
      t = await createTestApp(dialect);
      const known = await prepare(t);
      const times = { known: [] as number[], unknown: [] as number[] };
      const answers = new Set<string>();
      let n = 0;
      const attempt = async (kind: 'known' | 'unknown') => {
        // Each attempt in a new hour (the per-address and per-network limits are not what is measured), from its own network.
        t!.clock.advance(HOUR);
        const client = t!.client({ ip: `198.51.${Math.floor(n / 250)}.${(n++ % 250) + 1}` });
        const start = process.hrtime.bigint();
        const res = await client.post(path, { email: kind === 'known' ? known : 'nobody-here@example.com' });
        times[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
        answers.add(`${res.status} ${JSON.stringify(res.body)}`);
        await t!.deps.later.idle();
      };
      await interleave(['known', 'unknown'], PAIRS, times, attempt);
      expect([...answers]).toHaveLength(1);
      // The known address's email was sent each time: the work happened, only after the answer.
      expect((await t.mailTo(known)).length).toBeGreaterThanOrEqual(PAIRS);
      const { ratio, seen } = pairedDifference({ name: 'known', times: times.known }, { name: 'unknown', times: times.unknown });
      expect(ratio, seen).toBeLessThan(0.1);
    }, 120_000);
  }
});
