/**
 * Passkeys over HTTP with a software authenticator: enrolling one as the only second factor at
 * sign-up, the options the server asks for (discoverable, user verification, no attestation,
 * EdDSA/ES256/RS256, RP id and origin from config), refusals, management (list with the
 * authenticator's name, rename, delete after step-up, never the last strong factor), emails and
 * withdrawal holds, and the signature counter (a counter going backwards disables the passkey).
 */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, registerVerified } from '../../../test/accounts.ts';
import type { TestClient } from '../../../test/client.ts';
import { dialects, type TestApp, testApps } from '../../../test/harness.ts';
import { auditOf, holdsOf } from '../../../test/queries.ts';
import { addPasskey, ORIGIN, passkeyUser, passwordlessSignIn, passwordThenPasskey, stepUpWithPasskey } from '../../../test/passkeys.ts';
import { SoftAuthenticator, type Algorithm } from '../../../test/soft-authenticator.ts';

const ICLOUD = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
const SUBJECTS = {
  added: 'Bastion: A passkey was added to your account',
  removed: 'Bastion: A passkey was removed from your account',
  disabled: 'Bastion: We disabled one of your passkeys',
  signInCode: 'Bastion: Your sign-in code',
};

describe.each(dialects)('passkeys on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });
  const subjects = async (t: TestApp, email: string) => (await t.mailTo(email)).map((m) => m.subject);

  /** A session that is not stepped up: signed in with an emailed code. */
  async function emailCodeSession(t: TestApp, user: { email: string; password: string }): Promise<TestClient> {
    const client = t.client();
    const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
    expect((await client.post('/api/auth/login/email-code', { flow: login.body.flow })).status).toBe(202);
    const mail = (await t.mailTo(user.email)).filter((m) => m.subject === SUBJECTS.signInCode).at(-1)!;
    const code = /^ {4}(\d{6})$/m.exec(mail.text)![1]!;
    const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'email_code', code });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    return client;
  }

  describe('enrolling a passkey as the mandatory second factor', () => {
    it('asks for a discoverable, user-verified passkey without attestation, on the configured RP id', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      expect((await client.post('/api/auth/login', { email, password })).body.next).toEqual(['enroll_2fa']);
      const res = await client.post('/api/me/passkeys/registration-options');
      expect(res.status).toBe(200);
      const options = res.body.options;
      expect(options.rp).toEqual({ id: 'localhost', name: 'Bastion' });
      expect(options.user.name).toBe(email);
      expect(Buffer.from(options.user.id, 'base64url')).toHaveLength(32); // a random handle, not the account id
      expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', requireResidentKey: true, userVerification: 'required' });
      expect(options.attestation).toBe('none');
      expect(options.pubKeyCredParams.map((p: { alg: number }) => p.alg).sort((a: number, b: number) => a - b)).toEqual([-257, -8, -7]);
      expect(options.challenge.length).toBeGreaterThanOrEqual(43);
      // Only the challenge's hash is kept.
      const stored = await t.db.store.db.selectFrom('webauthn_challenges').selectAll().execute();
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(options.challenge);
    });

    it('makes the passkey the only second factor: backup codes once, a full session, an email, an audit event', async () => {
      const t = await app();
      const user = await passkeyUser(t, { aaguid: ICLOUD });
      expect(user.backupCodes).toHaveLength(10);
      const me = await user.client.get('/api/me');
      expect(me.body.session).toMatchObject({ restricted: false, authMethod: 'password+passkey', stepUpFresh: true });
      expect(me.body.security.twoFactor).toMatchObject({ enabled: true, methods: ['passkey', 'email_code', 'backup_code'] });
      expect(me.body.security.passkeys).toEqual({ count: 1 });
      expect(await subjects(t, user.email)).toContain(SUBJECTS.added);
      const added = await auditOf(t, 'passkey.added');
      expect(JSON.parse(added[0]!.data)).toMatchObject({ aaguid: ICLOUD, firstFactor: true });
      // No withdrawal hold for the account's first factor; the browser became a known device.
      const row = await t.db.store.db.selectFrom('users').selectAll().where('email', '=', user.email).executeTakeFirstOrThrow();
      expect(await holdsOf(t, row.id)).toHaveLength(0);
      expect(await t.db.store.db.selectFrom('known_devices').select('id').where('user_id', '=', row.id).execute()).toHaveLength(1);
      // The next sign-in offers the passkey first, and never the enrollment again.
      const login = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.body.next).toEqual(['passkey', 'email_code', 'backup_code']);
    });

    it.each<Algorithm>(['ES256', 'EdDSA', 'RS256'])('accepts %s keys, then signs in with them', async (algorithm) => {
      const t = await app();
      const user = await passkeyUser(t, { algorithm });
      const stored = await t.db.store.db.selectFrom('passkeys').selectAll().where('id', '=', user.passkeyId).executeTakeFirstOrThrow();
      expect(stored.credential_id).toBe(user.authenticator.credentials[0]!.id.toString('base64url'));
      const signIn = await passwordlessSignIn(t.client(), user.authenticator);
      expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    });

    it('refuses a passkey made without user verification, one that is not discoverable, or one made for another origin', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      await client.post('/api/auth/login', { email, password });
      const noUv = await addPasskey(client, new SoftAuthenticator({ userVerification: false }));
      expect(noUv.status).toBe(400);
      expect(noUv.body.error).toBe('passkey_rejected');
      const notResident = await addPasskey(client, new SoftAuthenticator({ residentKey: false }));
      expect(notResident.body.error).toBe('passkey_rejected');
      const options = await client.post('/api/me/passkeys/registration-options');
      const phished = await client.post('/api/me/passkeys', { credential: new SoftAuthenticator().create(options.body.options, 'https://bastion-login.example') });
      expect(phished.body.error).toBe('passkey_rejected');
      expect(await t.db.store.db.selectFrom('passkeys').select('id').execute()).toHaveLength(0);
      expect((await client.get('/api/me')).body.session.restricted).toBe(true);
    });

    it('uses a challenge once, only in the session that asked for it, and within 5 minutes', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      await client.post('/api/auth/login', { email, password });
      const authenticator = new SoftAuthenticator();
      const options = (await client.post('/api/me/passkeys/registration-options')).body.options;
      const credential = authenticator.create(options, ORIGIN);

      const other = t.client();
      await other.post('/api/auth/login', { email, password });
      expect((await other.post('/api/me/passkeys', { credential })).body.error).toBe('challenge_expired');

      t.clock.advance(5 * 60_000);
      expect((await client.post('/api/me/passkeys', { credential })).body.error).toBe('challenge_expired');

      const fresh = (await client.post('/api/me/passkeys/registration-options')).body.options;
      const second = authenticator.create(fresh, ORIGIN);
      expect((await client.post('/api/me/passkeys', { credential: second })).status).toBe(200);
      expect((await client.post('/api/me/passkeys', { credential: second })).body.error).toBe('challenge_expired');
    });

    it('answers malformed credentials with 400 naming the field', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const bad = await user.client.post('/api/me/passkeys', { credential: { id: 'x', rawId: 'x', type: 'public-key', response: {}, clientExtensionResults: {} } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/clientDataJSON/);
      const garbage = await user.client.post('/api/me/passkeys', {
        credential: { id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: 'abc', attestationObject: 'abc' }, clientExtensionResults: {} },
      });
      expect(garbage.status).toBe(400);
      expect(garbage.body.error).toBe('challenge_expired');
    });
  });

  it('says passkeys are unavailable on an installation served on an IP address', async () => {
    const t = await app({ BASE_URL: 'http://127.0.0.1:3000' });
    expect((await t.client().get('/api/app-info')).body.passkeys).toBe(false);
    const { email, password } = await registerVerified(t);
    const client = t.client();
    await client.post('/api/auth/login', { email, password });
    const res = await client.post('/api/me/passkeys/registration-options');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('passkeys_unavailable');
    expect((await t.client().post('/api/auth/passkey/options')).body.error).toBe('passkeys_unavailable');
  });

  describe('adding more passkeys', () => {
    it('needs step-up once the account has a strong factor; then emails, records and holds withdrawals', async () => {
      const t = await app();
      const totpUser = await enrolledUser(t);
      const weak = await emailCodeSession(t, totpUser);
      const denied = await weak.post('/api/me/passkeys/registration-options');
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ error: 'step_up_required', stepUp: { methods: ['totp'] } });
      expect((await weak.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, totpUser.secret) })).status).toBe(200);
      const added = await addPasskey(weak, new SoftAuthenticator(), { name: 'Work laptop' });
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      expect(added.body.backupCodes).toBeUndefined();
      expect(added.body.passkey).toMatchObject({ name: 'Work laptop', disabled: false });
      const me = await weak.get('/api/me');
      expect(me.body.security.twoFactor.methods).toEqual(['passkey', 'totp', 'email_code', 'backup_code']);
      const row = await t.db.store.db.selectFrom('users').selectAll().where('email', '=', totpUser.email).executeTakeFirstOrThrow();
      expect((await holdsOf(t, row.id)).map((h) => h.reason)).toEqual(['passkey_added']);
      expect(await subjects(t, totpUser.email)).toContain(SUBJECTS.added);
    });

    it('does not register the same credential twice', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      expect((await stepUpWithPasskey(user.client, user.authenticator)).status).toBe(200);
      const options = (await user.client.post('/api/me/passkeys/registration-options')).body.options;
      expect(options.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([user.authenticator.credentials[0]!.id.toString('base64url')]);
      const again = user.authenticator.create(options, ORIGIN, { reuse: user.authenticator.credentials[0]! });
      const res = await user.client.post('/api/me/passkeys', { credential: again });
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('passkey_exists');
    });
  });

  describe('management', () => {
    it('lists name, authenticator, created and last used; renames; refuses bad names and unknown ids', async () => {
      const t = await app();
      const user = await passkeyUser(t, { aaguid: ICLOUD });
      let list = (await user.client.get('/api/me/passkeys')).body.passkeys;
      expect(list).toEqual([
        {
          id: user.passkeyId,
          name: 'iCloud Keychain',
          authenticator: 'iCloud Keychain',
          createdAt: new Date(t.clock.now()).toISOString(),
          lastUsedAt: null,
          backedUp: false,
          disabled: false,
          disabledReason: null,
        },
      ]);
      t.clock.advance(60_000);
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(200);
      list = (await user.client.get('/api/me/passkeys')).body.passkeys;
      expect(list[0].lastUsedAt).toBe(new Date(t.clock.now()).toISOString());

      // Renaming needs a fresh step-up (a renamed passkey could pass for the owner's own).
      t.clock.advance(10 * 60_000);
      const stale = await user.client.patch(`/api/me/passkeys/${user.passkeyId}`, { name: 'x' });
      expect([stale.status, stale.body.error]).toEqual([403, 'step_up_required']);
      expect((await stepUpWithPasskey(user.client, user.authenticator)).status).toBe(200);
      const renamed = await user.client.patch(`/api/me/passkeys/${user.passkeyId}`, { name: '  My iPhone  ' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.passkey.name).toBe('My iPhone');
      expect((await auditOf(t, 'passkey.renamed')).length).toBe(1);
      for (const name of ['', '   ', 'x'.repeat(65), 'bad\u0007name']) {
        const res = await user.client.patch(`/api/me/passkeys/${user.passkeyId}`, { name });
        expect(res.status, name).toBe(400);
        expect(res.body.message).toMatch(/name/);
      }
      expect((await user.client.patch('/api/me/passkeys/00000000-0000-4000-8000-000000000000', { name: 'x' })).status).toBe(404);
      expect((await user.client.patch('/api/me/passkeys/not-an-id', { name: 'x' })).status).toBe(400);
      // Another account's passkey is not found either.
      const other = await passkeyUser(t);
      expect((await other.client.patch(`/api/me/passkeys/${user.passkeyId}`, { name: 'mine' })).status).toBe(404);
      expect((await other.client.request('DELETE', `/api/me/passkeys/${user.passkeyId}`)).status).toBe(404);
      expect((await other.client.get('/api/me/passkeys')).body.passkeys).toHaveLength(1);
    });

    it('deletes after step-up, never the last strong factor; emails and holds withdrawals', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const weak = await emailCodeSession(t, user);
      const denied = await weak.request('DELETE', `/api/me/passkeys/${user.passkeyId}`);
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ error: 'step_up_required', stepUp: { methods: ['passkey'] } });
      // Backup codes and emailed codes are not strong.
      expect((await weak.post('/api/auth/step-up', { method: 'backup_code', code: user.backupCodes[0] })).status).toBe(400);
      expect((await stepUpWithPasskey(weak, user.authenticator)).status).toBe(200);
      const last = await weak.request('DELETE', `/api/me/passkeys/${user.passkeyId}`);
      expect(last.status).toBe(409);
      expect(last.body.error).toBe('last_strong_factor');

      const second = new SoftAuthenticator();
      const added = await addPasskey(weak, second, { name: 'Backup key' });
      expect(added.status).toBe(200);
      const removed = await weak.request('DELETE', `/api/me/passkeys/${user.passkeyId}`);
      expect(removed.status, JSON.stringify(removed.body)).toBe(200);
      expect((await weak.get('/api/me/passkeys')).body.passkeys.map((p: { name: string }) => p.name)).toEqual(['Backup key']);
      expect(await subjects(t, user.email)).toContain(SUBJECTS.removed);
      const row = await t.db.store.db.selectFrom('users').selectAll().where('email', '=', user.email).executeTakeFirstOrThrow();
      expect((await holdsOf(t, row.id)).map((h) => h.reason).sort()).toEqual(['passkey_added', 'passkey_removed']);
      expect((await auditOf(t, 'passkey.removed')).length).toBe(1);
      // The removed passkey no longer signs in.
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(401);
      // The security history shows the changes.
      const events = (await weak.get('/api/me/security-events')).body;
      expect(JSON.stringify(events)).toMatch(/Passkey removed/);
    });

    it('lets an account with an authenticator app remove its only passkey', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const added = await addPasskey(user.client, new SoftAuthenticator());
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      expect((await user.client.request('DELETE', `/api/me/passkeys/${added.body.passkey.id}`)).status).toBe(200);
    });
  });

  describe('the signature counter', () => {
    it('disables a passkey whose counter goes backwards, records it and emails the owner', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const credential = user.authenticator.credentials[0]!;
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(200);
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(200);
      const stored = await t.db.store.db.selectFrom('passkeys').select('counter').where('id', '=', user.passkeyId).executeTakeFirstOrThrow();
      expect(Number(stored.counter)).toBe(2);

      // A copy of the key, used later from where the original was a while ago.
      t.clock.advance(60_000);
      credential.counter = 0;
      const cloned = await passwordlessSignIn(t.client(), user.authenticator);
      expect(cloned.status).toBe(401);
      expect(cloned.body.error).toBe('invalid_credentials');
      const row = await t.db.store.db.selectFrom('passkeys').selectAll().where('id', '=', user.passkeyId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ disabled_reason: 'counter_regressed' });
      expect(row.disabled_at).not.toBeNull();
      // The copy may have made a session: every session ends, and withdrawals are held.
      expect((await user.client.get('/api/me')).status).toBe(401);
      const { id: userId } = await t.db.store.db.selectFrom('users').select('id').where('email', '=', user.email).executeTakeFirstOrThrow();
      expect((await holdsOf(t, userId)).map((h) => h.reason)).toEqual(['passkey_disabled']);
      const event = (await auditOf(t, 'passkey.disabled'))[0]!;
      expect(JSON.parse(event.data)).toMatchObject({ reason: 'counter_regressed', storedCounter: 2, receivedCounter: 1 });
      const mail = (await t.mailTo(user.email)).find((m) => m.subject === SUBJECTS.disabled);
      expect(mail?.text).toMatch(/lock-account\?token=/);
      // Disabled for good, even with a counter ahead again; it is no longer a strong factor.
      credential.counter = 100;
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(401);
      // The account keeps its emailed code and backup codes, and is never offered a fresh enrollment.
      const login = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.body.next).toEqual(['email_code', 'backup_code']);
      // A sign-in made just now (password and emailed code) may add a new passkey; an older session may not.
      const fresh = await emailCodeSession(t, user);
      expect((await fresh.get('/api/me')).body.security.passkeys).toEqual({ count: 0 });
      t.clock.advance(10 * 60_000);
      const old = await fresh.post('/api/me/passkeys/registration-options');
      expect([old.status, old.body.error]).toEqual([403, 'reauthentication_required']);
      const now = await emailCodeSession(t, user);
      const replacement = await addPasskey(now, new SoftAuthenticator(), { name: 'New phone' });
      expect(replacement.status, JSON.stringify(replacement.body)).toBe(200);
      expect((await holdsOf(t, userId)).map((h) => h.reason).sort()).toEqual(['passkey_added', 'passkey_disabled']);
    });

    it('refuses a stale response (two tabs, a retry) without disabling the passkey', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      const first = (await user.client.post('/api/auth/step-up/passkey-options')).body.options;
      t.clock.advance(1);
      const second = (await user.client.post('/api/auth/step-up/passkey-options')).body.options;
      const older = user.authenticator.get(first, ORIGIN); // counter 1
      const newer = user.authenticator.get(second, ORIGIN); // counter 2
      expect((await user.client.post('/api/auth/step-up', { method: 'passkey', credential: newer })).status).toBe(200);
      const late = await user.client.post('/api/auth/step-up', { method: 'passkey', credential: older });
      expect([late.status, late.body.error]).toEqual([401, 'invalid_passkey']);
      const row = await t.db.store.db.selectFrom('passkeys').selectAll().where('id', '=', user.passkeyId).executeTakeFirstOrThrow();
      expect(row.disabled_at).toBeNull();
      expect((await user.client.get('/api/me')).status).toBe(200);
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(200);
    });

    it('does not disable a passkey for a low counter in a response whose signature is wrong', async () => {
      const t = await app();
      const user = await passkeyUser(t);
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(200);
      const client = t.client();
      const options = (await client.post('/api/auth/passkey/options')).body.options;
      user.authenticator.credentials[0]!.counter = -1; // counts up to 0 for this response
      const forged = user.authenticator.get(options, ORIGIN);
      forged.response.signature = Buffer.from(forged.response.signature, 'base64url').reverse().toString('base64url');
      expect((await client.post('/api/auth/passkey/verify', { credential: forged })).status).toBe(401);
      const row = await t.db.store.db.selectFrom('passkeys').selectAll().where('id', '=', user.passkeyId).executeTakeFirstOrThrow();
      expect(row.disabled_at).toBeNull();
    });

    it('accepts providers that do not count (counter always 0)', async () => {
      const t = await app();
      const user = await passkeyUser(t, { counterStep: 0 });
      for (let i = 0; i < 3; i++) expect((await passwordThenPasskey(t.client(), user, user.authenticator)).status).toBe(200);
    });
  });
});
