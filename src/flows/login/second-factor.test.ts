/** The second factor at sign-in: TOTP (a strong session), an emailed code or a backup code (used once). */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, knownBrowser } from '../../../test/accounts.ts';
import { passkeyUser } from '../../../test/passkeys.ts';
import { userRow } from '../../../test/queries.ts';
import { FLOW, SESSION } from '../../../test/cookies.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { emailCode, startLogin } from '../../../test/login.ts';
import { auditOf as auditEvents } from '../../../test/queries.ts';

describe.each(dialects)('sign-in on %s', (dialect) => {
  const app = testApps(dialect);

  describe('second factor', () => {
    it('signs in with TOTP: a session cookie, the flow cookie cleared, a strong session', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      const res = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ email: user.email, emailVerified: true });
      expect(Object.keys(res.body.user).sort()).toEqual(['createdAt', 'email', 'emailVerified', 'id']);
      expect(client.cookies.get(SESSION)).toBeTruthy();
      expect(client.cookies.has(FLOW)).toBe(false);
      const me = await client.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(res.body.user.id);
      expect(me.body.session).toMatchObject({ restricted: false, authMethod: 'password+totp', stepUpFresh: true });
      const succeeded = await auditEvents(t, 'login.succeeded');
      expect(JSON.parse(succeeded.at(-1)!.data)).toMatchObject({ method: 'totp' });
      // The flow is over: it cannot be used again.
      const again = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret, 1) });
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('flow_expired');
    });

    it('signs in with an emailed code on a known device only (not a strong session); a new device is asked for a passkey, the authenticator app or a backup code', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      // A new device, with the password: no code is sent, and none is taken.
      const stranger = t.client();
      const strange = await startLogin(stranger, user);
      for (const refused of [
        await stranger.post('/api/auth/login/email-code', { flow: strange }),
        await stranger.post('/api/auth/login/verify', { flow: strange, method: 'email_code', code: '123456' }),
      ]) {
        expect(refused.status).toBe(403);
        expect(refused.body.error).toBe('known_device_required');
      }
      expect((await t.mailTo(user.email)).filter((m) => m.subject === 'Bastion: Your sign-in code')).toHaveLength(0);
      expect((await stranger.post('/api/auth/login/verify', { flow: strange, method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
      t.clock.advance(30_000);

      // A device the account knows (the browser that enrolled).
      const client = knownBrowser(t, user);
      const flow = await startLogin(client, user);
      const sent = await client.post('/api/auth/login/email-code', { flow });
      expect(sent.status).toBe(202);
      expect(sent.body).toEqual({ status: 'sent' });
      const code = await emailCode(t, user.email);
      const res = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const me = await client.get('/api/me');
      expect(me.body.session).toMatchObject({ restricted: false, authMethod: 'password+email_code', stepUpFresh: false });
      expect(JSON.parse((await auditEvents(t, 'login.succeeded')).at(-1)!.data)).toMatchObject({ method: 'email_code' });
      expect(await auditEvents(t, 'mfa.email_code_sent')).toHaveLength(1);
    });

    it('refuses (and records) a new device when the emailed code is all the account has left; a known device still signs in with it', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const { id } = await userRow(t, user.email);
      await t.db.store.db.updateTable('passkeys').set({ disabled_at: t.clock.now() }).where('user_id', '=', id).execute();
      await t.db.store.db.updateTable('backup_codes').set({ used_at: t.clock.now() }).where('user_id', '=', id).execute();
      const refused = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('known_device_required');
      const rows = await t.db.store.db.selectFrom('login_activity').select('result').where('user_id', '=', id).where('result', '=', 'known_device_required').execute();
      expect(rows).toHaveLength(1);
      const known = await knownBrowser(t, user).post('/api/auth/login', { email: user.email, password: user.password });
      expect(known.body.next).toEqual(['email_code']);
    });

    it('signs in with a backup code once: the owner is told, 9 remain, and the same code fails next time', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const backup = user.backupCodes[0]!;
      const client = t.client();
      const flow = await startLogin(client, user);
      const res = await client.post('/api/auth/login/verify', { flow, method: 'backup_code', code: backup.toUpperCase() });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const mail = (await t.mailTo(user.email)).find((m) => m.subject === 'Bastion: A backup code was used');
      expect(mail).toBeDefined();
      expect(mail?.text).toContain('9 remain');
      const me = await client.get('/api/me');
      expect(me.body.security.twoFactor.backupCodesRemaining).toBe(9);
      expect(me.body.session).toMatchObject({ authMethod: 'password+backup_code', stepUpFresh: false });

      const other = t.client();
      const flow2 = await startLogin(other, user);
      const reuse = await other.post('/api/auth/login/verify', { flow: flow2, method: 'backup_code', code: backup });
      expect(reuse.status).toBe(401);
      expect(reuse.body.error).toBe('invalid_code');
      expect(other.cookies.has(SESSION)).toBe(false);
      // A backup code is not a TOTP code, nor the other way round.
      const asTotp = await other.post('/api/auth/login/verify', { flow: flow2, method: 'totp', code: user.backupCodes[1]! });
      expect(asTotp.status).toBe(401);
      const totpAsBackup = await other.post('/api/auth/login/verify', { flow: flow2, method: 'backup_code', code: codeFor(t, user.secret) });
      expect(totpAsBackup.status).toBe(401);
      expect((await t.mailTo(user.email)).filter((m) => m.subject === 'Bastion: A backup code was used')).toHaveLength(1);
    });
  });
});
