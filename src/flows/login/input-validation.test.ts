/** Sign-in input validation: bad input is 400 naming the field (never 500) and costs no attempt; an unknown flow is flow_expired. */
import { describe, expect, it } from 'vitest';
import { codeFor, type Enrolled, enrolledUser, PASSWORD } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { startLogin } from '../../../test/login.ts';
import { auditOf as auditEvents } from '../../../test/queries.ts';

describe.each(dialects)('sign-in on %s', (dialect) => {
  const app = testApps(dialect);

  describe('bad input', () => {
    it('answers 400 naming the field, never 500', async () => {
      const t = await app();
      const user: Enrolled = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      const email = user.email;
      const cases: [string, unknown, RegExp][] = [
        ['/api/auth/login', {}, /^email: is required/],
        ['/api/auth/login', { email }, /^password: is required/],
        ['/api/auth/login', { password: PASSWORD }, /^email: is required/],
        ['/api/auth/login', { email: 42, password: PASSWORD }, /^email: /],
        ['/api/auth/login', { email, password: ['x'] }, /^password: /],
        ['/api/auth/login', { email, password: PASSWORD, remember: true }, /Unknown field: remember/],
        ['/api/auth/login', { email: '', password: PASSWORD }, /^email: /],
        ['/api/auth/login', { email, password: '' }, /^password: is required/],
        ['/api/auth/login', { email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }, /^email: must be at most 254/],
        ['/api/auth/login', { email, password: 'x'.repeat(5000) }, /^password: is far too long/],
        ['/api/auth/login', { email: 'not-an-email', password: PASSWORD }, /^email: must be a valid email/],
        ['/api/auth/login', [email, PASSWORD], /body|expected object/i],
        ['/api/auth/login/email-code', {}, /^flow: is required/],
        ['/api/auth/login/email-code', { flow: 7 }, /^flow: /],
        ['/api/auth/login/email-code', { flow: '' }, /^flow: is required/],
        ['/api/auth/login/email-code', { flow: 'x'.repeat(600) }, /^flow: /],
        ['/api/auth/login/email-code', { flow, extra: 1 }, /Unknown field: extra/],
        ['/api/auth/login/verify', { method: 'totp', code: '123456' }, /^flow: is required/],
        ['/api/auth/login/verify', { flow, code: '123456' }, /^method: /],
        ['/api/auth/login/verify', { flow, method: 'totp' }, /^code: is required/],
        ['/api/auth/login/verify', { flow, method: 'sms', code: '123456' }, /^method: /],
        ['/api/auth/login/verify', { flow, method: 'TOTP', code: '123456' }, /^method: /],
        ['/api/auth/login/verify', { flow, method: 'totp', code: 123456 }, /^code: /],
        ['/api/auth/login/verify', { flow, method: 'totp', code: '' }, /^code: is required/],
        ['/api/auth/login/verify', { flow, method: 'totp', code: '   ' }, /^code: is required/],
        ['/api/auth/login/verify', { flow, method: 'totp', code: '1'.repeat(100) }, /^code: /],
        ['/api/auth/login/verify', { flow: '', method: 'totp', code: '123456' }, /^flow: is required/],
        ['/api/auth/login/verify', { flow: null, method: 'totp', code: '123456' }, /^flow: /],
        ['/api/auth/login/verify', { flow, method: 'totp', code: '123456', userId: 'x' }, /Unknown field: userId/],
      ];
      for (const [url, body, message] of cases) {
        const res = await client.post(url, body);
        const label = `${url} ${JSON.stringify(body).slice(0, 80)}`;
        expect(res.status, label).toBe(400);
        expect(res.body.error, label).toBe('invalid_request');
        expect(res.body.message, label).toMatch(message);
      }
      const malformed = await client.post('/api/auth/login', '{"email": "a@example.com",');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toBe('invalid_json');
      const empty = await client.post('/api/auth/login/verify', '');
      expect(empty.status).toBe(400);

      // None of that counted as a wrong code or a wrong password.
      expect(await auditEvents(t, 'mfa.failed')).toHaveLength(0);
      expect(await auditEvents(t, 'login.failed')).toHaveLength(0);
      expect((await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    });

    it('answers a garbage or unknown flow id with 400 flow_expired', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      await startLogin(client, user); // the client has a real flow cookie
      for (const flow of ['garbage', 'x'.repeat(512), '../../etc/passwd', "' or 1=1 --", '\u0000\u00ff☃']) {
        const verify = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
        expect(verify.status, flow).toBe(400);
        expect(verify.body.error, flow).toBe('flow_expired');
        const send = await client.post('/api/auth/login/email-code', { flow });
        expect(send.status, flow).toBe(400);
        expect(send.body.error, flow).toBe('flow_expired');
      }
    });
  });
});
