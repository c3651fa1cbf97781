/** TOTP replay: no code (nor an older step, nor a backup code) is accepted twice, even in parallel flows. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, registerVerified } from '../../../test/accounts.ts';
import { SESSION } from '../../../test/cookies.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { startLogin } from '../../../test/login.ts';

describe.each(dialects)('sign-in on %s', (dialect) => {
  const app = testApps(dialect);

  describe('TOTP replay', () => {
    it('never accepts a code twice, even in the same 30 s step in another flow', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const code = codeFor(t, user.secret);
      const a = t.client();
      const flowA = await startLogin(a, user);
      expect((await a.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code })).status).toBe(200);
      const b = t.client();
      const flowB = await startLogin(b, user);
      const replay = await b.post('/api/auth/login/verify', { flow: flowB, method: 'totp', code });
      expect(replay.status).toBe(401);
      expect(replay.body.error).toBe('invalid_code');
      expect(b.cookies.has(SESSION)).toBe(false);
    });

    it('does not accept the code that confirmed the enrollment', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const enroller = t.client();
      await enroller.post('/api/auth/login', { email, password });
      const setup = await enroller.post('/api/me/2fa/totp/setup');
      const code = codeFor(t, setup.body.secret);
      expect((await enroller.post('/api/me/2fa/totp/confirm', { code })).status).toBe(200);
      const client = t.client();
      const flow = await startLogin(client, { email, password });
      const res = await client.post('/api/auth/login/verify', { flow, method: 'totp', code });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_code');
    });

    it('accepts one code once when it races in parallel flows; a backup code too', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const clients = Array.from({ length: 4 }, () => t.client());
      const flows = await Promise.all(clients.map((c) => startLogin(c, user)));
      const code = codeFor(t, user.secret);
      const totp = await Promise.all(clients.map((c, i) => c.post('/api/auth/login/verify', { flow: flows[i], method: 'totp', code })));
      expect(totp.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);

      const others = clients.filter((_, i) => totp[i]!.status !== 200);
      const otherFlows = flows.filter((_, i) => totp[i]!.status !== 200);
      const backup = user.backupCodes[0]!;
      const used = await Promise.all(others.map((c, i) => c.post('/api/auth/login/verify', { flow: otherFlows[i], method: 'backup_code', code: backup })));
      expect(used.map((r) => r.status).sort()).toEqual([200, 401, 401]);
      expect((await t.mailTo(user.email)).filter((m) => m.subject === 'Bastion: A backup code was used')).toHaveLength(1);
      expect(await t.db.store.db.selectFrom('sessions').select('id').where('revoked_at', 'is', null).execute()).toHaveLength(3);
    });

    it('rejects a code from an older step once a newer one was used', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const older = codeFor(t, user.secret, 0);
      const newer = codeFor(t, user.secret, 1); // one step of clock drift is allowed
      const a = t.client();
      const flowA = await startLogin(a, user);
      expect((await a.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code: newer })).status).toBe(200);
      const b = t.client();
      const flowB = await startLogin(b, user);
      const res = await b.post('/api/auth/login/verify', { flow: flowB, method: 'totp', code: older });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_code');
      // Two steps later a new code works again.
      t.clock.advance(60_000);
      expect((await b.post('/api/auth/login/verify', { flow: flowB, method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    });
  });
});
