/** The password step: a wrong password, an unknown email and an account not verified yet look the same; the email is normalised. */
import { describe, expect, it } from 'vitest';
import { passwordKey } from '../../account/locks.ts';
import { PASSWORD, registerVerified, uniqueEmail, verificationFrom } from '../../../test/accounts.ts';
import { FLOW, SESSION } from '../../../test/cookies.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { auditOf as auditEvents, userRow } from '../../../test/queries.ts';
import { LOCKOUT_ENV } from '../../../test/recovery.ts';
import { MINUTE } from '../../../test/time.ts';

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

    it('answers the right password of an account not verified yet exactly as a wrong password at a taken address, and counts it toward the same lock', async () => {
      const t = await app(LOCKOUT_ENV.env);
      const taken = await registerVerified(t);
      const free = uniqueEmail('unverified');
      const client = t.client();
      // An enumerator signs up with a free address, then signs in with the password just chosen.
      expect((await client.post('/api/auth/register', { email: free, password: PASSWORD, acceptTerms: true })).status).toBe(202);
      expect((await client.post('/api/auth/register', { email: taken.email, password: PASSWORD, acceptTerms: true })).status).toBe(202);
      const unverified = await client.post('/api/auth/login', { email: free, password: PASSWORD });
      const wrong = await client.post('/api/auth/login', { email: taken.email, password: PASSWORD.replace('91', '19') });
      expect(unverified.status).toBe(401);
      expect(unverified.body).toEqual({ error: 'invalid_credentials', message: 'The email or password is not right.' });
      expect(unverified.body).toEqual(wrong.body);
      expect(unverified.headers['set-cookie']).toEqual(wrong.headers['set-cookie']);
      expect(client.cookies.has(SESSION)).toBe(false);
      expect(client.cookies.has(FLOW)).toBe(false);
      // The audit log knows why (against the account); the answer does not.
      const failed = await auditEvents(t, 'login.failed');
      expect(failed.map((e) => JSON.parse(e.data).reason)).toEqual(['email_not_verified', 'wrong_password']);
      expect(failed[0]!.user_id).toBe((await userRow(t, free)).id);

      // Four more tries of each: both addresses lock alike, at the same attempt, for as long.
      const answers = async (email: string, password: string) => {
        const seen: [number, string][] = [];
        for (let i = 0; i < 5; i++) {
          const res = await client.post('/api/auth/login', { email, password });
          seen.push([res.status, res.body.error]);
        }
        return seen;
      };
      const freeAnswers = await answers(free, PASSWORD);
      const takenAnswers = await answers(taken.email, 'still-not-the-password-7');
      expect(freeAnswers).toEqual(takenAnswers);
      expect(freeAnswers.map(([status]) => status)).toEqual([401, 401, 401, 401, 429]);
      expect(await t.deps.throttle.lockedUntil(passwordKey(free))).toBe(await t.deps.throttle.lockedUntil(passwordKey(taken.email)));

      // Once the address is verified (and the lock is over), the password signs in.
      t.clock.advance(15 * MINUTE);
      const { token } = await verificationFrom(t, free);
      expect((await client.post('/api/auth/verify-email', { token })).status).toBe(200);
      const ok = await client.post('/api/auth/login', { email: free, password: PASSWORD });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.next).toEqual(['enroll_2fa']);
    });
  });
});
