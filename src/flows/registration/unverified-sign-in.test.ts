/** Signing in before verifying: answered exactly like a wrong password (no enumeration), recorded as such; after verifying, the sign-in proceeds with the password given at sign-up. */
import { describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail, verificationFrom } from '../../../test/accounts.ts';
import { dialects, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { auditOf } from '../../../test/queries.ts';
import { expectVerified, register } from '../../../test/registration.ts';
import { expectCheckEmail } from '../../../test/responses.ts';

describe.each(dialects)('registration and email verification on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);

  describe('sign-in before verification', () => {
    it('answers the right password of an account not verified yet like a wrong one; after verifying, sign-in proceeds', async () => {
      const app = await start();
      const c = app.client();
      const email = uniqueEmail('early-bird');
      expectCheckEmail(await register(c, email));

      const res = await c.post('/api/auth/login', { email: email.toUpperCase(), password: PASSWORD });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_credentials', message: 'The email or password is not right.' });
      expect(c.cookies.has('bastion_session')).toBe(false);
      const failed = await auditOf(app, 'login.failed');
      expect(failed.map((e) => JSON.parse(e.data).reason)).toEqual(['email_not_verified']);

      // A wrong password gets the very same answer.
      const wrong = await c.post('/api/auth/login', { email, password: 'not-the-password-at-all' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual(res.body);

      expectCheckEmail(await c.post('/api/auth/resend-verification', { email }));
      expectVerified(await c.post('/api/auth/verify-email', { token: (await verificationFrom(app, email)).token }));
      const ok = await c.post('/api/auth/login', { email, password: PASSWORD });
      expect(ok.status).toBe(200);
      expect(ok.body.next).toEqual(['enroll_2fa']);
    });

    // Sign-up stores the hash of the NFKC form; sign-in must compare that same form.
    it('signs in with exactly the password given at sign-up, even when NFKC changes it', async () => {
      const app = await start();
      const c = app.client();
      const email = uniqueEmail('nfkc');
      const password = 'ｖｉｏｌｅｔ-ｈａｒｂｏｒ-ｃｏｍｐａｓｓ-９１';
      expectCheckEmail(await register(c, email, password));
      expectVerified(await c.post('/api/auth/verify-email', { token: (await verificationFrom(app, email)).token }));
      expect((await c.post('/api/auth/login', { email, password })).status).toBe(200);
    });
  });
});
