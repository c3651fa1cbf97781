/** Emailed sign-in codes: 10 minutes, single-use, bound to their flow, replaced by a new send, 3 sends per 10 minutes. */
import { describe, expect, it } from 'vitest';
import { enrolledUser, knownBrowser } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { emailCode, startLogin } from '../../../test/login.ts';
import { MINUTE } from '../../../test/time.ts';

describe.each(dialects)('sign-in on %s', (dialect) => {
  const app = testApps(dialect);

  describe('emailed codes', () => {
    it('expire after 10 minutes', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = knownBrowser(t, user);
      const flow = await startLogin(client, user);
      expect((await client.post('/api/auth/login/email-code', { flow })).status).toBe(202);
      const code = await emailCode(t, user.email);
      // The code is a single-use token bound to the flow (account/tokens.ts).
      const row = await t.db.store.db.selectFrom('one_time_tokens').selectAll().where('purpose', '=', 'email_code').executeTakeFirstOrThrow();
      expect(row.expires_at).toBe(t.clock.now() + 10 * MINUTE);
      // Keep the flow alive beyond its own 10 minutes, so that only the code's expiry is in play.
      await t.db.store.db.updateTable('login_flows').set({ expires_at: t.clock.now() + 60 * MINUTE }).execute();
      t.clock.advance(10 * MINUTE);
      const late = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code });
      expect(late.status).toBe(401);
      expect(late.body.error).toBe('invalid_code');
      // A new code in the same flow works.
      expect((await client.post('/api/auth/login/email-code', { flow })).status).toBe(202);
      const fresh = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code: await emailCode(t, user.email) });
      expect(fresh.status).toBe(200);
    });

    it('work until just before 10 minutes, and the whole flow ends at 10 minutes anyway', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = knownBrowser(t, user);
      const flow = await startLogin(client, user);
      await client.post('/api/auth/login/email-code', { flow });
      const code = await emailCode(t, user.email);
      t.clock.advance(10 * MINUTE - 1000);
      expect((await client.post('/api/auth/login/verify', { flow, method: 'email_code', code })).status).toBe(200);

      const late = knownBrowser(t, user);
      const flow2 = await startLogin(late, user);
      await late.post('/api/auth/login/email-code', { flow: flow2 });
      const code2 = await emailCode(t, user.email);
      t.clock.advance(10 * MINUTE);
      const res = await late.post('/api/auth/login/verify', { flow: flow2, method: 'email_code', code: code2 });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('flow_expired');
    });

    it('are single-use and bound to their flow', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const a = knownBrowser(t, user);
      const flowA = await startLogin(a, user);
      await a.post('/api/auth/login/email-code', { flow: flowA });
      const code = await emailCode(t, user.email);

      // Another flow (another browser) cannot use flow A's code.
      const b = knownBrowser(t, user);
      const flowB = await startLogin(b, user);
      const elsewhere = await b.post('/api/auth/login/verify', { flow: flowB, method: 'email_code', code });
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.body.error).toBe('invalid_code');

      expect((await a.post('/api/auth/login/verify', { flow: flowA, method: 'email_code', code })).status).toBe(200);
      // Used: not again, neither in its own (ended) flow nor in another.
      const replay = await a.post('/api/auth/login/verify', { flow: flowA, method: 'email_code', code });
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('flow_expired');
      const replayB = await b.post('/api/auth/login/verify', { flow: flowB, method: 'email_code', code });
      expect(replayB.status).toBe(401);
      expect(await t.db.store.db.selectFrom('sessions').select('id').where('auth_method', '=', 'password+email_code').execute()).toHaveLength(1);
    });

    it('a new send replaces the old code', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = knownBrowser(t, user);
      const flow = await startLogin(client, user);
      await client.post('/api/auth/login/email-code', { flow });
      const first = await emailCode(t, user.email);
      await client.post('/api/auth/login/email-code', { flow });
      const second = await emailCode(t, user.email);
      expect(second).not.toBe(first);
      const old = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code: first });
      expect(old.status).toBe(401);
      expect(old.body.error).toBe('invalid_code');
      expect((await client.post('/api/auth/login/verify', { flow, method: 'email_code', code: second })).status).toBe(200);
    });

    it('leave one live code per flow even when sends race', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = knownBrowser(t, user);
      const flow = await startLogin(client, user);
      const sends = await Promise.all([1, 2, 3].map(() => client.post('/api/auth/login/email-code', { flow })));
      expect(sends.map((r) => r.status)).toEqual([202, 202, 202]);
      const live = await t.db.store.db.selectFrom('one_time_tokens').select('id').where('purpose', '=', 'email_code').where('used_at', 'is', null).execute();
      expect(live).toHaveLength(1);
    });

    it('can be sent 3 times in 10 minutes; the 4th is 429', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = knownBrowser(t, user);
      const flow = await startLogin(client, user);
      for (let i = 0; i < 3; i++) expect((await client.post('/api/auth/login/email-code', { flow })).status).toBe(202);
      t.clock.advance(2 * MINUTE);
      const fourth = await client.post('/api/auth/login/email-code', { flow });
      expect(fourth.status).toBe(429);
      expect(fourth.body.error).toBe('too_many_requests');
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      expect(fourth.body.retryAfter).toBe(Number(fourth.headers['retry-after']));
      // The limit is per user, not per flow.
      const other = knownBrowser(t, user);
      const flow2 = await startLogin(other, user);
      expect((await other.post('/api/auth/login/email-code', { flow: flow2 })).status).toBe(429);
      expect((await t.mailTo(user.email)).filter((m) => m.subject === 'Bastion: Your sign-in code')).toHaveLength(3);
    });
  });
});
