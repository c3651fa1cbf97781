/** Sign-in next steps: the second factors offered after the password, or enrollment in a restricted session for an account without one. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, knownBrowser, registerVerified } from '../../../test/accounts.ts';
import { FLOW, SESSION } from '../../../test/cookies.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { startLogin } from '../../../test/login.ts';

describe.each(dialects)('sign-in on %s', (dialect) => {
  const app = testApps(dialect);

  describe('next steps', () => {
    it('offers totp, email_code and backup_code to an enrolled user on a known device (no email_code on a new one), and a flow cookie', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const fresh = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(fresh.body.next).toEqual(['totp', 'backup_code']);
      const client = knownBrowser(t, user);
      const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(res.status).toBe(200);
      expect(res.body.next).toEqual(['totp', 'email_code', 'backup_code']);
      expect(res.body.flow).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(client.cookies.get(FLOW)).toBeTruthy();
      expect(client.cookies.get(FLOW)).not.toBe(res.body.flow);
      // No session before the second factor.
      expect(client.cookies.has(SESSION)).toBe(false);
      expect((await client.get('/api/me')).status).toBe(401);
    });

    it('drops backup_code from next once all 10 backup codes are used', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      expect(user.backupCodes).toHaveLength(10);
      for (const code of user.backupCodes) {
        const client = t.client();
        const flow = await startLogin(client, user);
        const res = await client.post('/api/auth/login/verify', { flow, method: 'backup_code', code });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      const res = await knownBrowser(t, user).post('/api/auth/login', { email: user.email, password: user.password });
      expect(res.status).toBe(200);
      expect(res.body.next).toEqual(['totp', 'email_code']);
    });

    it('gives a verified user without 2FA next ["enroll_2fa"] and a restricted session that can only enroll', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      const login = await client.post('/api/auth/login', { email, password });
      expect(login.status).toBe(200);
      expect(login.body.next).toEqual(['enroll_2fa']);
      const restrictedToken = client.cookies.get(SESSION);
      expect(restrictedToken).toBeTruthy();
      const restrictedRow = await t.db.store.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
      expect(restrictedRow).toMatchObject({ restricted: 1, step_up_at: null });

      const me = await client.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.session.restricted).toBe(true);
      expect(me.body.session.stepUpFresh).toBe(false);
      expect(me.body.security.twoFactor).toEqual({ enabled: false, methods: [], backupCodesRemaining: 0 });

      const codes = await client.post('/api/me/2fa/backup-codes');
      expect(codes.status).toBe(403);
      expect(codes.body.error).toBe('enroll_2fa_required');
      const stepUp = await client.post('/api/auth/step-up', { method: 'totp', code: '123456' });
      expect(stepUp.status).toBe(403);
      expect(stepUp.body.error).toBe('enroll_2fa_required');

      // The enroll flow cannot be finished as a sign-in.
      const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'email_code', code: '123456' });
      expect(verify.status).toBe(400);
      expect(verify.body.error).toBe('flow_expired');

      const setup = await client.post('/api/me/2fa/totp/setup');
      expect(setup.status).toBe(200);
      const confirm = await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, setup.body.secret) });
      expect(confirm.status).toBe(200);
      expect(confirm.body.status).toBe('enabled');
      expect(confirm.body.backupCodes).toHaveLength(10);

      // Privilege changed: a new token; the old one is dead.
      const fullToken = client.cookies.get(SESSION);
      expect(fullToken).toBeTruthy();
      expect(fullToken).not.toBe(restrictedToken);
      const stale = t.client();
      stale.cookies.set(SESSION, restrictedToken!);
      const staleMe = await stale.get('/api/me');
      expect(staleMe.status).toBe(401);
      expect(staleMe.body.error).toBe('not_authenticated');

      const after = await client.get('/api/me');
      expect(after.status).toBe(200);
      expect(after.body.session).toMatchObject({ restricted: false, authMethod: 'password+totp', stepUpFresh: true });
      expect(after.body.security.twoFactor).toEqual({ enabled: true, methods: ['totp', 'email_code', 'backup_code'], backupCodesRemaining: 10 });
      expect((await client.post('/api/me/2fa/backup-codes')).status).toBe(200);
      // The same session (id), upgraded; and a restricted session may sign out.
      expect(after.body.session.id).toBe(restrictedRow.id);
      const other = t.client();
      t.clock.advance(30_000);
      const again = await other.post('/api/auth/login', { email, password });
      expect(again.body.next).toEqual(['totp', 'backup_code']); // a new device: no emailed code
      expect(other.cookies.has(SESSION)).toBe(false);
    });

    it('lets a restricted session sign out', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      await client.post('/api/auth/login', { email, password });
      const token = client.cookies.get(SESSION)!;
      expect((await client.post('/api/auth/logout')).status).toBe(200);
      const stale = t.client();
      stale.cookies.set(SESSION, token);
      expect((await stale.get('/api/me')).status).toBe(401);
      expect((await stale.post('/api/me/2fa/totp/setup')).status).toBe(401);
    });
  });
});
