/** Security alerts: each carries its own single-use lock-account link and the anti-phishing slot, and the link stops a pending sign-in. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, NEW_PASSWORD, PASSWORD, signIn, signInWithBackupCode } from '../../test/accounts.ts';
import { GB } from '../../test/browsers.ts';
import { SESSION } from '../../test/cookies.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { firstLine, lastMail, lockToken, lockTokens, sixDigits, SUBJECTS } from '../../test/mail.ts';
import { userRow } from '../../test/queries.ts';
import { resetToken } from '../../test/recovery.ts';

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('alerts', () => {
    it('every security alert carries its own working lock-account link and the anti-phishing slot', async () => {
      const t = await app();
      const user = await enrolledUser(t); // 2FA enabled
      await signIn(t, user); // new sign-in
      await signInWithBackupCode(t, user, user.backupCodes[0]!); // backup code used (and a new sign-in)
      expect((await user.client.post('/api/me/2fa/backup-codes')).status).toBe(200); // regenerated
      expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' })).status).toBe(200);
      const changed = await user.client.post('/api/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200); // password changed
      for (let i = 0; i < 5; i++) {
        expect((await t.client().post('/api/auth/login', { email: user.email, password: `${NEW_PASSWORD}-nope` })).status).toBe(401);
      }
      const locked = await lastMail(t, user.email, SUBJECTS.accountLocked); // locked
      const unlock = /unlock\?token=([A-Za-z0-9_-]+)/.exec(locked.text)?.[1];
      expect((await t.client().post('/api/auth/unlock', { token: unlock })).status).toBe(200); // unlocked
      t.clock.advance(30_000);
      const reset = await t.client().post('/api/auth/password/reset', { token: await resetToken(t, user.email), password: PASSWORD, code: codeFor(t, user.secret) });
      expect(reset.status, JSON.stringify(reset.body)).toBe(200); // password reset

      const alertSubjects = [
        SUBJECTS.twoFactorEnabled,
        SUBJECTS.newSignIn,
        SUBJECTS.backupCodeUsed,
        SUBJECTS.backupCodesRegenerated,
        SUBJECTS.antiPhishingChanged,
        SUBJECTS.passwordChanged,
        SUBJECTS.accountLocked,
        SUBJECTS.accountUnlocked,
      ];
      const mails = await t.mailTo(user.email);
      const alerts = mails.filter((m) => alertSubjects.includes(m.subject));
      for (const subject of alertSubjects) expect(alerts.some((m) => m.subject === subject), subject).toBe(true);
      expect(alerts.filter((m) => m.subject === SUBJECTS.passwordChanged)).toHaveLength(2); // change and reset

      const tokens: string[] = [];
      for (const mail of alerts) {
        const found = lockTokens(mail);
        expect(found, mail.subject).toHaveLength(1);
        expect(mail.html, mail.subject).toContain(`/lock-account?token=${found[0]}`);
        expect(firstLine(mail), mail.subject).toMatch(/^(Anti-phishing code: Blue-Falcon_42|Tip: .*set an anti-phishing code)/);
        tokens.push(found[0]!);
      }
      expect(new Set(tokens).size).toBe(tokens.length);
      // Mails that are not alerts have no lock link.
      for (const mail of mails.filter((m) => [SUBJECTS.resetPassword, 'Bastion: Verify your email address'].includes(m.subject))) {
        expect(lockTokens(mail), mail.subject).toHaveLength(0);
      }

      // Every link is live (the first freezes the account; the rest find it frozen), and single-use.
      for (const token of tokens) expect((await t.client().post('/api/auth/lock-account', { token })).status).toBe(200);
      expect((await userRow(t, user.email)).frozen_at).not.toBeNull();
      expect((await t.client().post('/api/auth/lock-account', { token: tokens[0] })).status).toBe(400);
    });

    it('"this wasn\'t me": the lock link in a new-device confirmation stops the pending sign-in', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
      const user = await enrolledUser(t);
      const attacker = t.client({ ip: GB });
      const login = await attacker.post('/api/auth/login', { email: user.email, password: user.password });
      const held = await attacker.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(held.body.next).toEqual(['confirm_device']);
      const mail = await lastMail(t, user.email, SUBJECTS.confirmDevice);
      const code = sixDigits(mail);
      const link = /confirm-device\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;

      expect((await t.client().post('/api/auth/lock-account', { token: lockToken(mail) })).status).toBe(200);
      const res = await attacker.post('/api/auth/login/confirm-device', { flow: login.body.flow, code });
      expect(res.status).toBe(400);
      expect(attacker.cookies.has(SESSION)).toBe(false);
      expect((await attacker.post('/api/auth/login/confirm-device', { token: link })).status).toBe(400);
      expect((await user.client.get('/api/me')).status).toBe(401);
    });
  });
});
