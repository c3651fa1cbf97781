/** Sessions in the security center: the live ones listed with device and location, one revoked, or all the others. */
import { describe, expect, it } from 'vitest';
import { enrolledUser, signIn } from '../../../test/accounts.ts';
import { FIREFOX_WINDOWS, GB } from '../../../test/browsers.ts';
import { SESSION } from '../../../test/cookies.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { auditOf } from '../../../test/queries.ts';
import { MINUTE } from '../../../test/time.ts';

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('sessions', () => {
    it('lists the live sessions with device, location and a current flag', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      t.clock.advance(MINUTE);
      const laptop = await signIn(t, user, t.client({ ip: GB, userAgent: FIREFOX_WINDOWS }));

      const res = await laptop.get('/api/me/sessions');
      expect(res.status).toBe(200);
      const sessions = res.body.sessions as { id: string; device: string; location: string; ip: string; createdAt: string; lastActiveAt: string; current: boolean }[];
      expect(sessions).toHaveLength(2);
      const current = sessions.filter((s) => s.current);
      expect(current).toHaveLength(1);
      expect(current[0]).toMatchObject({ device: 'Firefox 128 on Windows 10', location: 'Bracknell, GB', ip: GB });
      expect(sessions.find((s) => !s.current)).toMatchObject({ device: 'Chrome 126 on Linux', location: 'Unknown location', ip: '203.0.113.10' });
      const fromFirst = (await user.client.get('/api/me/sessions')).body.sessions as typeof sessions;
      expect(fromFirst.find((s) => s.current)!.id).not.toBe(current[0]!.id);
      expect((await t.client().get('/api/me/sessions')).status).toBe(401);
    });

    it('revoking one session ends it at once; an unknown or foreign id is 404', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const laptop = await signIn(t, user);
      const sessions = (await laptop.get('/api/me/sessions')).body.sessions as { id: string; current: boolean }[];
      const target = sessions.find((s) => !s.current)!;

      const res = await laptop.delete(`/api/me/sessions/${target.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'revoked' });
      const dead = await user.client.get('/api/me');
      expect(dead.status).toBe(401);
      expect(dead.body.error).toBe('not_authenticated');
      expect((await laptop.get('/api/me')).status).toBe(200);
      expect(await auditOf(t, 'session.revoked')).toHaveLength(1);

      expect((await laptop.delete(`/api/me/sessions/${target.id}`)).status).toBe(404);
      const unknown = await laptop.delete('/api/me/sessions/no-such-session');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('not_found');

      // Another account's session: not found, and untouched.
      const other = await enrolledUser(t);
      const theirs = ((await other.client.get('/api/me/sessions')).body.sessions as { id: string }[])[0]!;
      expect((await laptop.delete(`/api/me/sessions/${theirs.id}`)).status).toBe(404);
      expect((await other.client.get('/api/me')).status).toBe(200);

      // Revoking the current session signs this browser out.
      const own = ((await laptop.get('/api/me/sessions')).body.sessions as { id: string; current: boolean }[]).find((s) => s.current)!;
      expect((await laptop.delete(`/api/me/sessions/${own.id}`)).status).toBe(200);
      expect(laptop.cookies.has(SESSION)).toBe(false);
      expect((await laptop.get('/api/me')).status).toBe(401);
    });

    it('revoke-others ends every other session and reports how many', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const b = await signIn(t, user);
      const c = await signIn(t, user, t.client({ ip: GB }));

      const res = await user.client.post('/api/me/sessions/revoke-others');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'revoked', count: 2 });
      expect((await b.get('/api/me')).status).toBe(401);
      expect((await c.get('/api/me')).status).toBe(401);
      expect((await user.client.get('/api/me')).status).toBe(200);
      expect((await user.client.get('/api/me/sessions')).body.sessions).toHaveLength(1);
      expect((await user.client.post('/api/me/sessions/revoke-others')).body).toEqual({ status: 'revoked', count: 0 });
      expect(await auditOf(t, 'session.revoked_others')).toHaveLength(2);
    });
  });
});
