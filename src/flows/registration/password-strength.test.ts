/** The password-strength endpoint: a score and the rule a password fails, for a strength meter. */
import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../../../test/accounts.ts';
import { dialects, type TestAppOptions, testApps } from '../../../test/harness.ts';
import { users } from '../../../test/registration.ts';

describe.each(dialects)('registration and email verification on %s', (dialect) => {
  const apps = testApps(dialect);
  const start = (options: TestAppOptions = {}) => apps(options.env, options);

  describe('password strength', () => {
    it('scores a password and names the rule it fails, for a strength meter', async () => {
      const app = await start();
      const c = app.client();
      const strong = await c.post('/api/auth/password/strength', { password: PASSWORD });
      expect(strong.status).toBe(200);
      expect(strong.body).toEqual({ ok: true, score: 4 });

      const checks: [Record<string, string>, string][] = [
        [{ password: 'kT9#vQ2' }, 'too_short'],
        [{ password: 'x7'.repeat(64) + 'y' }, 'too_long'],
        [{ password: 'password123' }, 'common_password'],
        [{ password: 'carol.smith-2024', email: 'carol.smith@example.com' }, 'resembles_email'],
      ];
      for (const [body, rule] of checks) {
        const res = await c.post('/api/auth/password/strength', body);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ ok: false, rule });
        expect(res.body.message).toMatch(/^Password /);
        expect([0, 1, 2, 3, 4]).toContain(res.body.score);
      }
      const common = await c.post('/api/auth/password/strength', { password: 'password123' });
      expect(common.body.score).toBeLessThan(strong.body.score);
      // Without an email, a password like the address is only scored, not refused.
      expect((await c.post('/api/auth/password/strength', { password: 'carol.smith-2024' })).body.ok).toBe(true);
      // Composition is off by default; nothing is stored or sent.
      expect((await c.post('/api/auth/password/strength', { password: 'violet-harbor-compass-91' })).body.ok).toBe(true);
      expect(await users(app)).toEqual([]);

      const bad = await c.post('/api/auth/password/strength', { password: 12345678 });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^password: /);
      const unknown = await c.post('/api/auth/password/strength', { password: PASSWORD, name: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/Unknown field: name/);
    });

    it('reports composition when PASSWORD_REQUIRE_COMPOSITION=true', async () => {
      const app = await start({ env: { PASSWORD_REQUIRE_COMPOSITION: 'true' } });
      const c = app.client();
      expect((await c.post('/api/auth/password/strength', { password: 'violet-harbor-compass-91' })).body).toMatchObject({ ok: false, rule: 'composition' });
      expect((await c.post('/api/auth/password/strength', { password: 'Violet-harbor-compass-91' })).body).toMatchObject({ ok: true });
    });

    it('limits strength checks per network, and sign-ups before any work on the password', async () => {
      const app = await start();
      const c = app.client({ ip: '2001:db8:7:7::1' });
      for (let i = 0; i < 300; i++) expect((await c.post('/api/auth/password/strength', { password: `x${i}` })).status).toBe(200);
      // Another address of the same /64 shares the count.
      expect((await app.client({ ip: '2001:db8:7:7::2' }).post('/api/auth/password/strength', { password: 'x' })).body.error).toBe('too_many_requests');
      // Sign-ups: the 21st from a network is refused before its password is looked at (a weak one too).
      const s = app.client({ ip: '203.0.113.77' });
      for (let i = 0; i < 20; i++) await s.post('/api/auth/register', { email: `n${i}@example.com`, password: 'short', acceptTerms: true });
      expect((await s.post('/api/auth/register', { email: 'n21@example.com', password: 'short', acceptTerms: true })).body.error).toBe('too_many_requests');
    });
  });
});
