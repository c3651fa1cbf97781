/** Sign-in flows: they expire after 10 minutes, are bound to their browser, die after 5 wrong codes; 10 wrong codes of a method lock that method. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, knownBrowser, signIn, signInWithEmailCode, wrongCode } from '../../../test/accounts.ts';
import { SESSION } from '../../../test/cookies.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { startLogin } from '../../../test/login.ts';
import { auditOf as auditEvents } from '../../../test/queries.ts';
import { MINUTE } from '../../../test/time.ts';

describe.each(dialects)('sign-in on %s', (dialect) => {
  const app = testApps(dialect);

  describe('flows', () => {
    it('expire after 10 minutes', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      t.clock.advance(10 * MINUTE);
      const verify = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(verify.status).toBe(400);
      expect(verify.body.error).toBe('flow_expired');
      const send = await client.post('/api/auth/login/email-code', { flow });
      expect(send.status).toBe(400);
      expect(send.body.error).toBe('flow_expired');
      expect(client.cookies.has(SESSION)).toBe(false);
    });

    it('are bound to the browser that started them', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const a = t.client();
      const flowA = await startLogin(a, user);
      const code = codeFor(t, user.secret);

      // Another browser with a flow cookie of its own.
      const b = t.client();
      await startLogin(b, user);
      const stolen = await b.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code });
      expect(stolen.status).toBe(400);
      expect(stolen.body.error).toBe('flow_expired');
      expect(b.cookies.has(SESSION)).toBe(false);
      expect((await b.post('/api/auth/login/email-code', { flow: flowA })).status).toBe(400);

      // A client with no flow cookie at all.
      const c = t.client();
      const bare = await c.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code });
      expect(bare.status).toBe(400);
      expect(bare.body.error).toBe('flow_expired');
      const send = await c.post('/api/auth/login/email-code', { flow: flowA });
      expect(send.status).toBe(400);
      expect(send.body.error).toBe('flow_expired');

      // None of that harmed the real browser's flow, nor consumed the code.
      const ok = await a.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    });

    it('die after 5 wrong codes: the 6th request, even with the right code, is flow_expired', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      for (let i = 0; i < 5; i++) {
        const res = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: wrongCode(t, user.secret) });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('invalid_code');
      }
      const right = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(right.status).toBe(400);
      expect(right.body.error).toBe('flow_expired');
      expect(client.cookies.has(SESSION)).toBe(false);
      expect(await auditEvents(t, 'mfa.failed')).toHaveLength(5);
      // A new flow still works (5 wrong codes do not lock the account).
      await signIn(t, user);
    });

    it('checks no more than 5 codes in one flow when wrong codes arrive at once', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      const valid = new Set([-1, 0, 1].map((s) => codeFor(t, user.secret, s)));
      const codes = Array.from({ length: 12 }, (_, i) => String(100_000 + i)).filter((c) => !valid.has(c)).slice(0, 8);
      const answers = await Promise.all(codes.map((code) => client.post('/api/auth/login/verify', { flow, method: 'totp', code })));
      const outcomes = answers.map((r) => `${r.status} ${r.body.error}`).sort();
      expect(outcomes).toEqual([...Array(3).fill('400 flow_expired'), ...Array(5).fill('401 invalid_code')]);
      expect(await auditEvents(t, 'mfa.failed')).toHaveLength(5);
    });

    it('10 wrong authenticator codes across flows lock the authenticator app for 15 minutes and email the owner; other methods still work', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const statuses: number[] = [];
      const client = knownBrowser(t, user);
      for (const count of [4, 4]) {
        const flow = await startLogin(client, user);
        for (let i = 0; i < count; i++) {
          statuses.push((await client.post('/api/auth/login/verify', { flow, method: 'totp', code: wrongCode(t, user.secret) })).status);
        }
      }
      expect(statuses).toEqual(Array(8).fill(401));
      const flow = await startLogin(client, user);
      // Wrong answers of other methods count on their own locks, not this one.
      expect((await client.post('/api/auth/login/verify', { flow, method: 'email_code', code: '000000' })).status).toBe(401);
      expect((await client.post('/api/auth/login/verify', { flow, method: 'backup_code', code: 'aaaaa-aaaaa' })).status).toBe(401);
      const locks = () => t.mailTo(user.email).then((m) => m.filter((x) => x.subject.startsWith('Bastion: Authenticator app: locked')));
      expect(await locks()).toHaveLength(0);
      const ninth = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: wrongCode(t, user.secret) });
      expect(ninth.status).toBe(401);
      const other = await startLogin(client, user);
      const tenth = await client.post('/api/auth/login/verify', { flow: other, method: 'totp', code: wrongCode(t, user.secret) });
      expect(tenth.status).toBe(429);

      // Locked: even the right code in a live flow.
      const right = await client.post('/api/auth/login/verify', { flow: other, method: 'totp', code: codeFor(t, user.secret) });
      expect(right.status).toBe(429);
      expect(right.body.error).toBe('account_locked');
      const lockedUntil = t.clock.now() + 15 * MINUTE;
      expect(right.body.lockedUntil).toBe(new Date(lockedUntil).toISOString());
      expect(right.headers['retry-after']).toBe('900');

      const lockMails = await locks();
      expect(lockMails).toHaveLength(1);
      // A lock for wrong codes has no unlock link: it must not hand out more guesses.
      expect(lockMails[0]!.text).not.toMatch(/\/unlock\?token=/);
      expect(lockMails[0]!.text).toContain('Your other methods still work');
      const locked = await auditEvents(t, 'account.locked');
      expect(locked).toHaveLength(1);
      expect(JSON.parse(locked[0]!.data)).toMatchObject({ reason: 'code', method: 'Authenticator app', hard: false, until: lockedUntil });

      // The password is not locked, and the emailed code signs in meanwhile.
      const byEmail = await signInWithEmailCode(t, user);
      expect((await byEmail.get('/api/me')).status).toBe(200);

      t.clock.advance(14 * MINUTE);
      const early = await startLogin(client, user);
      expect((await client.post('/api/auth/login/verify', { flow: early, method: 'totp', code: codeFor(t, user.secret) })).status).toBe(429);
      t.clock.advance(MINUTE);
      const fresh = await signIn(t, user);
      expect((await fresh.get('/api/me')).status).toBe(200);
    });
  });
});
