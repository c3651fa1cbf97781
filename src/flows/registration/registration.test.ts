/**
 * Sign-up and email verification, through HTTP with real mail and the manual clock:
 * POST /api/auth/register, /password/strength, /verify-email, /resend-verification, and the
 * "verify first" answer of POST /api/auth/login.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail, verificationFrom } from '../../../test/accounts.ts';
import type { TestClient, TestResponse } from '../../../test/client.ts';
import { dialects, TEST_BASE_URL, type TestApp, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { auditOf } from '../../../test/queries.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const VERIFY_SUBJECT = 'Bastion: Verify your email address';
const SIGNUP_ATTEMPT_SUBJECT = 'Bastion: Someone tried to sign up with your email';

/** A 6-digit code that is not `code` (the i-th such). */
const wrongCode = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

describe.each(dialects)('registration and email verification on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);
  const users = (app: TestApp) => app.db.store.db.selectFrom('users').selectAll().execute();
  const verifications = (app: TestApp) => app.db.store.db.selectFrom('email_verifications').selectAll().execute();
  const subjects = async (app: TestApp, email: string) => (await app.mailTo(email)).map((m) => m.subject);
  const verifyMails = async (app: TestApp, email: string) => (await subjects(app, email)).filter((s) => s === VERIFY_SUBJECT).length;

  const register = (c: TestClient, email: string, password = PASSWORD) => c.post('/api/auth/register', { email, password });
  const expectCheckEmail = (res: TestResponse) => {
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ status: 'check_email' });
  };
  const expectInvalidVerification = (res: TestResponse) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toBe('invalid_verification');
    expect(res.body.message).toMatch(/not valid/);
  };
  const expectVerified = (res: TestResponse) => {
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'verified' });
  };
  /** 429 too_many_requests with Retry-After (whole seconds, within the two windows a sliding limit spans). */
  const expectRateLimited = (res: TestResponse): number => {
    expect(res.status, JSON.stringify(res.body)).toBe(429);
    expect(res.body.error).toBe('too_many_requests');
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter), String(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2 * 3600);
    expect(res.body.retryAfter).toBe(retryAfter);
    return retryAfter;
  };

  describe('sign-up', () => {
    it('answers 202 check_email for a new address, stores one unverified account and emails a link and a 6-digit code', async () => {
      const app = await start();
      const c = app.client();
      const email = uniqueEmail('new');
      expectCheckEmail(await register(c, `  ${email.toUpperCase()} `));

      const rows = await users(app);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ email, email_verified_at: null, password_changed_at: null, created_at: app.clock.now() });
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0]!.password_hash).not.toContain(PASSWORD);

      const mails = await app.mailTo(email);
      expect(mails.map((m) => m.subject)).toEqual([VERIFY_SUBJECT]);
      expect(mails[0]!.text).toMatch(new RegExp(`${TEST_BASE_URL}/verify-email\\?token=[A-Za-z0-9_-]{20,}`));
      expect(mails[0]!.text).toMatch(/^ {4}\d{6}$/m);
      expect(mails[0]!.html).toContain(`${TEST_BASE_URL}/verify-email?token=`);
    });

    it('answers the same 202 for an existing address, in any case or spacing, emails the owner and changes nothing else', async () => {
      const app = await start();
      const c = app.client();
      expectCheckEmail(await register(c, 'ann@example.com'));
      const first = await verificationFrom(app, 'ann@example.com');
      const [before] = await users(app);
      const [verificationBefore] = await verifications(app);

      const again = await app.client({ ip: '198.51.100.3' }).post('/api/auth/register', { email: ' Ann@Example.COM ', password: 'another-strong-passphrase-42' });
      expectCheckEmail(again);

      expect(await subjects(app, 'ann@example.com')).toEqual([VERIFY_SUBJECT, SIGNUP_ATTEMPT_SUBJECT]);
      const notice = await app.latestMail('ann@example.com');
      expect(notice.text).toContain(`${TEST_BASE_URL}/login`);
      expect(notice.text).toContain(`${TEST_BASE_URL}/forgot-password`);
      expect(notice.text).not.toMatch(/verify-email\?token=/);
      expect(await users(app)).toEqual([before]); // one row, same password hash, still unverified
      expect(await verifications(app)).toEqual([verificationBefore]);
      const attempts = await auditOf(app, 'account.signup_existing_email');
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ user_id: before!.id, ip: '198.51.100.3' });

      // The original verification email still works, and the second password did not replace the first.
      expectVerified(await c.post('/api/auth/verify-email', { token: first.token }));
      expect((await c.post('/api/auth/login', { email: 'ann@example.com', password: 'another-strong-passphrase-42' })).status).toBe(401);
      expect((await c.post('/api/auth/login', { email: 'ann@example.com', password: PASSWORD })).status).toBe(200);

      // A verified owner is told too, and still no second account appears.
      expectCheckEmail(await register(c, 'ANN@example.com'));
      expect(await subjects(app, 'ann@example.com')).toEqual([VERIFY_SUBJECT, SIGNUP_ATTEMPT_SUBJECT, SIGNUP_ATTEMPT_SUBJECT]);
      expect(await users(app)).toHaveLength(1);
    });

    it('keeps exactly one account when two sign-ups with the same address race', async () => {
      const app = await start();
      const email = uniqueEmail('race');
      const [a, b] = await Promise.all([register(app.client(), email), register(app.client({ ip: '198.51.100.4' }), email.toUpperCase())]);
      expectCheckEmail(a);
      expectCheckEmail(b);
      expect(await users(app)).toHaveLength(1);
      expect((await subjects(app, email)).sort()).toEqual([SIGNUP_ATTEMPT_SUBJECT, VERIFY_SUBJECT].sort());
    });

    it('refuses a weak password with 400 weak_password naming the rule and a score, and creates nothing', async () => {
      const app = await start();
      const c = app.client();
      const cases: [string, string, string][] = [
        ['kT9#vQ2', 'weak1@example.com', 'too_short'], // 7 characters
        ['Zq7!mW3#pL9$xR2@'.repeat(8) + 'a', 'weak2@example.com', 'too_long'], // 129 characters
        ['password123', 'weak3@example.com', 'common_password'],
        ['PassWord1234', 'weak4@example.com', 'common_password'], // case does not help
        ['carol.smith-2024', 'carol.smith@example.com', 'resembles_email'],
        ['CarolSmith!!!!', 'carol.smith@example.com', 'resembles_email'],
        ['my-address-is-dave@example.com', 'Dave@Example.com', 'resembles_email'],
      ];
      for (const [password, email, rule] of cases) {
        const res = await c.post('/api/auth/register', { email, password });
        expect(res.status, `${password}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error).toBe('weak_password');
        expect(res.body.rule, password).toBe(rule);
        expect(res.body.message).toMatch(/^Password /);
        expect([0, 1, 2, 3, 4]).toContain(res.body.score);
        expect(JSON.stringify(res.body)).not.toContain(password);
      }
      expect(await users(app)).toEqual([]);
      await app.worker.drain();
      expect(app.smtp.messages).toEqual([]);
      // The limits are exact: 8 and 128 characters are accepted.
      expectCheckEmail(await c.post('/api/auth/register', { email: 'len8@example.com', password: 'kT9#vQ2x' }));
      expectCheckEmail(await c.post('/api/auth/register', { email: 'len128@example.com', password: 'Zq7!mW3#pL9$xR2@'.repeat(8) }));
    });

    it('asks for composition only when PASSWORD_REQUIRE_COMPOSITION=true', async () => {
      const relaxed = await start();
      expectCheckEmail(await register(relaxed.client(), 'plain@example.com', 'violet-harbor-compass-91'));

      const strict = await start({ env: { PASSWORD_REQUIRE_COMPOSITION: 'true' } });
      const c = strict.client();
      for (const password of ['violet-harbor-compass-91', 'VIOLET-HARBOR-COMPASS-91', 'Violet-Harbor-Compass', 'VioletHarborCompass91']) {
        const res = await c.post('/api/auth/register', { email: 'plain@example.com', password });
        expect(res.status, password).toBe(400);
        expect(res.body).toMatchObject({ error: 'weak_password', rule: 'composition' });
        expect(typeof res.body.score).toBe('number');
      }
      expect(await users(strict)).toEqual([]);
      expectCheckEmail(await register(c, 'plain@example.com', 'Violet-harbor-compass-91'));
      expect(await users(strict)).toHaveLength(1);
    });

    it('limits sign-ups per client IP: the 21st within an hour gets 429 with Retry-After', async () => {
      const app = await start();
      const c = app.client({ ip: '198.51.100.21' });
      for (let i = 0; i < 20; i++) expectCheckEmail(await register(c, `ip-${i}@example.com`));
      const retryAfter = expectRateLimited(await register(c, 'ip-20@example.com'));
      expect(await users(app)).toHaveLength(20);
      expect(await app.mailTo('ip-20@example.com')).toEqual([]);
      // Another network is not affected; this one may sign up again once Retry-After has passed.
      expectCheckEmail(await register(app.client({ ip: '198.51.100.22' }), 'ip-20@example.com'));
      app.clock.advance(retryAfter * 1000);
      expectCheckEmail(await register(c, 'ip-21@example.com'));
      expect(await users(app)).toHaveLength(22);
    });

    it('records account.registered with the client IP and user agent, and no secret', async () => {
      const app = await start();
      const email = uniqueEmail('audit');
      const c = app.client({ ip: '192.0.2.44', userAgent: 'RegistrationTest/1.0' });
      expectCheckEmail(await register(c, email));
      const [user] = await users(app);
      const events = await auditOf(app, 'account.registered');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ user_id: user!.id, ip: '192.0.2.44', user_agent: 'RegistrationTest/1.0', at: app.clock.now() });
      const { token, code } = await verificationFrom(app, email);

      const v = app.client({ ip: '192.0.2.55', userAgent: 'VerifierPhone/2.0' });
      expectVerified(await v.post('/api/auth/verify-email', { token }));
      const verified = await auditOf(app, 'email.verified');
      expect(verified).toHaveLength(1);
      expect(verified[0]).toMatchObject({ user_id: user!.id, ip: '192.0.2.55', user_agent: 'VerifierPhone/2.0' });
      expect(JSON.parse(verified[0]!.data)).toEqual({ via: 'link' });

      const all = JSON.stringify(await app.db.store.db.selectFrom('audit_events').selectAll().execute());
      for (const secret of [PASSWORD, token, code]) expect(all).not.toContain(secret);
    });
  });

  describe('password strength', () => {
    it('scores a password and names the rule it fails, for a strength meter', async () => {
      const app = await start();
      const c = app.client();
      const strong = await c.post('/api/auth/password/strength', { password: PASSWORD });
      expect(strong.status).toBe(200);
      expect(strong.body).toEqual({ ok: true, score: 4 });

      const checks: [Record<string, string>, string][] = [
        [{ password: 'kT9#vQ2' }, 'too_short'],
        [{ password: 'x7'.repeat(64) + 'y' }, 'too_long'],
        [{ password: 'password123' }, 'common_password'],
        [{ password: 'carol.smith-2024', email: 'carol.smith@example.com' }, 'resembles_email'],
      ];
      for (const [body, rule] of checks) {
        const res = await c.post('/api/auth/password/strength', body);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ ok: false, rule });
        expect(res.body.message).toMatch(/^Password /);
        expect([0, 1, 2, 3, 4]).toContain(res.body.score);
      }
      const common = await c.post('/api/auth/password/strength', { password: 'password123' });
      expect(common.body.score).toBeLessThan(strong.body.score);
      // Without an email, a password like the address is only scored, not refused.
      expect((await c.post('/api/auth/password/strength', { password: 'carol.smith-2024' })).body.ok).toBe(true);
      // Composition is off by default; nothing is stored or sent.
      expect((await c.post('/api/auth/password/strength', { password: 'violet-harbor-compass-91' })).body.ok).toBe(true);
      expect(await users(app)).toEqual([]);

      const bad = await c.post('/api/auth/password/strength', { password: 12345678 });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^password: /);
      const unknown = await c.post('/api/auth/password/strength', { password: PASSWORD, name: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/Unknown field: name/);
    });

    it('reports composition when PASSWORD_REQUIRE_COMPOSITION=true', async () => {
      const app = await start({ env: { PASSWORD_REQUIRE_COMPOSITION: 'true' } });
      const c = app.client();
      expect((await c.post('/api/auth/password/strength', { password: 'violet-harbor-compass-91' })).body).toMatchObject({ ok: false, rule: 'composition' });
      expect((await c.post('/api/auth/password/strength', { password: 'Violet-harbor-compass-91' })).body).toMatchObject({ ok: true });
    });
  });

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

    it('allows 3 emails per address per hour: the 4th gets 429 with Retry-After and sends nothing', async () => {
      const app = await start();
      const email = uniqueEmail('limit');
      expectCheckEmail(await register(app.client(), email));
      // Different networks and spellings: the limit is per address.
      const variants = [email, email.toUpperCase(), ` ${email} `];
      for (const [i, variant] of variants.entries()) {
        expectCheckEmail(await app.client({ ip: `198.51.100.${30 + i}` }).post('/api/auth/resend-verification', { email: variant }));
      }
      expect(await verifyMails(app, email)).toBe(4); // sign-up + 3 resends
      const refused = await app.client({ ip: '198.51.100.40' }).post('/api/auth/resend-verification', { email });
      const retryAfter = expectRateLimited(refused);
      expect(await verifyMails(app, email)).toBe(4);
      // The latest email still works; another address is not affected.
      const other = uniqueEmail('other');
      expectCheckEmail(await app.client({ ip: '198.51.100.40' }).post('/api/auth/resend-verification', { email: other }));
      // The same limit applies to unknown addresses, so it reveals nothing.
      const unknownClient = app.client({ ip: '198.51.100.41' });
      for (let i = 0; i < 3; i++) expectCheckEmail(await unknownClient.post('/api/auth/resend-verification', { email: 'ghost@example.com' }));
      expectRateLimited(await unknownClient.post('/api/auth/resend-verification', { email: 'ghost@example.com' }));

      // Retry-After is honest: once it has passed, the address may ask again.
      app.clock.advance(retryAfter * 1000);
      expectCheckEmail(await app.client().post('/api/auth/resend-verification', { email }));
      expect(await verifyMails(app, email)).toBe(5);
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

  describe('sign-in before verification', () => {
    it('answers 403 email_not_verified offering a resend; after verifying, sign-in proceeds', async () => {
      const app = await start();
      const c = app.client();
      const email = uniqueEmail('early-bird');
      expectCheckEmail(await register(c, email));

      const res = await c.post('/api/auth/login', { email: email.toUpperCase(), password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'email_not_verified', resend: { endpoint: '/api/auth/resend-verification', body: { email } } });
      expect(c.cookies.has('bastion_session')).toBe(false);
      const failed = await auditOf(app, 'login.failed');
      expect(failed.map((e) => JSON.parse(e.data).reason)).toEqual(['email_not_verified']);

      // A wrong password still gets the generic answer: the 403 is only for the right password.
      const wrong = await c.post('/api/auth/login', { email, password: 'not-the-password-at-all' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid_credentials');

      expectCheckEmail(await c.post(res.body.resend.endpoint, res.body.resend.body));
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
