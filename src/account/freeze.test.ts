/** Freezing ("lock my account", from an alert link or from settings) and unfreezing after the cool-down with the password, the authenticator app and the inbox. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, NEW_PASSWORD, registerVerified, signIn, signInWithBackupCode, uniqueEmail } from '../../test/accounts.ts';
import { GB } from '../../test/browsers.ts';
import { SESSION } from '../../test/cookies.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { lastMail, lockToken, lockTokens, mailsWithSubject, sixDigits, SUBJECTS } from '../../test/mail.ts';
import { auditOf, userRow } from '../../test/queries.ts';
import { resetToken } from '../../test/recovery.ts';
import { DAY, MINUTE } from '../../test/time.ts';

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('lock my account', () => {
    it('the link in an alert email freezes the account: sessions end, sign-ins and resets are refused, the link works once', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const laptop = await signInWithBackupCode(t, user, user.backupCodes[0]!);
      const token = lockToken(await lastMail(t, user.email, SUBJECTS.backupCodeUsed));
      // A sign-in half-way through (password done) when the account is locked.
      const pending = t.client();
      const halfway = await pending.post('/api/auth/login', { email: user.email, password: user.password });
      expect(halfway.status).toBe(200);

      const frozenAt = t.clock.now();
      const res = await t.client({ ip: GB }).post('/api/auth/lock-account', { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ status: 'frozen' });
      expect(Number((await userRow(t, user.email)).frozen_at)).toBe(frozenAt);

      for (const c of [user.client, laptop]) expect((await c.get('/api/me')).status).toBe(401);
      const finish = await pending.post('/api/auth/login/verify', { flow: halfway.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(finish.status).toBe(400);
      expect(finish.body.error).toBe('flow_expired');
      expect(pending.cookies.has(SESSION)).toBe(false);

      const mail = await lastMail(t, user.email, SUBJECTS.frozen);
      expect(mail.text).toContain('24 hours');

      // The right password: 403 with when it can be unlocked.
      const login = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(403);
      expect(login.body.error).toBe('account_frozen');
      expect(login.body.unlockableAfter).toBe(new Date(frozenAt + DAY).toISOString());
      // A wrong password: the usual 401, which tells nothing.
      const wrongPw = await t.client().post('/api/auth/login', { email: user.email, password: `${user.password}-nope` });
      const unknown = await t.client().post('/api/auth/login', { email: uniqueEmail(), password: user.password });
      expect(wrongPw.status).toBe(401);
      expect(wrongPw.body).toEqual(unknown.body);

      // No password reset either, and the password is unchanged.
      const reset = await t.client().post('/api/auth/password/reset', { token: await resetToken(t, user.email), password: NEW_PASSWORD, code: codeFor(t, user.secret) });
      expect(reset.status).toBe(403);
      expect(reset.body.error).toBe('account_frozen');
      expect((await t.client().post('/api/auth/login', { email: user.email, password: NEW_PASSWORD })).status).toBe(401);

      // Single use.
      const again = await t.client().post('/api/auth/lock-account', { token });
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('invalid_token');

      const audit = await auditOf(t, 'account.frozen');
      expect(audit).toHaveLength(1);
      expect(JSON.parse(String(audit[0]!.data))).toEqual({ via: 'email_link' });
      const results = (await t.db.store.db.selectFrom('login_activity').select('result').execute()).map((r) => r.result);
      expect(results).toContain('frozen');
      const hold = await t.db.store.db.selectFrom('withdrawal_holds').selectAll().where('reason', '=', 'account_frozen').executeTakeFirstOrThrow();
      expect(Number(hold.until)).toBeGreaterThanOrEqual(frozenAt + DAY);
    });

    it('refuses a foreign token, a token of another kind, an expired link and bad input (400)', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const enrolledMail = await lastMail(t, user.email, SUBJECTS.twoFactorEnabled);
      const early = lockToken(enrolledMail);
      await signIn(t, user);
      const late = lockToken(await lastMail(t, user.email, SUBJECTS.newSignIn));
      const reset = await resetToken(t, user.email);

      const c = t.client();
      for (const token of ['garbage', 'A'.repeat(43), reset]) {
        const res = await c.post('/api/auth/lock-account', { token });
        expect(res.status, token).toBe(400);
        expect(res.body.error).toBe('invalid_token');
      }
      for (const body of [{}, { token: '' }, { token: 5 }, { token: late, extra: 1 }, { token: 'x'.repeat(513) }]) {
        const res = await c.post('/api/auth/lock-account', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error).toBe('invalid_request');
      }
      expect((await userRow(t, user.email)).frozen_at).toBeNull();

      // 31 days later the links are dead.
      t.clock.advance(31 * DAY);
      for (const token of [early, late]) {
        const res = await c.post('/api/auth/lock-account', { token });
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_token');
      }
      expect((await userRow(t, user.email)).frozen_at).toBeNull();
    });

    it('a link works until just before 30 days', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const token = lockToken(await lastMail(t, user.email, SUBJECTS.twoFactorEnabled));
      t.clock.advance(30 * DAY - 31_000); // the link was made 30 s before enrolledUser returned
      expect((await t.client().post('/api/auth/lock-account', { token })).status).toBe(200);
    });

    it('POST /api/me/lock freezes from a session and clears its cookie', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const laptop = await signIn(t, user);
      expect((await t.client().post('/api/me/lock')).status).toBe(401);

      const res = await user.client.post('/api/me/lock');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'frozen' });
      const cleared = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((l) => l.startsWith(`${SESSION}=`));
      expect(cleared).toMatch(/^bastion_session=;/);
      expect(user.client.cookies.has(SESSION)).toBe(false);
      expect((await laptop.get('/api/me')).status).toBe(401);

      const login = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(403);
      expect(login.body.error).toBe('account_frozen');
      expect(await mailsWithSubject(t, user.email, SUBJECTS.frozen)).toHaveLength(1);
      expect(JSON.parse(String((await auditOf(t, 'account.frozen'))[0]!.data))).toEqual({ via: 'settings' });
    });
  });

  describe('unfreezing', () => {
    it('after 24 hours: password, then the authenticator app only, then the inbox, even for a known device with policy off', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'off' });
      const user = await enrolledUser(t);
      expect((await user.client.post('/api/me/lock')).status).toBe(200);
      const frozenAt = t.clock.now();

      // Before the cool-down.
      t.clock.advance(DAY - MINUTE);
      const early = await user.client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(early.status).toBe(403);
      expect(early.body.error).toBe('account_frozen');
      expect(early.body.unlockableAfter).toBe(new Date(frozenAt + DAY).toISOString());

      t.clock.advance(MINUTE);
      const login = await user.client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(200);
      expect(login.body.next).toEqual(['totp']);
      const flow = login.body.flow as string;

      for (const [method, code] of [
        ['email_code', '123456'],
        ['backup_code', user.backupCodes[0]!],
      ] as const) {
        const res = await user.client.post('/api/auth/login/verify', { flow, method, code });
        expect(res.status, method).toBe(403);
        expect(res.body.error).toBe('strong_factor_required');
      }

      const verify = await user.client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      t.clock.advance(30_000);
      expect(verify.status, JSON.stringify(verify.body)).toBe(200);
      expect(verify.body).toEqual({ flow, next: ['confirm_device'] });
      expect(user.client.cookies.has(SESSION)).toBe(false);
      expect((await userRow(t, user.email)).frozen_at).not.toBeNull();

      const code = sixDigits(await lastMail(t, user.email, SUBJECTS.confirmDevice));
      const done = await user.client.post('/api/auth/login/confirm-device', { flow, code });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.user.email).toBe(user.email);
      const me = await user.client.get('/api/me');
      expect(me.status).toBe(200);
      // The refused backup code was not used up.
      expect(me.body.security.twoFactor.backupCodesRemaining).toBe(10);

      expect((await userRow(t, user.email)).frozen_at).toBeNull();
      const unfrozen = await lastMail(t, user.email, SUBJECTS.unfrozen);
      expect(lockTokens(unfrozen)).toHaveLength(1);
      const audit = await auditOf(t, 'account.unfrozen');
      expect(audit).toHaveLength(1);

      // Back to normal: all methods, and this known device signs in at once (policy off).
      const normal = await signIn(t, user, t.client());
      expect((await normal.get('/api/me')).status).toBe(200);
      const again = await user.client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(again.body.next).toEqual(['totp', 'email_code', 'backup_code']);
    });

    // An account without 2FA can be frozen too (the lock link is in the "account locked" mail). After
    // the cool-down the password alone must not get any session: only support can unlock it.
    it('a frozen account without 2FA cannot get a session with the password alone after the cool-down', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
      const { email, password } = await registerVerified(t);
      for (let i = 0; i < 5; i++) expect((await t.client().post('/api/auth/login', { email, password: `${password}-nope` })).status).toBe(401);
      const token = lockToken(await lastMail(t, email, SUBJECTS.accountLocked));
      expect((await t.client().post('/api/auth/lock-account', { token })).status).toBe(200);

      t.clock.advance(DAY + MINUTE);
      const intruder = t.client({ ip: GB });
      const login = await intruder.post('/api/auth/login', { email, password });
      expect(login.status).toBe(403);
      expect(login.body.error).toBe('account_frozen');
      expect(intruder.cookies.has(SESSION), JSON.stringify(login.body)).toBe(false);
      const setup = await intruder.post('/api/me/2fa/totp/setup');
      if (setup.status === 200) await intruder.post('/api/me/2fa/totp/confirm', { code: codeFor(t, setup.body.secret) });
      expect((await intruder.get('/api/me')).status).toBe(401);
      expect((await userRow(t, email)).frozen_at).not.toBeNull();
    });
  });

  describe('unfreezing with an emailed code', () => {
    it('sends no sign-in code: only the authenticator app can unlock', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      expect((await user.client.post('/api/me/lock')).status).toBe(200);
      t.clock.advance(DAY + MINUTE);
      const c = t.client();
      const login = await c.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.body.next).toEqual(['totp']);
      const send = await c.post('/api/auth/login/email-code', { flow: login.body.flow });
      expect(send.status).toBe(403);
      expect(send.body.error).toBe('strong_factor_required');
      expect((await t.mailTo(user.email)).filter((m) => m.subject === SUBJECTS.signInCode)).toHaveLength(0);
    });
  });
});
