/** Resending the verification email: always 202, sent only to an unverified account, 3 per address from each network and 20 per network an hour. */
import { describe, expect, it } from 'vitest';
import { uniqueEmail, verificationFrom } from '../../../test/accounts.ts';
import { dialects, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { subjects } from '../../../test/mail.ts';
import { auditOf } from '../../../test/queries.ts';
import { expectVerified, register, users, VERIFY_SUBJECT, verifyMails } from '../../../test/registration.ts';
import { expectCheckEmail, expectRateLimited } from '../../../test/responses.ts';

describe.each(dialects)('registration and email verification on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);

  describe('resend verification', () => {
    it('always answers 202, but sends only to an unverified account', async () => {
      const app = await start();
      const c = app.client();
      const unverified = uniqueEmail('unverified');
      const verified = uniqueEmail('verified');
      const unknown = uniqueEmail('unknown');
      expectCheckEmail(await register(c, unverified));
      expectCheckEmail(await register(c, verified));
      expectVerified(await c.post('/api/auth/verify-email', { token: (await verificationFrom(app, verified)).token }));

      for (const email of [unknown, verified, unverified.toUpperCase()]) expectCheckEmail(await c.post('/api/auth/resend-verification', { email }));
      expect(await app.mailTo(unknown)).toEqual([]);
      expect(await subjects(app, verified)).toEqual([VERIFY_SUBJECT]);
      expect(await subjects(app, unverified)).toEqual([VERIFY_SUBJECT, VERIFY_SUBJECT]);
      expect(await users(app)).toHaveLength(2); // no account appears for the unknown address
      expect(await auditOf(app, 'email.verification_resent')).toHaveLength(1);
    });

    it('allows 3 emails per address per hour from a network: the 4th gets 429 with Retry-After and sends nothing; the owner elsewhere still gets one', async () => {
      const app = await start();
      const email = uniqueEmail('limit');
      expectCheckEmail(await register(app.client(), email));
      // Different spellings from one network: the limit is per address (and network).
      const variants = [email, email.toUpperCase(), ` ${email} `];
      for (const variant of variants) {
        expectCheckEmail(await app.client({ ip: '198.51.100.30' }).post('/api/auth/resend-verification', { email: variant }));
      }
      expect(await verifyMails(app, email)).toBe(4); // sign-up + 3 resends
      const refused = await app.client({ ip: '198.51.100.30' }).post('/api/auth/resend-verification', { email });
      const retryAfter = expectRateLimited(refused);
      expect(await verifyMails(app, email)).toBe(4);
      // A stranger's network used up its share, not the owner's: from the owner's network the email is sent.
      expectCheckEmail(await app.client({ ip: '203.0.113.7' }).post('/api/auth/resend-verification', { email }));
      await expect.poll(() => verifyMails(app, email)).toBe(5);
      // The latest email still works; another address is not affected.
      const other = uniqueEmail('other');
      expectCheckEmail(await app.client({ ip: '198.51.100.40' }).post('/api/auth/resend-verification', { email: other }));
      // The same limit applies to unknown addresses, so it reveals nothing.
      const unknownClient = app.client({ ip: '198.51.100.41' });
      for (let i = 0; i < 3; i++) expectCheckEmail(await unknownClient.post('/api/auth/resend-verification', { email: 'ghost@example.com' }));
      expectRateLimited(await unknownClient.post('/api/auth/resend-verification', { email: 'ghost@example.com' }));

      // Retry-After is honest: once it has passed, the address may ask again.
      app.clock.advance(retryAfter * 1000);
      expectCheckEmail(await app.client({ ip: '198.51.100.30' }).post('/api/auth/resend-verification', { email }));
      await expect.poll(() => verifyMails(app, email)).toBe(6);
    });

    it('allows 20 requests per client IP per hour across addresses: the 21st gets 429', async () => {
      const app = await start();
      const c = app.client({ ip: '198.51.100.50' });
      const target = uniqueEmail('target');
      expectCheckEmail(await register(app.client(), target));
      for (let i = 0; i < 20; i++) expectCheckEmail(await c.post('/api/auth/resend-verification', { email: `spray-${i}@example.com` }));
      const retryAfter = expectRateLimited(await c.post('/api/auth/resend-verification', { email: target }));
      expect(await verifyMails(app, target)).toBe(1);
      // Another IP may still ask for the same address.
      expectCheckEmail(await app.client({ ip: '198.51.100.51' }).post('/api/auth/resend-verification', { email: target }));
      expect(await verifyMails(app, target)).toBe(2);
      // And this IP may again once Retry-After has passed.
      app.clock.advance(retryAfter * 1000);
      expectCheckEmail(await c.post('/api/auth/resend-verification', { email: target }));
      expect(await verifyMails(app, target)).toBe(3);
    });
  });
});
