/** Enrolling passkeys: the registration options (discoverable, user verification, no attestation, EdDSA/ES256/RS256, RP id from config), refusals (no user verification, not discoverable, another origin, a used or foreign challenge, an IP-address installation), the first passkey as the only second factor, and step-up before adding more. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, knownBrowser, registerVerified } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { SUBJECTS, subjects } from '../../../test/mail.ts';
import { auditOf, holdsOf, userRow } from '../../../test/queries.ts';
import { addPasskey, emailCodeSession, ICLOUD, ORIGIN, passkeyUser, passwordlessSignIn, stepUpWithPasskey } from '../../../test/passkeys.ts';
import { SoftAuthenticator, type Algorithm } from '../../../test/soft-authenticator.ts';
import { MINUTE } from '../../../test/time.ts';

describe.each(dialects)('passkeys on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

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
      expect(await subjects(t, user.email)).toContain(SUBJECTS.passkeyAdded);
      const added = await auditOf(t, 'passkey.added');
      expect(JSON.parse(added[0]!.data)).toMatchObject({ aaguid: ICLOUD, firstFactor: true });
      // No withdrawal hold for the account's first factor; the browser became a known device.
      const row = await userRow(t, user.email);
      expect(await holdsOf(t, row.id)).toHaveLength(0);
      expect(await t.db.store.db.selectFrom('known_devices').select('id').where('user_id', '=', row.id).execute()).toHaveLength(1);
      // The next sign-in offers the passkey first, and never the enrollment again.
      const login = await knownBrowser(t, user).post('/api/auth/login', { email: user.email, password: user.password });
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

      t.clock.advance(5 * MINUTE);
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
      const row = await userRow(t, totpUser.email);
      expect((await holdsOf(t, row.id)).map((h) => h.reason)).toEqual(['passkey_added']);
      expect(await subjects(t, totpUser.email)).toContain(SUBJECTS.passkeyAdded);
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
});
