/** Resetting the password with the emailed link: once, within an hour, the policy applied, the second factor asked for, every session ended. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, signIn } from '../../../test/accounts.ts';
import { dialects, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';
import { BACKUP_USED_SUBJECT, CHANGED_SUBJECT, count, expectInvalidToken, expectLocked, expectReset, lockByPassword, LOCKED_SUBJECT, LOCKOUT_ENV, login, NEW_PASSWORD, requestReset, unlockTokenFrom, wrongTotp } from '../../../test/recovery.ts';
import { HOUR, MINUTE } from '../../../test/time.ts';

describe.each(dialects)('password recovery and unlock on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);

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
        expect(res.body).not.toHaveProperty('score');
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
      expect(JSON.parse(failures[0]!.data)).toEqual({ method: 'totp', purpose: 'password_reset' });

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

    it('three wrong codes use the link up (parallel guesses get no more); they show in the owner\'s login activity', async () => {
      const app = await start();
      const user = await enrolledUser(app);
      const token = await requestReset(app, user.email);
      const c = app.client({ ip: '198.51.100.40' });
      // Refusals that are not a wrong answer use nothing up.
      expect((await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD })).body.error).toBe('second_factor_required');
      expect((await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, method: 'passkey', credential: undefined })).status).toBe(400);
      for (let i = 0; i < 2; i++) {
        const res = await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: wrongTotp(app, user.secret, i) });
        expect(res.status, `attempt ${i + 1}`).toBe(401);
      }
      const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: wrongTotp(app, user.secret, 2 + i) })));
      expect(burst.map((r) => r.status).sort()).toEqual([400, 400, 400, 400, 400, 401]);
      expect((await auditOf(app, 'mfa.failed')).filter((e) => JSON.parse(e.data).purpose === 'password_reset')).toHaveLength(3);
      expectInvalidToken(await c.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, code: codeFor(app, user.secret) }));
      expect((await userRow(app, user.email)).password_changed_at).toBeNull();

      const activity = (await user.client.get('/api/me/activity?limit=20')).body.entries as { purpose: string; result: string; ip: string; method: string }[];
      const resets = activity.filter((e) => e.purpose === 'password_reset');
      expect(resets).toHaveLength(3);
      expect(resets.every((e) => e.result === 'wrong_code' && e.method === 'totp' && e.ip === '198.51.100.40')).toBe(true);

      // A new link works (the authenticator app's own count is at 3 of 10).
      expectReset(await c.post('/api/auth/password/reset', { token: await requestReset(app, user.email), password: NEW_PASSWORD, code: codeFor(app, user.secret) }));
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
});
