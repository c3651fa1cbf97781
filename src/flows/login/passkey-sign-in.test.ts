/**
 * Signing in with passkeys over HTTP, with a software authenticator: "Sign in with a passkey"
 * (discoverable, user verification required, both factors), the passkey as the second factor after
 * a password, step-up, password reset for a passkey-only account, new-device confirmation and a
 * frozen account; every refused passwordless attempt answers exactly like a wrong password and
 * counts toward the lockout of the account it names.
 */
import { describe, expect, it } from 'vitest';
import { enrolledUser, NEW_PASSWORD } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { subjects, SUBJECTS } from '../../../test/mail.ts';
import { auditOf, userRow } from '../../../test/queries.ts';
import { ORIGIN, passkeyUser, passwordlessSignIn, passwordThenPasskey, stepUpWithPasskey } from '../../../test/passkeys.ts';
import { SoftAuthenticator } from '../../../test/soft-authenticator.ts';
import { DAY, MINUTE } from '../../../test/time.ts';

const WRONG_PASSWORD = { error: 'invalid_credentials', message: 'The email or password is not right.' };

describe.each(dialects)('signing in with a passkey on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('passwordless', () => {
    it('signs in with the passkey alone: both factors, a strong session, recorded', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const client = t.client();
      const options = await client.post('/api/auth/passkey/options');
      expect(options.body.options).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [] });
      const res = await client.post('/api/auth/passkey/verify', { credential: user.authenticator.get(options.body.options, ORIGIN) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.user.email).toBe(user.email);
      const me = await client.get('/api/me');
      expect(me.body.session).toMatchObject({ restricted: false, authMethod: 'passkey', stepUpFresh: true });
      const succeeded = (await auditOf(t, 'login.succeeded')).at(-1)!;
      expect(JSON.parse(succeeded.data)).toMatchObject({ method: 'passkey', passwordless: true });
      const activity = (await client.get('/api/me/activity')).body.entries[0];
      expect(activity).toMatchObject({ result: 'success', method: 'passkey' });
    });

    it('uses a challenge once and only in the browser that asked for it', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const client = t.client();
      const options = (await client.post('/api/auth/passkey/options')).body.options;
      const credential = user.authenticator.get(options, ORIGIN);
      const elsewhere = await t.client().post('/api/auth/passkey/verify', { credential });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.error).toBe('challenge_expired');
      expect((await client.post('/api/auth/passkey/verify', { credential })).status).toBe(200);
      const replay = t.client();
      replay.cookies.set('bastion_passkey', client.cookies.get('bastion_passkey') ?? 'gone');
      expect((await client.post('/api/auth/passkey/verify', { credential })).body.error).toBe('challenge_expired');
      expect((await replay.post('/api/auth/passkey/verify', { credential })).body.error).toBe('challenge_expired');
    });

    it('refuses a passkey without user verification, a foreign origin, an unknown or a disabled credential exactly like a wrong password', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      // (Four refusals: a fifth would lock the account; see the next test.)
      const wrongPassword = await t.client().post('/api/auth/login', { email: 'nobody@example.com', password: 'not-the-password-1' });
      expect(wrongPassword.body).toEqual(WRONG_PASSWORD);

      user.authenticator.options.userVerification = false;
      const noUv = await passwordlessSignIn(t.client(), user.authenticator);
      expect([noUv.status, noUv.body]).toEqual([401, WRONG_PASSWORD]);
      user.authenticator.options.userVerification = true;

      const client = t.client();
      const options = (await client.post('/api/auth/passkey/options')).body.options;
      const phished = await client.post('/api/auth/passkey/verify', { credential: user.authenticator.get(options, 'https://bastion-login.example') });
      expect([phished.status, phished.body]).toEqual([401, WRONG_PASSWORD]);

      // A credential the server never registered, claiming the user's handle.
      const stranger = new SoftAuthenticator();
      stranger.credentials.push({ ...user.authenticator.credentials[0]!, id: Buffer.alloc(32, 9) });
      const unknown = await passwordlessSignIn(t.client(), stranger);
      expect([unknown.status, unknown.body]).toEqual([401, WRONG_PASSWORD]);

      await t.db.store.db.updateTable('passkeys').set({ disabled_at: t.clock.now(), disabled_reason: 'test' }).execute();
      const disabled = await passwordlessSignIn(t.client(), user.authenticator);
      expect([disabled.status, disabled.body]).toEqual([401, WRONG_PASSWORD]);

      const { id } = await userRow(t, user.email);
      const noHandle = await passwordlessSignIn(t.client(), user.authenticator, { userHandle: null });
      expect([noHandle.status, noHandle.body]).toEqual([401, WRONG_PASSWORD]);

      const reasons = (await auditOf(t, 'login.failed')).filter((e) => e.user_id === id).map((e) => JSON.parse(e.data).reason);
      expect(reasons).toEqual(['passkey_signature', 'passkey_signature', 'passkey_unknown', 'passkey_disabled']);
    });

    it('records refusals against the account the response names but never locks its passkey (a signature cannot be guessed), nor its password', async () => {
      const t = await app({ LOGIN_IP_LIMIT: '1000' });
      const user = await passkeyUser(t);
      const stranger = new SoftAuthenticator();
      stranger.credentials.push({ ...user.authenticator.credentials[0]!, id: Buffer.alloc(32, 9) });
      for (let i = 0; i < 30; i++) expect((await passwordlessSignIn(t.client(), stranger)).body).toEqual(WRONG_PASSWORD);
      await t.deps.later.idle(); // the activity rows are written after the answers
      const userId = (await userRow(t, user.email)).id;
      const refused = await t.db.store.db.selectFrom('login_activity').select(['result', 'method']).where('user_id', '=', userId).where('result', '=', 'passkey_refused').execute();
      expect(refused).toHaveLength(30);
      // The genuine passkey and the password still sign in.
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(200);
      expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(200);
      expect(await subjects(t, user.email)).not.toContain(SUBJECTS.accountLocked);
      // A response naming no account counts against nobody.
      const nobody = await passwordlessSignIn(t.client(), stranger, { userHandle: Buffer.alloc(32, 1).toString('base64url') });
      expect([nobody.status, nobody.body]).toEqual([401, WRONG_PASSWORD]);
    });

    it('asks to confirm a new device by email, then completes there', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
      const user = await passkeyUser(t);
      const client = t.client({ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0' });
      const res = await passwordlessSignIn(client, user.authenticator);
      expect(res.body.next).toEqual(['confirm_device']);
      expect((await client.get('/api/me')).status).toBe(401);
      // No attempt was reserved for the passkey, so none is given back: the flow has its 5 code attempts.
      const flowRow = await t.db.store.db.selectFrom('login_flows').selectAll().where('state', '=', 'confirm_device').executeTakeFirstOrThrow();
      expect(flowRow.failed_attempts).toBe(0);
      const mail = (await t.mailTo(user.email)).find((m) => m.subject === SUBJECTS.confirmDevice)!;
      const code = /^ {4}(\d{6})$/m.exec(mail.text)![1]!;
      const done = await client.post('/api/auth/login/confirm-device', { flow: res.body.flow, code });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect((await client.get('/api/me')).body.session.authMethod).toBe('passkey');
      // The browser that enrolled is a known device: no confirmation there.
      expect((await passwordlessSignIn(user.client, user.authenticator)).body.user).toBeDefined();
    });

    it('refuses a frozen account; after the cool-down it unlocks only with password, passkey and inbox', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
      const user = await passkeyUser(t);
      expect((await user.client.post('/api/me/lock')).status).toBe(200);
      const res = await passwordlessSignIn(t.client(), user.authenticator);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('account_frozen');
      t.clock.advance(DAY + 1);
      const later = await passwordlessSignIn(t.client(), user.authenticator);
      expect([later.status, later.body.error]).toEqual([403, 'password_required']);
      const client = t.client();
      const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.body.next).toEqual(['passkey']);
      const options = (await client.post('/api/auth/login/passkey-options', { flow: login.body.flow })).body.options;
      const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'passkey', credential: user.authenticator.get(options, ORIGIN) });
      expect(verify.body.next).toEqual(['confirm_device']);
      const mail = (await t.mailTo(user.email)).filter((m) => m.subject === SUBJECTS.confirmDevice).at(-1)!;
      const done = await client.post('/api/auth/login/confirm-device', { flow: login.body.flow, code: /^ {4}(\d{6})$/m.exec(mail.text)![1]! });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect((await userRow(t, user.email)).frozen_at).toBeNull();
    });

    it('needs the options cookie and a well-formed response', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const options = (await t.client().post('/api/auth/passkey/options')).body.options;
      const credential = user.authenticator.get(options, ORIGIN);
      expect((await t.client().post('/api/auth/passkey/verify', { credential })).body.error).toBe('challenge_expired');
      const bad = await t.client().post('/api/auth/passkey/verify', { credential: { ...credential, type: 'password' } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/type/);
      expect((await t.client().post('/api/auth/passkey/verify', {})).status).toBe(400);
    });
  });

  describe('as the second factor after a password', () => {
    it('offers the passkey first, lists the account\'s passkeys, and starts a password+passkey session', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const client = t.client();
      const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.body.next[0]).toBe('passkey');
      const options = await client.post('/api/auth/login/passkey-options', { flow: login.body.flow });
      expect(options.body.options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([user.authenticator.credentials[0]!.id.toString('base64url')]);
      expect(options.body.options.userVerification).toBe('preferred');
      const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'passkey', credential: user.authenticator.get(options.body.options, ORIGIN) });
      expect(verify.status, JSON.stringify(verify.body)).toBe(200);
      expect((await client.get('/api/me')).body.session).toMatchObject({ authMethod: 'password+passkey', stepUpFresh: true });
    });

    it('refuses another account\'s passkey or a bad signature as invalid_passkey, recorded like a wrong code', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const other = await passkeyUser(t);
      const client = t.client();
      const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
      const options = (await client.post('/api/auth/login/passkey-options', { flow: login.body.flow })).body.options;
      const foreign = other.authenticator.get(options, ORIGIN, { credential: other.authenticator.credentials[0]! });
      const res = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'passkey', credential: foreign });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_passkey');
      // The challenge is used up; a new one with a bad signature fails too.
      const again = (await client.post('/api/auth/login/passkey-options', { flow: login.body.flow })).body.options;
      const forged = user.authenticator.get(again, ORIGIN);
      forged.response.signature = Buffer.from(forged.response.signature, 'base64url').reverse().toString('base64url');
      expect((await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'passkey', credential: forged })).body.error).toBe('invalid_passkey');
      const failures = (await auditOf(t, 'mfa.failed')).map((e) => JSON.parse(e.data).method);
      expect(failures).toEqual(['passkey', 'passkey']);
      // Counted on no lock: a signature cannot be guessed (the flow's own 5 attempts still apply).
      expect(await t.db.store.db.selectFrom('lockouts').selectAll().where('key', 'like', `mfa:${(await userRow(t, user.email)).id}%`).execute()).toEqual([]);
      // A response for another flow's challenge is not this flow's.
      const second = t.client();
      const otherLogin = await second.post('/api/auth/login', { email: user.email, password: user.password });
      const otherOptions = (await second.post('/api/auth/login/passkey-options', { flow: otherLogin.body.flow })).body.options;
      const misplaced = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'passkey', credential: user.authenticator.get(otherOptions, ORIGIN) });
      expect(misplaced.body.error).toBe('challenge_expired');
    });
  });

  describe('step-up and password reset', () => {
    it('steps up with a passkey; an account without one is told so', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const client = t.client();
      expect((await passwordThenPasskey(client, user, user.authenticator)).status).toBe(200);
      t.clock.advance(11 * MINUTE);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(false);
      const res = await stepUpWithPasskey(client, user.authenticator);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(true);
      expect(JSON.parse((await auditOf(t, 'session.step_up')).at(-1)!.data).method).toBe('passkey');

      // Step-up needs the passkey to verify its user too.
      const asked = (await client.post('/api/auth/step-up/passkey-options')).body.options;
      expect(asked.userVerification).toBe('required');
      user.authenticator.options.userVerification = false;
      expect((await stepUpWithPasskey(client, user.authenticator)).body.error).toBe('invalid_passkey');
      user.authenticator.options.userVerification = true;

      const totpUser = await enrolledUser(t);
      const none = await totpUser.client.post('/api/auth/step-up/passkey-options');
      expect(none.status).toBe(400);
      expect(none.body.error).toBe('no_passkey');
    });

    it('resets the password of a passkey-only account with the passkey, never without a second factor', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      expect((await t.client().post('/api/auth/password/forgot', { email: user.email })).status).toBe(202);
      const mail = (await t.mailTo(user.email)).find((m) => m.subject === SUBJECTS.resetPassword)!;
      const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
      const client = t.client();
      const bare = await client.post('/api/auth/password/reset', { token, password: NEW_PASSWORD });
      expect(bare.body.error).toBe('second_factor_required');
      const totp = await client.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, method: 'totp', code: '123456' });
      expect(totp.body.error).toBe('invalid_code');
      const options = (await client.post('/api/auth/password/reset/passkey-options', { token })).body.options;
      const reset = await client.post('/api/auth/password/reset', { token, password: NEW_PASSWORD, method: 'passkey', credential: user.authenticator.get(options, ORIGIN) });
      expect(reset.status, JSON.stringify(reset.body)).toBe(200);
      expect((await passwordThenPasskey(t.client(), { email: user.email, password: NEW_PASSWORD }, user.authenticator)).status).toBe(200);
      expect((await client.post('/api/auth/password/reset/passkey-options', { token })).body.error).toBe('invalid_token');
    });
  });
});
