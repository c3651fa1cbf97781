/**
 * Recovery, through HTTP with real mail and the manual clock: POST /api/auth/password/forgot,
 * /password/reset (with the account's second factor) and /unlock (the link from the lock email).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, signIn, uniqueEmail } from '../../../test/accounts.ts';
import type { TestClient, TestResponse } from '../../../test/client.ts';
import { dialects, TEST_BASE_URL, type TestApp, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { auditOf, userRow } from '../../../test/queries.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NEW_PASSWORD = 'amber-lantern-thicket-58';
const RESET_SUBJECT = 'Bastion: Reset your password';
const CHANGED_SUBJECT = 'Bastion: Your password was changed';
const LOCKED_SUBJECT = 'Bastion: Your account was locked';
const BACKUP_USED_SUBJECT = 'Bastion: A backup code was used';
/** Lockout tests make many sign-in attempts from one IP: keep the per-IP limit out of the way. */
const LOCKOUT_ENV: TestAppOptions = { env: { LOGIN_IP_LIMIT: '1000' } };

describe.each(dialects)('password recovery and unlock on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);
  const db = (app: TestApp) => app.db.store.db;
  const subjects = async (app: TestApp, email: string) => (await app.mailTo(email)).map((m) => m.subject);
  const count = async (app: TestApp, email: string, subject: string) => (await subjects(app, email)).filter((s) => s === subject).length;

  /** The token of the latest mail with `subject` whose link matches `path`. */
  async function linkToken(app: TestApp, email: string, subject: string, path: string): Promise<string> {
    const mail = (await app.mailTo(email)).filter((m) => m.subject === subject).at(-1);
    if (!mail) throw new Error(`no "${subject}" mail for ${email}`);
    const token = new RegExp(`${TEST_BASE_URL}/${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text)?.[1];
    if (!token) throw new Error(`no ${path} link in "${subject}"`);
    return token;
  }
  const resetTokenFrom = (app: TestApp, email: string) => linkToken(app, email, RESET_SUBJECT, 'reset-password');
  const unlockTokenFrom = (app: TestApp, email: string) => linkToken(app, email, LOCKED_SUBJECT, 'unlock');

  const forgot = (c: TestClient, email: string) => c.post('/api/auth/password/forgot', { email });
  async function requestReset(app: TestApp, email: string, c = app.client()): Promise<string> {
    expectCheckEmail(await forgot(c, email));
    return resetTokenFrom(app, email);
  }
  /** A 6-digit code that matches none of the time steps an authenticator could be on. */
  function wrongTotp(app: TestApp, secret: string, i = 0): string {
    const near = new Set([-2, -1, 0, 1, 2].map((s) => codeFor(app, secret, s)));
    for (let n = 100_000 + i * 7919; ; n++) if (!near.has(String(n))) return String(n);
  }
  const login = (c: TestClient, email: string, password: string) => c.post('/api/auth/login', { email, password });

  const expectCheckEmail = (res: TestResponse) => {
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ status: 'check_email' });
  };
  const expectReset = (res: TestResponse) => {
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'password_reset' });
  };
  const expectInvalidToken = (res: TestResponse) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toBe('invalid_token');
  };
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

  /** Five wrong passwords in a row: the fifth still answers 401, the account is then locked. */
  async function lockByPassword(app: TestApp, email: string, c: TestClient): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const res = await login(c, email, `wrong-password-${i}-xyz`);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
      expect(res.body.error).toBe('invalid_credentials');
    }
  }
  function expectLocked(res: TestResponse, app: TestApp): void {
    expect(res.status, JSON.stringify(res.body)).toBe(429);
    expect(res.body.error).toBe('account_locked');
    expect(Date.parse(res.body.lockedUntil)).toBeGreaterThan(app.clock.now());
    expect(res.body.retryAfter).toBe(Number(res.headers['retry-after']));
  }

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

    it('limits requests to 3 per address per hour and 20 per IP: then 429 with Retry-After and no mail', async () => {
      const app = await start();
      const { email } = await registerVerified(app);
      for (let i = 0; i < 3; i++) expectCheckEmail(await forgot(app.client({ ip: `198.51.100.${60 + i}` }), i === 1 ? email.toUpperCase() : email));
      const retryAfter = expectRateLimited(await forgot(app.client({ ip: '198.51.100.70' }), email));
      expect(await count(app, email, RESET_SUBJECT)).toBe(3);
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
      expectCheckEmail(await forgot(app.client(), email));
      expect(await count(app, email, RESET_SUBJECT)).toBe(4);
    });
  });

  describe('reset password', () => {
    it('resets an account without 2FA with the link alone, once; ends its sessions and emails the owner', async () => {
      const app = await start();
      const { email } = await registerVerified(app);
      const browser = app.client();
      expect((await login(browser, email, PASSWORD)).body.next).toEqual(['enroll_2fa']);
      const me = await browser.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.security.passwordChangedAt).toBeNull();

      const token = await requestReset(app, email);
      app.clock.advance(10 * MINUTE);
      const c = app.client({ ip: '192.0.2.20', userAgent: 'ResetBrowser/3.0' });
      expectReset(await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD }));

      const user = await userRow(app, email);
      expect(user.password_changed_at).toBe(app.clock.now());
      expect((await browser.get('/api/me')).status).toBe(401);
      expect((await browser.get('/api/me')).body.error).toBe('not_authenticated');
      const changed = await app.latestMail(email);
      expect(changed.subject).toBe(CHANGED_SUBJECT);
      expect(changed.text).toContain('2026-01-15 09:10 UTC');
      const [event] = await auditOf(app, 'password.reset');
      expect(event).toMatchObject({ user_id: user.id, ip: '192.0.2.20', user_agent: 'ResetBrowser/3.0' });

      expectInvalidToken(await c.post('/api/auth/password/reset', { token, password: 'yet-another-passphrase-3' }));
      expect(await auditOf(app, 'password.reset')).toHaveLength(1);
      expect((await login(app.client(), email, PASSWORD)).status).toBe(401);
      const fresh = app.client();
      expect((await login(fresh, email, NEW_PASSWORD)).status).toBe(200);
      expect((await fresh.get('/api/me')).body.security.passwordChangedAt).toBe(new Date(app.clock.now()).toISOString());
    });

    it('accepts the link until 1 hour after the request, not at 1 hour', async () => {
      const app = await start();
      const early = await registerVerified(app);
      const late = await registerVerified(app);
      const earlyToken = await requestReset(app, early.email);
      const lateToken = await requestReset(app, late.email);
      app.clock.advance(HOUR - 1);
      expectReset(await app.client().post('/api/auth/password/reset', { token: earlyToken, password: NEW_PASSWORD }));
      app.clock.advance(1);
      expectInvalidToken(await app.client().post('/api/auth/password/reset', { token: lateToken, password: NEW_PASSWORD }));
      expect((await userRow(app, late.email)).password_changed_at).toBeNull();
      expect((await login(app.client(), late.email, PASSWORD)).status).toBe(200);
    });

    it('invalidates the old link when a new one is requested', async () => {
      const app = await start();
      const { email } = await registerVerified(app);
      const first = await requestReset(app, email);
      const second = await requestReset(app, email);
      expect(second).not.toBe(first);
      expectInvalidToken(await app.client().post('/api/auth/password/reset', { token: first, password: NEW_PASSWORD }));
      expectReset(await app.client().post('/api/auth/password/reset', { token: second, password: NEW_PASSWORD }));
      expectInvalidToken(await app.client().post('/api/auth/password/reset', { token: first, password: 'yet-another-passphrase-3' }));
    });

    it('refuses a foreign token, an unlock token, and bad input (400 naming the field, never 500)', async () => {
      const app = await start(LOCKOUT_ENV);
      const { email } = await registerVerified(app);
      const c = app.client();
      expectInvalidToken(await c.post('/api/auth/password/reset', { token: randomBytes(32).toString('base64url'), password: NEW_PASSWORD }));
      await lockByPassword(app, email, c);
      const unlockToken = await unlockTokenFrom(app, email);
      expectInvalidToken(await c.post('/api/auth/password/reset', { token: unlockToken, password: NEW_PASSWORD }));
      expect((await userRow(app, email)).password_changed_at).toBeNull();

      const token = await requestReset(app, email);
      const cases: [unknown, RegExp][] = [
        [{ password: NEW_PASSWORD }, /^token: is required/],
        [{ token }, /^password: is required/],
        [{ token: '', password: NEW_PASSWORD }, /^token: is required/],
        [{ token: 'x'.repeat(513), password: NEW_PASSWORD }, /^token: /],
        [{ token, password: 12345678 }, /^password: /],
        [{ token, password: 'x'.repeat(4097) }, /^password: /],
        [{ token, password: NEW_PASSWORD, code: '' }, /^code: is required/],
        [{ token, password: NEW_PASSWORD, method: 'sms' }, /^method: /],
        [{ token, password: NEW_PASSWORD, email }, /Unknown field: email/],
      ];
      for (const [body, message] of cases) {
        const res = await c.post('/api/auth/password/reset', body);
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(res.body.error).toBe('invalid_request');
        expect(res.body.message).toMatch(message);
      }
      for (const body of [{}, { email: 'not-an-email' }, { email, extra: 1 }]) {
        const res = await c.post('/api/auth/password/forgot', body);
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/email|extra/);
      }
      for (const body of [{}, { token: 7 }, { token: '' }]) {
        const res = await c.post('/api/auth/unlock', body);
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/^token: /);
      }
      // The link survived all of that.
      expectReset(await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD }));
    });

    it('applies the password policy without using up the link', async () => {
      const app = await start();
      const email = 'dana.scully@example.com';
      await registerVerified(app, email);
      const before = await userRow(app, email);
      const token = await requestReset(app, email);
      const c = app.client();
      const weak: [string, string][] = [
        ['kT9#vQ2', 'too_short'],
        ['Zq7!mW3#pL9$xR2@'.repeat(8) + 'a', 'too_long'],
        ['password123', 'common_password'],
        ['dana.scully-1994', 'resembles_email'],
      ];
      for (const [password, rule] of weak) {
        const res = await c.post('/api/auth/password/reset', { token, password });
        expect(res.status, password).toBe(400);
        expect(res.body).toMatchObject({ error: 'weak_password', rule });
        expect([0, 1, 2, 3, 4]).toContain(res.body.score);
      }
      expect(await userRow(app, email)).toEqual(before);
      expect(await count(app, email, CHANGED_SUBJECT)).toBe(0);
      expectReset(await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD }));
      expect((await login(app.client(), email, NEW_PASSWORD)).status).toBe(200);
    });

    it('asks an enrolled account for its second factor: missing → 400, wrong → 401, TOTP works; every session ends', async () => {
      const app = await start();
      const user = await enrolledUser(app);
      const other = await signIn(app, user); // a second signed-in browser
      expect((await user.client.get('/api/me')).status).toBe(200);
      expect((await other.get('/api/me')).status).toBe(200);

      const token = await requestReset(app, user.email);
      const c = app.client({ ip: '192.0.2.30' });
      const missing = await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe('second_factor_required');

      const wrong = await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: wrongTotp(app, user.secret) });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid_code');
      const failures = await auditOf(app, 'mfa.failed');
      expect(failures).toHaveLength(1);
      expect(JSON.parse(failures[0]!.data)).toEqual({ method: 'totp' });

      // A weak password is refused before the code is looked at: neither the link nor the code is used up.
      const code = codeFor(app, user.secret);
      const weak = await c.post('/api/auth/password/reset', { token, password: 'password123', code });
      expect(weak.status).toBe(400);
      expect(weak.body).toMatchObject({ error: 'weak_password', rule: 'common_password' });
      expect(await count(app, user.email, CHANGED_SUBJECT)).toBe(0);
      expect((await user.client.get('/api/me')).status).toBe(200);

      expectReset(await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code, method: 'totp' }));
      for (const browser of [user.client, other]) {
        const res = await browser.get('/api/me');
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('not_authenticated');
      }
      const live = await db(app).selectFrom('sessions').select('id').where('revoked_at', 'is', null).execute();
      expect(live).toEqual([]);
      expect(await count(app, user.email, CHANGED_SUBJECT)).toBe(1);
      expect((await userRow(app, user.email)).password_changed_at).toBe(app.clock.now());
      expect(await auditOf(app, 'password.reset')).toHaveLength(1);

      // The TOTP code's step is used up, and so is the link.
      expectInvalidToken(await c.post('/api/auth/password/reset', { token, password: 'yet-another-passphrase-3', code }));
      app.clock.advance(30_000);
      expect((await login(app.client(), user.email, user.password)).status).toBe(401);
      const fresh = await signIn(app, { ...user, password: NEW_PASSWORD });
      const me = await fresh.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.security.passwordChangedAt).toBe(new Date((await userRow(app, user.email)).password_changed_at!).toISOString());
    });

    it('accepts a backup code instead of TOTP, once, and emails that one was used', async () => {
      const app = await start();
      const user = await enrolledUser(app);
      const [first, second] = user.backupCodes;
      const token = await requestReset(app, user.email);
      expectReset(await app.client().post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: first!.toUpperCase() }));
      expect(await count(app, user.email, BACKUP_USED_SUBJECT)).toBe(1);
      expect((await app.mailTo(user.email)).find((m) => m.subject === BACKUP_USED_SUBJECT)!.text).toContain('9 remain');
      expect(await auditOf(app, 'mfa.backup_code_used')).toHaveLength(1);
      expect((await user.client.get('/api/me')).status).toBe(401);

      // The same backup code does not work twice; another one does (method named explicitly).
      const again = await requestReset(app, user.email);
      const reused = await app.client().post('/api/auth/password/reset', { token: again, password: 'yet-another-passphrase-3', code: first });
      expect(reused.status).toBe(401);
      expect(reused.body.error).toBe('invalid_code');
      expectReset(await app.client().post('/api/auth/password/reset', { token: again, password: 'yet-another-passphrase-3', code: second, method: 'backup_code' }));
      expect(await count(app, user.email, BACKUP_USED_SUBJECT)).toBe(2);
      const unused = await db(app).selectFrom('backup_codes').select('id').where('used_at', 'is', null).execute();
      expect(unused).toHaveLength(8);
    });

    it('counts wrong codes toward the account lock: the 10th locks for 15 minutes, the link stays usable', async () => {
      const app = await start();
      const user = await enrolledUser(app);
      const token = await requestReset(app, user.email);
      const c = app.client();
      for (let i = 0; i < 9; i++) {
        const res = await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: wrongTotp(app, user.secret, i) });
        expect(res.status, `attempt ${i + 1}`).toBe(401);
      }
      expectLocked(await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: wrongTotp(app, user.secret, 9) }), app);
      expectLocked(await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: codeFor(app, user.secret) }), app);
      expect(await count(app, user.email, LOCKED_SUBJECT)).toBe(1);
      expect((await userRow(app, user.email)).password_changed_at).toBeNull();

      app.clock.advance(15 * MINUTE);
      expectReset(await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: codeFor(app, user.secret) }));
    });

    it('ends a sign-in that was started with the old password', async () => {
      const app = await start();
      const user = await enrolledUser(app);
      const intruder = app.client({ ip: '198.51.100.99' });
      const started = await login(intruder, user.email, user.password);
      expect(started.status).toBe(200);

      const token = await requestReset(app, user.email);
      expectReset(await app.client().post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: codeFor(app, user.secret) }));
      app.clock.advance(30_000);
      const finish = await intruder.post('/api/auth/login/verify', { flow: started.body.flow, method: 'totp', code: codeFor(app, user.secret) });
      expect(finish.status).toBe(400);
      expect(finish.body.error).toBe('flow_expired');
      expect(intruder.cookies.has('bastion_session')).toBe(false);
    });
  });

  describe('unlock', () => {
    it('unlocks a locked account with the single-use link from the lock email', async () => {
      const app = await start(LOCKOUT_ENV);
      const { email } = await registerVerified(app);
      const attacker = app.client({ ip: '198.51.100.120' });
      await lockByPassword(app, email, attacker);
      expectLocked(await login(app.client({ ip: '198.51.100.121' }), email, PASSWORD), app);

      const mail = await app.latestMail(email);
      expect(mail.subject).toBe(LOCKED_SUBJECT);
      expect(mail.text).toContain('2026-01-15 09:15 UTC');
      expect(mail.text).toContain(`${TEST_BASE_URL}/forgot-password`);
      const token = await unlockTokenFrom(app, email);
      const stored = await db(app).selectFrom('one_time_tokens').selectAll().where('purpose', '=', 'unlock').execute();
      expect(stored).toHaveLength(1);
      for (const value of Object.values(stored[0]!)) expect(String(value)).not.toContain(token);

      const owner = app.client({ ip: '192.0.2.40', userAgent: 'OwnerLaptop/1.0' });
      const unlocked = await owner.post('/api/auth/unlock', { token });
      expect(unlocked.status).toBe(200);
      expect(unlocked.body).toEqual({ status: 'unlocked' });
      const ok = await login(owner, email, PASSWORD);
      expect(ok.status).toBe(200);
      expect(ok.body.next).toEqual(['enroll_2fa']);

      expectInvalidToken(await owner.post('/api/auth/unlock', { token }));
      const user = await userRow(app, email);
      const locked = await auditOf(app, 'account.locked');
      expect(locked).toHaveLength(1);
      expect(locked[0]).toMatchObject({ user_id: user.id, ip: '198.51.100.120' });
      const events = await auditOf(app, 'account.unlocked');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ user_id: user.id, ip: '192.0.2.40', user_agent: 'OwnerLaptop/1.0' });
      expect(JSON.parse(events[0]!.data)).toEqual({ via: 'email_link' });
    });

    it('refuses a foreign token, a reset token and an unlock link older than 24 hours', async () => {
      const app = await start(LOCKOUT_ENV);
      const { email } = await registerVerified(app);
      const c = app.client();
      expectInvalidToken(await c.post('/api/auth/unlock', { token: randomBytes(32).toString('base64url') }));
      const resetToken = await requestReset(app, email);
      await lockByPassword(app, email, c);
      expectInvalidToken(await c.post('/api/auth/unlock', { token: resetToken }));
      expectLocked(await login(c, email, PASSWORD), app);
      const token = await unlockTokenFrom(app, email);
      app.clock.advance(24 * HOUR);
      expectInvalidToken(await c.post('/api/auth/unlock', { token }));
      expect(await auditOf(app, 'account.unlocked')).toEqual([]);
    });

    it('lifts the lock with a password reset (second factor included)', async () => {
      const app = await start(LOCKOUT_ENV);
      const user = await enrolledUser(app);
      await lockByPassword(app, user.email, app.client({ ip: '198.51.100.130' }));
      expectLocked(await login(app.client(), user.email, user.password), app);

      const token = await requestReset(app, user.email);
      expectReset(await app.client().post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: codeFor(app, user.secret) }));
      app.clock.advance(30_000);
      const ok = await login(app.client(), user.email, NEW_PASSWORD);
      expect(ok.status).toBe(200);
      expect(ok.body.next).toEqual(['totp', 'email_code', 'backup_code']);
      await signIn(app, { ...user, password: NEW_PASSWORD });
    });
  });
});
