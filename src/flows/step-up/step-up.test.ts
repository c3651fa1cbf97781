/** Step-up: sensitive actions need a fresh strong factor (10 minutes); only TOTP steps up, once per code, and a step-up rotates the session token. */
import { describe, expect, it } from 'vitest';
import { codeFor, type Enrolled, enrolledUser, knownBrowser, signIn, wrongCode } from '../../../test/accounts.ts';
import type { TestClient } from '../../../test/client.ts';
import { SESSION, withToken } from '../../../test/cookies.ts';
import { dialects, type TestApp, testApps } from '../../../test/harness.ts';
import { MINUTE } from '../../../test/time.ts';

/** Signs in with an emailed code: a full session without a fresh step-up. */
async function signInWithEmailCode(t: TestApp, user: Enrolled): Promise<TestClient> {
  const client = knownBrowser(t, user);
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(login.status).toBe(200);
  expect((await client.post('/api/auth/login/email-code', { flow: login.body.flow })).status).toBe(202);
  const mail = await t.latestMail(user.email);
  const code = /^ {4}(\d{6})$/m.exec(mail.text)?.[1];
  expect(code).toBeTruthy();
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'email_code', code });
  expect(verify.status).toBe(200);
  return client;
}

describe.each(dialects)('sessions on %s', (dialect) => {
  const app = testApps(dialect);

  describe('step-up', () => {
    it('an emailed-code session needs step-up for new backup codes; TOTP step-up rotates the token and allows it', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signInWithEmailCode(t, user);
      const me = await client.get('/api/me');
      expect(me.body.session).toMatchObject({ authMethod: 'password+email_code', stepUpFresh: false });

      const denied = await client.post('/api/me/2fa/backup-codes');
      expect(denied.status).toBe(403);
      expect(denied.body.error).toBe('step_up_required');
      expect(denied.body.stepUp).toMatchObject({ methods: ['totp'], endpoint: '/api/auth/step-up' });

      const before = client.cookies.get(SESSION)!;
      const step = await client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) });
      expect(step.status).toBe(200);
      expect(step.body).toEqual({ status: 'ok', stepUpExpiresAt: new Date(t.clock.now() + 10 * MINUTE).toISOString() });
      const after = client.cookies.get(SESSION)!;
      expect(after).not.toBe(before);
      expect((await withToken(t, before).get('/api/me')).status).toBe(401);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(true);

      const fresh = await client.post('/api/me/2fa/backup-codes');
      expect(fresh.status).toBe(200);
      const codes: string[] = fresh.body.backupCodes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
      expect(codes.some((c) => user.backupCodes.includes(c))).toBe(false);
      expect((await t.latestMail(user.email)).subject).toBe('Bastion: New backup codes were created');
      expect((await client.get('/api/me')).body.security.twoFactor.backupCodesRemaining).toBe(10);

      // Old codes no longer work at sign-in; new ones do.
      const other = t.client();
      const login = await other.post('/api/auth/login', { email: user.email, password: user.password });
      const old = await other.post('/api/auth/login/verify', { flow: login.body.flow, method: 'backup_code', code: user.backupCodes[0] });
      expect(old.status).toBe(401);
      expect(old.body.error).toBe('invalid_code');
      const ok = await other.post('/api/auth/login/verify', { flow: login.body.flow, method: 'backup_code', code: codes[0] });
      expect(ok.status).toBe(200);

      // Step-up lasts 10 minutes.
      t.clock.advance(11 * MINUTE);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(false);
      const expired = await client.post('/api/me/2fa/backup-codes');
      expect(expired.status).toBe(403);
      expect(expired.body.error).toBe('step_up_required');
    });

    it('a TOTP sign-in counts as a fresh step-up', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signIn(t, user);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(true);
      expect((await client.post('/api/me/2fa/backup-codes')).status).toBe(200);
    });

    it('a backup-code sign-in is not a step-up', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect((await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'backup_code', code: user.backupCodes[0] })).status).toBe(200);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(false);
      expect((await client.post('/api/me/2fa/backup-codes')).status).toBe(403);
    });

    it('refuses a wrong code (401 invalid_code), a replayed code, and any method but TOTP', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signInWithEmailCode(t, user);
      const token = client.cookies.get(SESSION)!;
      const res = await client.post('/api/auth/step-up', { method: 'totp', code: wrongCode(t, user.secret) });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_code');
      expect(client.cookies.get(SESSION)).toBe(token);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(false);

      const emailed = await client.post('/api/auth/step-up', { method: 'email_code', code: '123456' });
      expect(emailed.status).toBe(400);
      const backup = await client.post('/api/auth/step-up', { method: 'totp', code: user.backupCodes[0] });
      expect(backup.status).toBe(401);

      const code = codeFor(t, user.secret);
      expect((await client.post('/api/auth/step-up', { method: 'totp', code })).status).toBe(200);
      const replay = await client.post('/api/auth/step-up', { method: 'totp', code });
      expect(replay.status).toBe(401);
      expect(replay.body.error).toBe('invalid_code');
      expect(await t.db.store.db.selectFrom('audit_events').select('seq').where('type', '=', 'mfa.failed').execute()).toHaveLength(3);
    });

    it('replacing an existing authenticator needs step-up', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signInWithEmailCode(t, user);
      const denied = await client.post('/api/me/2fa/totp/setup');
      expect(denied.status).toBe(403);
      expect(denied.body.error).toBe('step_up_required');
      expect((await client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
      const setup = await client.post('/api/me/2fa/totp/setup');
      expect(setup.status).toBe(200);
      expect(setup.body.secret).not.toBe(user.secret);

      // Confirming the replacement needs a fresh step-up as well, not only starting it.
      t.clock.advance(11 * MINUTE);
      const { secret } = setup.body as { secret: string };
      const late = await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, secret) });
      expect(late.status).toBe(403);
      expect(late.body.error).toBe('step_up_required');
      expect((await client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
      t.clock.advance(30_000);
      const confirmed = await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, secret) });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.backupCodes).toBeUndefined(); // the existing backup codes stay

      // The enrollment session's step-up (from confirming) has expired by now too.
      expect((await user.client.post('/api/me/2fa/totp/setup')).status).toBe(403);
    });
  });
});
