/** Withdrawal holds after a password change or reset (the anti-phishing and freeze holds are proved with those rules). */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, NEW_PASSWORD, PASSWORD } from '../../test/accounts.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { userRow } from '../../test/queries.ts';
import { resetToken } from '../../test/recovery.ts';
import { DAY, MINUTE } from '../../test/time.ts';

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('withdrawal holds after other security changes', () => {
    it('holds withdrawals after a password change or reset; a change also ends sign-ins begun with the old password', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const { id } = await userRow(t, user.email);
      // Someone who had the old password and is half-way through signing in elsewhere.
      const elsewhere = t.client();
      const started = await elsewhere.post('/api/auth/login', { email: user.email, password: user.password });
      expect(started.status).toBe(200);

      expect((await user.client.post('/api/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD })).status).toBe(200);
      t.clock.advance(30_000);
      const finish = await elsewhere.post('/api/auth/login/verify', { flow: started.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect([finish.status, finish.body.error]).toEqual([400, 'flow_expired']);

      t.clock.advance(MINUTE);
      const token = await resetToken(t, user.email);
      const reset = await t.client().post('/api/auth/password/reset', { token, password: PASSWORD, code: codeFor(t, user.secret, 1) });
      expect(reset.status, JSON.stringify(reset.body)).toBe(200);
      const holds = await t.db.store.db.selectFrom('withdrawal_holds').selectAll().where('user_id', '=', id).orderBy('created_at').execute();
      expect(holds.map((h) => h.reason)).toEqual(['password_changed', 'password_reset']);
      expect(Number(holds[1]!.until) - Number(holds[1]!.created_at)).toBe(DAY);
    });
  });
});
