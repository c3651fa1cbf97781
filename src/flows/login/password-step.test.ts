/** The password step: a wrong password and an unknown email look the same, the email is normalised, an unverified account is told to verify. */
import { describe, expect, it } from 'vitest';
import { PASSWORD, registerVerified, uniqueEmail } from '../../../test/accounts.ts';
import { FLOW, SESSION } from '../../../test/cookies.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { auditOf as auditEvents } from '../../../test/queries.ts';

describe.each(dialects)('sign-in on %s', (dialect) => {
  const app = testApps(dialect);

  describe('password step', () => {
    it('answers a wrong password and an unknown email identically, and audits the difference', async () => {
      const t = await app();
      const { email } = await registerVerified(t);
      const unknown = uniqueEmail('nobody');
      const client = t.client();
      const wrong = await client.post('/api/auth/login', { email, password: 'not-the-right-password-1' });
      const missing = await client.post('/api/auth/login', { email: unknown, password: 'not-the-right-password-1' });
      expect(wrong.status).toBe(401);
      expect(missing.status).toBe(wrong.status);
      expect(wrong.body).toEqual({ error: 'invalid_credentials', message: 'The email or password is not right.' });
      expect(missing.body).toEqual(wrong.body);
      expect(missing.headers['set-cookie']).toEqual(wrong.headers['set-cookie']);
      expect(client.cookies.size).toBe(0);
      const failed = await auditEvents(t, 'login.failed');
      expect(failed.map((e) => JSON.parse(e.data).reason)).toEqual(['wrong_password', 'unknown_email']);
      expect(failed[0]!.user_id).not.toBeNull();
      expect(failed[1]!.user_id).toBeNull();
      // No password or email-address secret ends up in the audit data.
      expect(JSON.stringify(failed)).not.toContain('not-the-right-password-1');
    });

    it('normalises the email (case and spaces)', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const res = await t.client().post('/api/auth/login', { email: `  ${email.toUpperCase()} `, password });
      expect(res.status).toBe(200);
      expect(res.body.next).toEqual(['enroll_2fa']);
    });

    it('refuses an unverified account with 403 and a way to resend', async () => {
      const t = await app();
      const email = uniqueEmail('unverified');
      const client = t.client();
      expect((await client.post('/api/auth/register', { email, password: PASSWORD })).status).toBe(202);
      const res = await client.post('/api/auth/login', { email, password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('email_not_verified');
      expect(res.body.resend).toMatchObject({ endpoint: '/api/auth/resend-verification', body: { email } });
      expect(client.cookies.has(SESSION)).toBe(false);
      expect(client.cookies.has(FLOW)).toBe(false);
      // With a wrong password it is the usual 401: the 403 is only shown to the password's owner.
      const wrong = await client.post('/api/auth/login', { email, password: 'wrong-password-entirely' });
      expect(wrong.status).toBe(401);
    });
  });
});
