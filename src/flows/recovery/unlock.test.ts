/** Unlocking a locked account: the single-use link from the lock email (24 hours; looked at first, escalation kept), or a password reset. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, signIn } from '../../../test/accounts.ts';
import { dialects, TEST_BASE_URL, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';
import { expectInvalidToken, expectLocked, expectReset, lockByPassword, LOCKED_SUBJECT, LOCKOUT_ENV, login, NEW_PASSWORD, requestReset, unlockTokenFrom } from '../../../test/recovery.ts';
import { HOUR, MINUTE } from '../../../test/time.ts';
import { passwordKey } from '../../account/locks.ts';

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

    it('shows what the link would unlock without using it up: the address, since when and until when', async () => {
      const app = await start(LOCKOUT_ENV);
      const { email } = await registerVerified(app);
      const lockedAt = app.clock.now();
      await lockByPassword(app, email, app.client({ ip: '198.51.100.122' }));
      const token = await unlockTokenFrom(app, email);
      const until = Date.parse((await login(app.client(), email, PASSWORD)).body.lockedUntil);

      // A mail scanner, a link preview, the page before its button is pressed: all only look.
      const scanner = app.client({ ip: '192.0.2.41', userAgent: 'MailScanner/2.0' });
      for (let i = 0; i < 2; i++) {
        const preview = await scanner.post('/api/auth/unlock/preview', { token });
        expect(preview.status, JSON.stringify(preview.body)).toBe(200);
        expect(preview.body).toEqual({ email, lockedAt: new Date(lockedAt).toISOString(), lockedUntil: new Date(until).toISOString() });
      }
      expect(await app.deps.throttle.lockedUntil(passwordKey(email))).toBe(until);
      expect(await auditOf(app, 'account.unlocked')).toEqual([]);

      // The press unlocks; then the link shows nothing more.
      expect((await app.client().post('/api/auth/unlock', { token })).status).toBe(200);
      expectInvalidToken(await scanner.post('/api/auth/unlock/preview', { token }));
      expectInvalidToken(await scanner.post('/api/auth/unlock/preview', { token: randomBytes(32).toString('base64url') }));
      expectInvalidToken(await scanner.post('/api/auth/unlock/preview', { token: await requestReset(app, email) }));
    });

    it('lifts the lock but keeps its escalation: more wrong passwords after the link lock for twice as long', async () => {
      const app = await start(LOCKOUT_ENV);
      const { email } = await registerVerified(app);
      const attacker = app.client({ ip: '198.51.100.123' });
      await lockByPassword(app, email, attacker);
      const first = await login(attacker, email, PASSWORD);
      expectLocked(first, app);
      expect(Date.parse(first.body.lockedUntil) - app.clock.now()).toBe(15 * MINUTE);

      expect((await app.client().post('/api/auth/unlock', { token: await unlockTokenFrom(app, email) })).status).toBe(200);
      expect(await app.deps.throttle.lockedUntil(passwordKey(email))).toBeNull();
      // Five more wrong passwords: the second lock is 30 minutes, as it would have been without the link.
      app.clock.advance(MINUTE);
      await lockByPassword(app, email, attacker);
      const second = await login(attacker, email, PASSWORD);
      expectLocked(second, app);
      expect(Date.parse(second.body.lockedUntil) - app.clock.now()).toBe(30 * MINUTE);

      // A right password (after the lock) still ends the escalation, as before.
      app.clock.advance(30 * MINUTE);
      expect((await login(app.client(), email, PASSWORD)).status).toBe(200);
      await lockByPassword(app, email, attacker);
      const third = await login(attacker, email, PASSWORD);
      expect(Date.parse(third.body.lockedUntil) - app.clock.now()).toBe(15 * MINUTE);
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
      expect(ok.body.next).toEqual(['totp', 'backup_code']); // a new device: no emailed code
      await signIn(app, { ...user, password: NEW_PASSWORD });
    });
  });
});
