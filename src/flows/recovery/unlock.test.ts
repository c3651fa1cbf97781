/** Unlocking a locked account: the single-use link from the lock email (24 hours), or a password reset. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, signIn } from '../../../test/accounts.ts';
import { dialects, TEST_BASE_URL, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';
import { expectInvalidToken, expectLocked, expectReset, lockByPassword, LOCKED_SUBJECT, LOCKOUT_ENV, login, NEW_PASSWORD, requestReset, unlockTokenFrom } from '../../../test/recovery.ts';
import { HOUR } from '../../../test/time.ts';

describe.each(dialects)('password recovery and unlock on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);

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
