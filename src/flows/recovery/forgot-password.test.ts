/** Asking for a password reset: always 202, a link (stored as a hash) only for a known address, 3 per address from each network and 20 per network an hour. */
import { describe, expect, it } from 'vitest';
import { registerVerified, uniqueEmail } from '../../../test/accounts.ts';
import { dialects, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';
import { count, forgot, RESET_SUBJECT, resetTokenFrom } from '../../../test/recovery.ts';
import { expectCheckEmail, expectRateLimited } from '../../../test/responses.ts';
import { HOUR } from '../../../test/time.ts';

describe.each(dialects)('password recovery and unlock on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);

  describe('forgot password', () => {
    it('always answers 202: an unknown address gets nothing, a known one (any case) a link stored only as a hash', async () => {
      const app = await start();
      const c = app.client({ ip: '192.0.2.10', userAgent: 'RecoveryTest/1.0' });
      const unknown = uniqueEmail('ghost');
      expectCheckEmail(await forgot(c, unknown));
      expect(await app.mailTo(unknown)).toEqual([]);
      expect(await db(app).selectFrom('one_time_tokens').selectAll().execute()).toEqual([]);
      expect(await auditOf(app, 'password.reset_requested')).toEqual([]);

      const { email } = await registerVerified(app);
      expectCheckEmail(await forgot(c, ` ${email.toUpperCase()} `));
      const mail = await app.latestMail(email);
      expect(mail.subject).toBe(RESET_SUBJECT);
      expect(mail.text).toMatch(/60 minutes/);
      const token = await resetTokenFrom(app, email);

      const rows = await db(app).selectFrom('one_time_tokens').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ purpose: 'password_reset', used_at: null, expires_at: app.clock.now() + HOUR });
      for (const value of Object.values(rows[0]!)) expect(String(value)).not.toContain(token);

      const user = await userRow(app, email);
      const events = await auditOf(app, 'password.reset_requested');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ user_id: user.id, ip: '192.0.2.10', user_agent: 'RecoveryTest/1.0' });
      expect(events[0]!.data).not.toContain(token);
    });

    it('limits requests to 3 per address per hour from a network and 20 per network: then 429 with Retry-After and no mail; a stranger does not use up the owner\'s', async () => {
      const app = await start();
      const { email } = await registerVerified(app);
      const stranger = '198.51.100.60';
      for (let i = 0; i < 3; i++) expectCheckEmail(await forgot(app.client({ ip: stranger }), i === 1 ? email.toUpperCase() : email));
      const retryAfter = expectRateLimited(await forgot(app.client({ ip: stranger }), email));
      expect(await count(app, email, RESET_SUBJECT)).toBe(3);
      // The owner, on their own network, still gets a reset email.
      expectCheckEmail(await forgot(app.client({ ip: '203.0.113.9' }), email));
      await expect.poll(() => count(app, email, RESET_SUBJECT)).toBe(4);
      // Unknown addresses are limited the same way, so the limit reveals nothing.
      const probe = app.client({ ip: '198.51.100.71' });
      for (let i = 0; i < 3; i++) expectCheckEmail(await forgot(probe, 'ghost@example.com'));
      expectRateLimited(await forgot(probe, 'ghost@example.com'));

      const spray = app.client({ ip: '198.51.100.80' });
      for (let i = 0; i < 20; i++) expectCheckEmail(await forgot(spray, `spray-${i}@example.com`));
      const other = await registerVerified(app);
      expectRateLimited(await forgot(spray, other.email));
      expect(await count(app, other.email, RESET_SUBJECT)).toBe(0);

      app.clock.advance(retryAfter * 1000);
      expectCheckEmail(await forgot(app.client({ ip: stranger }), email));
      await expect.poll(() => count(app, email, RESET_SUBJECT)).toBe(5);
    });

    it('caps the emails to one inbox at 10 an hour from all networks together, so asking from many networks floods nothing', async () => {
      const app = await start();
      const { email } = await registerVerified(app);
      for (let i = 0; i < 10; i++) expectCheckEmail(await forgot(app.client({ ip: `198.51.100.${100 + i}` }), email));
      expectRateLimited(await forgot(app.client({ ip: '198.51.100.120' }), email));
      await expect.poll(() => count(app, email, RESET_SUBJECT)).toBe(10);
      // Only the newest link works: whoever asked, it is in the owner's inbox.
      const live = await db(app).selectFrom('one_time_tokens').select('id').where('purpose', '=', 'password_reset').where('user_id', '=', (await userRow(app, email)).id).execute();
      expect(live).toHaveLength(1);
    });
  });
});
