/** The security-events history: the account's security changes, newest first, never sign-ins. */
import { describe, expect, it } from 'vitest';
import { enrolledUser, signIn } from '../../../test/accounts.ts';
import { GB } from '../../../test/browsers.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { MINUTE } from '../../../test/time.ts';

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('security events', () => {
    it('lists the security changes newest first, never sign-ins', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      t.clock.advance(MINUTE);
      expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' })).status).toBe(200);
      t.clock.advance(MINUTE);
      expect((await t.client().post('/api/auth/login', { email: user.email, password: `${user.password}-nope` })).status).toBe(401);
      const laptop = await signIn(t, user, t.client({ ip: GB }));
      t.clock.advance(MINUTE);
      const target = ((await laptop.get('/api/me/sessions')).body.sessions as { id: string; current: boolean }[]).find((s) => s.current)!;
      expect((await user.client.delete(`/api/me/sessions/${target.id}`)).status).toBe(200);

      const res = await user.client.get('/api/me/security-events');
      expect(res.status).toBe(200);
      const events = res.body.events as { at: string; type: string; description: string; ip: string | null; device: string | null; location: string | null }[];
      expect(events.map((e) => e.type)).toEqual(['session.revoked', 'security.anti_phishing_changed', 'mfa.totp_enabled', 'email.verified', 'account.registered']);
      expect(events.some((e) => e.type.startsWith('login.'))).toBe(false);
      const times = events.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(events[0]).toMatchObject({ description: 'Session ended', ip: '203.0.113.10', device: 'Chrome 126 on Linux', location: 'Unknown location' });
      expect(events[1]!.description).toBe('Anti-phishing code set');
      expect(JSON.stringify(events)).not.toContain('Blue-Falcon_42');

      expect((await t.client().get('/api/me/security-events')).status).toBe(401);
      const other = await enrolledUser(t);
      expect(((await other.client.get('/api/me/security-events')).body.events as { type: string }[]).map((e) => e.type)).toEqual([
        'mfa.totp_enabled',
        'email.verified',
        'account.registered',
      ]);
    });
  });
});
