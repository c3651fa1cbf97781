/** Security-center route guards: every route needs a full session. */
import { describe, expect, it } from 'vitest';
import { registerVerified } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { userRow } from '../../../test/queries.ts';

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('guards', () => {
    it('every security-center route needs a full session: 401 without one, 403 enroll_2fa_required for a restricted one', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const restricted = t.client();
      expect((await restricted.post('/api/auth/login', { email, password })).body.next).toEqual(['enroll_2fa']);
      const routes: [string, string, unknown?][] = [
        ['PUT', '/api/me/anti-phishing-code', { code: 'abcd' }],
        ['DELETE', '/api/me/anti-phishing-code'],
        ['GET', '/api/me/activity'],
        ['GET', '/api/me/sessions'],
        ['DELETE', '/api/me/sessions/some-id'],
        ['POST', '/api/me/sessions/revoke-others'],
        ['GET', '/api/me/devices'],
        ['DELETE', '/api/me/devices/some-id'],
        ['POST', '/api/me/lock'],
        ['GET', '/api/me/security-events'],
      ];
      for (const [method, url, body] of routes) {
        const anonymous = await t.client().request(method, url, body);
        expect(anonymous.status, `${method} ${url}`).toBe(401);
        expect(anonymous.body.error).toBe('not_authenticated');
        const limited = await restricted.request(method, url, body);
        expect(limited.status, `${method} ${url}`).toBe(403);
        expect(limited.body.error, `${method} ${url}`).toBe('enroll_2fa_required');
      }
      expect((await userRow(t, email)).frozen_at).toBeNull();
    });
  });
});
