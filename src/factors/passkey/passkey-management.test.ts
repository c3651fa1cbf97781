/** Managing passkeys: the list (with the authenticator's name and last use), rename and delete after step-up, never the last strong factor; emails, audit events and withdrawal holds. */
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { SUBJECTS, subjects } from '../../../test/mail.ts';
import { auditOf, holdsOf, userRow } from '../../../test/queries.ts';
import { addPasskey, emailCodeSession, ICLOUD, passkeyUser, passwordlessSignIn, stepUpWithPasskey } from '../../../test/passkeys.ts';
import { SoftAuthenticator } from '../../../test/soft-authenticator.ts';
import { MINUTE } from '../../../test/time.ts';

describe.each(dialects)('passkeys on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

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
      t.clock.advance(MINUTE);
      expect((await passwordlessSignIn(t.client(), user.authenticator)).status).toBe(200);
      list = (await user.client.get('/api/me/passkeys')).body.passkeys;
      expect(list[0].lastUsedAt).toBe(new Date(t.clock.now()).toISOString());

      // Renaming needs a fresh step-up (a renamed passkey could pass for the owner's own).
      t.clock.advance(10 * MINUTE);
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
      expect(await subjects(t, user.email)).toContain(SUBJECTS.passkeyRemoved);
      const row = await userRow(t, user.email);
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
});
