/** Sign-up: one unverified account and a verification email, the same answer for an existing address, the password policy, the per-IP limit, the audit. */
import { describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail, verificationFrom } from '../../../test/accounts.ts';
import { dialects, TEST_BASE_URL, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { subjects } from '../../../test/mail.ts';
import { auditOf } from '../../../test/queries.ts';
import { expectVerified, register, SIGNUP_ATTEMPT_SUBJECT, users, verifications, VERIFY_SUBJECT } from '../../../test/registration.ts';
import { expectCheckEmail, expectRateLimited } from '../../../test/responses.ts';

describe.each(dialects)('registration and email verification on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);

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

      const again = await app.client({ ip: '198.51.100.3' }).post('/api/auth/register', { email: ' Ann@Example.COM ', password: 'another-strong-passphrase-42', acceptTerms: true });
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

    it('refuses a weak password with 400 weak_password naming the rule, and creates nothing', async () => {
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
        const res = await c.post('/api/auth/register', { email, password, acceptTerms: true });
        expect(res.status, `${password}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error).toBe('weak_password');
        expect(res.body.rule, password).toBe(rule);
        expect(res.body.message).toMatch(/^Password /);
        // The score is the strength meter's (off the main thread), not worked out for a sign-up.
        expect(res.body).not.toHaveProperty('score');
        expect(JSON.stringify(res.body)).not.toContain(password);
      }
      expect(await users(app)).toEqual([]);
      await app.worker.drain();
      expect(app.smtp.messages).toEqual([]);
      // The limits are exact: 8 and 128 characters are accepted.
      expectCheckEmail(await c.post('/api/auth/register', { email: 'len8@example.com', password: 'kT9#vQ2x', acceptTerms: true }));
      expectCheckEmail(await c.post('/api/auth/register', { email: 'len128@example.com', password: 'Zq7!mW3#pL9$xR2@'.repeat(8), acceptTerms: true }));
    });

    it('asks for composition only when PASSWORD_REQUIRE_COMPOSITION=true', async () => {
      const relaxed = await start();
      expectCheckEmail(await register(relaxed.client(), 'plain@example.com', 'violet-harbor-compass-91'));

      const strict = await start({ env: { PASSWORD_REQUIRE_COMPOSITION: 'true' } });
      const c = strict.client();
      for (const password of ['violet-harbor-compass-91', 'VIOLET-HARBOR-COMPASS-91', 'Violet-Harbor-Compass', 'VioletHarborCompass91']) {
        const res = await c.post('/api/auth/register', { email: 'plain@example.com', password, acceptTerms: true });
        expect(res.status, password).toBe(400);
        expect(res.body).toMatchObject({ error: 'weak_password', rule: 'composition' });
        expect(res.body).not.toHaveProperty('score');
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
});
