/** Email verification: by link (24 hours) or code (15 minutes, 5 tries), once, only the latest email, stored as hashes, bad input refused. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail, verificationFrom } from '../../../test/accounts.ts';
import { dialects, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { auditOf } from '../../../test/queries.ts';
import { expectInvalidVerification, expectVerified, register, users, verifications, verifyMails } from '../../../test/registration.ts';
import { expectCheckEmail } from '../../../test/responses.ts';
import { HOUR, MINUTE } from '../../../test/time.ts';

/** A 6-digit code that is not `code` (the i-th such). */
const wrongCode = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

describe.each(dialects)('registration and email verification on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);

  describe('verification', () => {
    it('verifies by link once; the code of the same email is dead afterwards', async () => {
      const app = await start();
      const c = app.client();
      const email = uniqueEmail('link');
      expectCheckEmail(await register(c, email));
      const { token, code } = await verificationFrom(app, email);

      expectVerified(await c.post('/api/auth/verify-email', { token }));
      const [user] = await users(app);
      expect(user!.email_verified_at).toBe(app.clock.now());
      expect(await verifications(app)).toEqual([]);

      expectInvalidVerification(await c.post('/api/auth/verify-email', { token }));
      expectInvalidVerification(await c.post('/api/auth/verify-email', { email, code }));
      expect(await auditOf(app, 'email.verified')).toHaveLength(1);
      expect((await c.post('/api/auth/login', { email, password: PASSWORD })).body.next).toEqual(['enroll_2fa']);
    });

    it('verifies by code (address in any case) once; the link of the same email is dead afterwards', async () => {
      const app = await start();
      const c = app.client();
      const email = uniqueEmail('code');
      expectCheckEmail(await register(c, email));
      const { token, code } = await verificationFrom(app, email);

      app.clock.advance(5 * MINUTE);
      expectVerified(await c.post('/api/auth/verify-email', { email: ` ${email.toUpperCase()} `, code }));
      const [user] = await users(app);
      expect(user!.email_verified_at).toBe(app.clock.now());
      const [event] = await auditOf(app, 'email.verified');
      expect(JSON.parse(event!.data)).toEqual({ via: 'code' });

      expectInvalidVerification(await c.post('/api/auth/verify-email', { email, code }));
      expectInvalidVerification(await c.post('/api/auth/verify-email', { token }));
      expect(await auditOf(app, 'email.verified')).toHaveLength(1);
    });

    it('accepts the link until 24 hours after sending, not at 24 hours', async () => {
      const app = await start();
      const c = app.client();
      const early = uniqueEmail('early');
      const late = uniqueEmail('late');
      expectCheckEmail(await register(c, early));
      expectCheckEmail(await register(c, late));
      const e = await verificationFrom(app, early);
      const l = await verificationFrom(app, late);

      app.clock.advance(24 * HOUR - 1);
      expectVerified(await c.post('/api/auth/verify-email', { token: e.token }));
      app.clock.advance(1);
      expectInvalidVerification(await c.post('/api/auth/verify-email', { token: l.token }));
      const lateUser = (await users(app)).find((u) => u.email === late);
      expect(lateUser!.email_verified_at).toBeNull();

      // A fresh email works again.
      expectCheckEmail(await c.post('/api/auth/resend-verification', { email: late }));
      expectVerified(await c.post('/api/auth/verify-email', { token: (await verificationFrom(app, late)).token }));
    });

    it('accepts the code until 15 minutes after sending, not at 15 minutes; the link still works then', async () => {
      const app = await start();
      const c = app.client();
      const early = uniqueEmail('early');
      const late = uniqueEmail('late');
      expectCheckEmail(await register(c, early));
      expectCheckEmail(await register(c, late));
      const e = await verificationFrom(app, early);
      const l = await verificationFrom(app, late);

      app.clock.advance(15 * MINUTE - 1);
      expectVerified(await c.post('/api/auth/verify-email', { email: early, code: e.code }));
      app.clock.advance(1);
      expectInvalidVerification(await c.post('/api/auth/verify-email', { email: late, code: l.code }));
      expectVerified(await c.post('/api/auth/verify-email', { token: l.token }));
    });

    it('invalidates the old link and the old code when a new email is sent', async () => {
      const app = await start();
      const c = app.client();
      const email = uniqueEmail('resend');
      expectCheckEmail(await register(c, email));
      const old = await verificationFrom(app, email);
      expectCheckEmail(await c.post('/api/auth/resend-verification', { email }));
      expect(await verifyMails(app, email)).toBe(2);
      const fresh = await verificationFrom(app, email);
      expect(fresh.token).not.toBe(old.token);
      expect(await verifications(app)).toHaveLength(1);

      expectInvalidVerification(await c.post('/api/auth/verify-email', { token: old.token }));
      if (old.code !== fresh.code) expectInvalidVerification(await c.post('/api/auth/verify-email', { email, code: old.code }));
      expectVerified(await c.post('/api/auth/verify-email', { email, code: fresh.code }));
      expectInvalidVerification(await c.post('/api/auth/verify-email', { token: fresh.token }));
    });

    it('kills the code after 5 wrong tries (4 wrong tries still leave it usable); the link is unaffected', async () => {
      const app = await start();
      const c = app.client();
      const four = uniqueEmail('four');
      const five = uniqueEmail('five');
      expectCheckEmail(await register(c, four));
      expectCheckEmail(await register(c, five));
      const f4 = await verificationFrom(app, four);
      const f5 = await verificationFrom(app, five);

      for (let i = 0; i < 4; i++) expectInvalidVerification(await c.post('/api/auth/verify-email', { email: four, code: wrongCode(f4.code, i) }));
      expectVerified(await c.post('/api/auth/verify-email', { email: four, code: f4.code }));

      for (let i = 0; i < 5; i++) expectInvalidVerification(await c.post('/api/auth/verify-email', { email: five, code: wrongCode(f5.code, i) }));
      expectInvalidVerification(await c.post('/api/auth/verify-email', { email: five, code: f5.code }));
      const row = (await verifications(app))[0];
      expect(row?.code_attempts).toBe(5);
      expect((await users(app)).find((u) => u.email === five)!.email_verified_at).toBeNull();
      expectVerified(await c.post('/api/auth/verify-email', { token: f5.token }));
    });

    it('refuses a foreign token or code with 400 invalid_verification, and bad input with 400 naming the field (never 500)', async () => {
      const app = await start();
      const c = app.client();
      const email = uniqueEmail('foreign');
      expectCheckEmail(await register(c, email));
      const { code } = await verificationFrom(app, email);

      expectInvalidVerification(await c.post('/api/auth/verify-email', { token: randomBytes(32).toString('base64url') }));
      expectInvalidVerification(await c.post('/api/auth/verify-email', { token: 'not-a-token' }));
      expectInvalidVerification(await c.post('/api/auth/verify-email', { email: 'nobody@example.com', code }));
      expectInvalidVerification(await c.post('/api/auth/verify-email', { email, code: 'abcdef' }));

      const cases: [string, unknown, RegExp][] = [
        ['/api/auth/verify-email', {}, /^token: /],
        ['/api/auth/verify-email', { token: '' }, /^token: is required/],
        ['/api/auth/verify-email', { token: 'x'.repeat(513) }, /^token: /],
        ['/api/auth/verify-email', { token: 12345 }, /^token: /],
        ['/api/auth/verify-email', { token: null }, /^token: /],
        ['/api/auth/verify-email', { token: 'abc', extra: 1 }, /Unknown field: extra/],
        ['/api/auth/verify-email', { email }, /^code: is required/],
        ['/api/auth/verify-email', { code }, /^email: is required/],
        ['/api/auth/verify-email', { email, code: '' }, /^code: is required/],
        ['/api/auth/verify-email', { email, code: 123456 }, /^code: /],
        ['/api/auth/verify-email', { email: 'not-an-email', code }, /^email: /],
        ['/api/auth/verify-email', { email, code, token: 'abc' }, /token/],
        ['/api/auth/verify-email', [1], /^body: /],
        ['/api/auth/register', { password: PASSWORD }, /^email: is required/],
        ['/api/auth/register', { email }, /^password: is required/],
        ['/api/auth/register', { email: '', password: PASSWORD }, /^email: /],
        ['/api/auth/register', { email: 'not-an-email', password: PASSWORD }, /^email: /],
        ['/api/auth/register', { email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }, /^email: must be at most 254/],
        ['/api/auth/register', { email: 42, password: PASSWORD }, /^email: /],
        ['/api/auth/register', { email, password: '' }, /^password: is required/],
        ['/api/auth/register', { email, password: 'x'.repeat(4097) }, /^password: /],
        ['/api/auth/register', { email, password: ['a'] }, /^password: /],
        ['/api/auth/register', { email, password: PASSWORD, name: 'Ann' }, /Unknown field: name/],
        ['/api/auth/resend-verification', {}, /^email: is required/],
        ['/api/auth/resend-verification', { email: 'x' }, /^email: /],
        ['/api/auth/resend-verification', { email, again: true }, /Unknown field: again/],
      ];
      for (const [url, body, message] of cases) {
        const res = await c.post(url, body);
        const label = `${url} ${JSON.stringify(body).slice(0, 80)}`;
        expect(res.status, label).toBe(400);
        expect(res.body.error, label).toBe('invalid_request');
        expect(res.body.message, label).toMatch(message);
      }
      const empty = await c.post('/api/auth/verify-email', '');
      expect(empty.status).toBe(400);
      expect(empty.body.error).toBe('invalid_json');
      // None of that verified or created anything.
      expect((await users(app)).map((u) => u.email_verified_at)).toEqual([null]);
      expect(await verifications(app)).toHaveLength(1);
    });

    it('stores only hashes of the token and the code', async () => {
      const app = await start();
      const email = uniqueEmail('hash');
      expectCheckEmail(await register(app.client(), email));
      const { token, code } = await verificationFrom(app, email);
      const [row] = await verifications(app);
      expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$|^[A-Za-z0-9_-]{43}$/);
      for (const value of Object.values(row!)) {
        if (typeof value !== 'string') continue;
        expect(value).not.toContain(token);
        expect(value).not.toContain(code);
      }
      expect(row!.code_expires_at).toBe(app.clock.now() + 15 * MINUTE);
      expect(row!.link_expires_at).toBe(app.clock.now() + 24 * HOUR);
    });
  });
});
