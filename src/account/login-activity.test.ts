/** Login activity: every attempt recorded, listed newest first to its owner, paged by cursor, and pruned after 365 days. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, registerVerified, signIn, wrongCode } from '../../test/accounts.ts';
import { GB } from '../../test/browsers.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { lastMail, sixDigits, SUBJECTS } from '../../test/mail.ts';
import { DAY, MINUTE } from '../../test/time.ts';
import { pruneActivity } from './activity.ts';
import type { ActivityEntry as Entry } from '../contracts/security-center.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('login activity', () => {
    it('lists every kind of attempt newest first, with device, location, result and method', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
      const user = await enrolledUser(t);
      const wrong = { email: user.email, password: `${user.password}-nope` };
      const start = t.clock.now();
      t.clock.advance(MINUTE);

      // A wrong password from this computer, then 4 more from elsewhere: the account locks...
      expect((await t.client({ ip: '127.0.0.1' }).post('/api/auth/login', wrong)).status).toBe(401);
      for (let i = 0; i < 4; i++) {
        t.clock.advance(MINUTE);
        expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      }
      // ...so even the right password is refused.
      t.clock.advance(MINUTE);
      expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(429);

      // After the lock: a wrong code, the right one from a new device (held), then the emailed code.
      t.clock.advance(15 * MINUTE);
      const client = t.client({ ip: GB });
      const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(200);
      t.clock.advance(MINUTE);
      expect((await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: wrongCode(t, user.secret) })).status).toBe(401);
      t.clock.advance(MINUTE);
      const held = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(held.body.next).toEqual(['confirm_device']);
      t.clock.advance(MINUTE);
      const code = sixDigits(await lastMail(t, user.email, SUBJECTS.confirmDevice));
      expect((await client.post('/api/auth/login/confirm-device', { flow: login.body.flow, code })).status).toBe(200);

      const res = await client.get('/api/me/activity');
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      // (Leaving out what the enrollment itself recorded.)
      const entries = (res.body.entries as Entry[]).filter((e) => Date.parse(e.at) > start);
      expect(entries.map((e) => [e.result, e.method, e.location, e.ip])).toEqual([
        ['success', 'totp', 'Bracknell, GB', GB],
        ['device_pending', 'totp', 'Bracknell, GB', GB],
        ['wrong_code', 'totp', 'Bracknell, GB', GB],
        ['locked', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'This computer', '127.0.0.1'],
      ]);
      for (const e of entries) {
        expect(e.device).toContain('Chrome');
        expect(e.id).toBeTruthy();
        expect(Array.isArray(e.riskSignals)).toBe(true);
      }
      const times = entries.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(new Set(times).size).toBe(times.length);
      expect(entries[0]!.at).toBe(new Date(t.clock.now()).toISOString());
      // Five wrong passwords, a lock and a wrong code in the last hour.
      expect(entries[1]!.riskSignals).toContain('recent_failures');

      // Only the owner's attempts, and only when signed in.
      expect((await t.client().get('/api/me/activity')).status).toBe(401);
      const other = await enrolledUser(t);
      const theirs = (await other.client.get('/api/me/activity')).body.entries as Entry[];
      expect(theirs.filter((e) => e.result !== 'success')).toEqual([]); // at most their own enrollment
      expect(theirs.some((e) => entries.some((mine) => mine.id === e.id))).toBe(false);
    });

    it('pages with a cursor: limit=2 walks every entry once, in the same order', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const wrong = { email: user.email, password: `${user.password}-nope` };
      // Some attempts share a millisecond, to check the order is still total.
      for (let i = 0; i < 3; i++) expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      t.clock.advance(MINUTE);
      expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      await signIn(t, user);
      t.clock.advance(MINUTE);
      for (let i = 0; i < 2; i++) expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      const reader = await signIn(t, user);

      const all = (await reader.get('/api/me/activity?limit=100')).body.entries as Entry[];
      const total = (await t.db.store.db.selectFrom('login_activity').select('id').execute()).length;
      expect(total).toBeGreaterThanOrEqual(8); // 6 wrong passwords, 2 sign-ins (and the enrollment)
      expect(all).toHaveLength(total);

      const seen: Entry[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/me/activity?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await reader.get(url);
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        expect(page.body.entries.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.entries);
        cursor = page.body.nextCursor;
        pages++;
        expect(pages).toBeLessThanOrEqual(10);
      } while (cursor);
      expect(pages).toBe(Math.ceil(total / 2));
      expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect(new Set(seen.map((e) => e.id)).size).toBe(total);

      // The default page size is 20.
      expect((await reader.get('/api/me/activity')).body.entries).toHaveLength(total);
    });

    it('answers a bad cursor or limit with 400, never 500', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const cursors = [
        'garbage',
        '!!!!',
        b64('abc:def'),
        b64('123:'),
        b64(':abc'),
        b64('1e5:abc'),
        b64('-5:abc'),
        b64('99999999999999999999:abc'),
        b64('9223372036854775808:abc'),
      ];
      for (const cursor of cursors) {
        const res = await user.client.get(`/api/me/activity?cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, cursor).toBe(400);
        expect(res.body.error, cursor).toBe('invalid_cursor');
      }
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', `cursor=${'x'.repeat(201)}`, 'other=1']) {
        const res = await user.client.get(`/api/me/activity?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error, query).toBe('invalid_request');
      }
    });

    it('pruneActivity deletes entries older than 365 days and keeps newer ones', async () => {
      const t = await app();
      const user = await registerVerified(t); // no 2FA yet: only these attempts are recorded
      const wrong = { email: user.email, password: `${user.password}-nope` };
      const count = async () => (await t.db.store.db.selectFrom('login_activity').select('id').execute()).length;

      expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      const oldAt = t.clock.now();
      t.clock.advance(200 * DAY);
      expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      await t.deps.later.idle(); // a refusal's activity row is written after its answer, at the refusal's time
      expect(await count()).toBe(2);

      t.clock.advance(165 * DAY); // the first entry is exactly 365 days old: kept
      expect(t.clock.now() - oldAt).toBe(365 * DAY);
      expect(await pruneActivity(t.deps)).toBe(0);
      t.clock.advance(1);
      expect(await pruneActivity(t.deps)).toBe(1);
      const left = await t.db.store.db.selectFrom('login_activity').select('at').execute();
      expect(left.map((r) => Number(r.at))).toEqual([oldAt + 200 * DAY]);

      t.clock.advance(200 * DAY);
      expect(await pruneActivity(t.deps)).toBe(1);
      expect(await count()).toBe(0);
    });
  });
});
