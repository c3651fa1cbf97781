/** The signature counter: a counter going backwards disables the passkey (a copy of it is in use); a stale response, a forged low counter or a provider that does not count does not. */
import { knownBrowser } from '../../../test/accounts.ts';
import { describe, expect, it } from 'vitest';
import { dialects, testApps } from '../../../test/harness.ts';
import { SUBJECTS } from '../../../test/mail.ts';
import { auditOf, holdsOf } from '../../../test/queries.ts';
import { addPasskey, emailCodeSession, ORIGIN, passkeyUser, passwordlessSignIn, passwordThenPasskey } from '../../../test/passkeys.ts';
import { SoftAuthenticator } from '../../../test/soft-authenticator.ts';
import { MINUTE } from '../../../test/time.ts';

describe.each(dialects)('passkeys on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

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
      t.clock.advance(MINUTE);
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
      const mail = (await t.mailTo(user.email)).find((m) => m.subject === SUBJECTS.passkeyDisabled);
      expect(mail?.text).toMatch(/lock-account\?token=/);
      // Disabled for good, even with a counter ahead again; it is no longer a strong factor.
      credential.counter = 100;
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(401);
      // The account keeps its emailed code and backup codes, and is never offered a fresh enrollment.
      const login = await knownBrowser(t, user).post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.body.next).toEqual(['email_code', 'backup_code']);
      // From a new device, only the backup codes are left.
      expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).body.next).toEqual(['backup_code']);
      // A sign-in made just now (password and emailed code) may add a new passkey; an older session may not.
      const fresh = await emailCodeSession(t, user);
      expect((await fresh.get('/api/me')).body.security.passkeys).toEqual({ count: 0 });
      t.clock.advance(10 * MINUTE);
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
