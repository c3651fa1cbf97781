/** New-device confirmation codes: wrong codes count per flow and per account, and bad input is refused without costing an attempt. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser } from '../../../test/accounts.ts';
import { SESSION } from '../../../test/cookies.ts';
import { confirmationMail, otherCode, signInPending, startLogin, verifyTotp } from '../../../test/devices.ts';
import { dialects, testApps } from '../../../test/harness.ts';

describe.each(dialects)('new-device confirmation on %s', (dialect) => {
  const apps = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });
  const app = (policy: 'always' | 'risky' | 'off' = 'always') => apps({ NEW_DEVICE_CONFIRMATION: policy });

  describe('with policy "always"', () => {
    it('answers a wrong code with 401, and after 5 wrong codes the flow is dead, even for the right code', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await signInPending(t, user, client);
      const { code, token } = await confirmationMail(t, user.email);

      for (let i = 1; i <= 5; i++) {
        const res = await client.post('/api/auth/login/confirm-device', { flow, code: otherCode(code) });
        expect(res.status, `wrong code #${i}: ${JSON.stringify(res.body)}`).toBe(401);
        expect(res.body.error).toBe('invalid_code');
      }
      const right = await client.post('/api/auth/login/confirm-device', { flow, code });
      expect(right.status).toBe(400);
      expect(right.body.error).toBe('flow_expired');
      expect(client.cookies.has(SESSION)).toBe(false);
      expect((await client.get('/api/me')).status).toBe(401);

      const wrongCodes = await t.db.store.db.selectFrom('login_activity').select(['result', 'method']).where('result', '=', 'wrong_code').execute();
      expect(wrongCodes).toHaveLength(5);
      expect(wrongCodes.every((r) => r.method === 'device_code')).toBe(true);
      // The emailed link is dead with the flow, in another browser and in this one.
      const link = await t.client().post('/api/auth/login/confirm-device', { token });
      expect(link.status).toBe(400);
      expect(link.body.error).toBe('invalid_token');
      const here = await client.post('/api/auth/login/confirm-device', { token });
      expect(here.status).toBe(400);
      expect(client.cookies.has(SESSION)).toBe(false);
    });

    it('counts wrong codes per flow: after a wrong TOTP code, 4 wrong device codes are left', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      const valid = new Set([-1, 0, 1].map((s) => codeFor(t, user.secret, s)));
      const wrong = ['000000', '111111', '222222'].find((c) => !valid.has(c))!;
      expect((await client.post('/api/auth/login/verify', { flow, method: 'totp', code: wrong })).status).toBe(401);
      expect((await verifyTotp(t, client, flow, user)).body).toEqual({ flow, next: ['confirm_device'] });
      const { code } = await confirmationMail(t, user.email);
      for (let i = 1; i <= 4; i++) {
        expect((await client.post('/api/auth/login/confirm-device', { flow, code: otherCode(code) })).status, `wrong code #${i}`).toBe(401);
      }
      const res = await client.post('/api/auth/login/confirm-device', { flow, code });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('flow_expired');
    });

    it('counts wrong codes across sign-ins too: the tenth locks the account, although each sign-in passed the second factor', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      let flow = '';
      for (let i = 1; i <= 10; i++) {
        if (i % 5 === 1) flow = await signInPending(t, user, client); // a new sign-in after each 5
        const { code } = await confirmationMail(t, user.email);
        const res = await client.post('/api/auth/login/confirm-device', { flow, code: otherCode(code) });
        expect(res.status, `wrong code #${i}`).toBe(i === 10 ? 429 : 401);
      }
      const locked = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(locked.status).toBe(200); // the password is still right…
      const res = await verifyTotp(t, client, locked.body.flow, user);
      expect(res.body).toEqual({ flow: locked.body.flow, next: ['confirm_device'] }); // …and so is the TOTP code,
      const { code } = await confirmationMail(t, user.email);
      const right = await client.post('/api/auth/login/confirm-device', { flow: locked.body.flow, code });
      expect(right.status).toBe(429); // but no more device codes for 15 minutes, not even the right one
      expect(right.body.error).toBe('account_locked');
      t.clock.advance(15 * 60_000);
      const after = await client.post('/api/auth/login/confirm-device', { flow: locked.body.flow, code });
      expect(after.status, JSON.stringify(after.body)).toBe(200); // the lock is over; the code was still valid
    });

    it('accepts a code that is not 6 digits as just wrong (401), not as an error', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await signInPending(t, user, client);
      for (const code of ['12345', '1234567', 'abcdef', ' 12 34 ']) {
        const res = await client.post('/api/auth/login/confirm-device', { flow, code });
        expect(res.status, code).toBe(401);
        expect(res.body.error).toBe('invalid_code');
      }
    });
  });

  describe('bad input', () => {
    it('answers 400, never 500', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await signInPending(t, user, client);
      const { code } = await confirmationMail(t, user.email);

      const cases: [unknown, string][] = [
        [{}, 'invalid_request'],
        [{ code: '123456' }, 'invalid_request'],
        [{ token: '' }, 'invalid_request'],
        [{ flow: '' }, 'invalid_request'],
        [{ flow: 42 }, 'invalid_request'],
        [{ token: ['a'] }, 'invalid_request'],
        [{ token: 'x'.repeat(513) }, 'invalid_request'],
        [{ flow, code, extra: true }, 'invalid_request'],
        [{ flow, code: '' }, 'invalid_request'],
        [{ flow, code: 123456 }, 'invalid_request'],
        [{ token: 'garbage' }, 'invalid_token'],
        [{ token: '../../etc/passwd' }, 'invalid_token'],
        [{ token: "' OR 1=1 --" }, 'invalid_token'],
        [{ flow: 'garbage', code: '123456' }, 'flow_expired'],
        [{ flow: 'garbage' }, 'flow_expired'],
        [{ flow: 'x'.repeat(512), code }, 'flow_expired'],
        [[1, 2], 'invalid_request'],
        [null, 'invalid_request'],
      ];
      for (const [body, error] of cases) {
        const res = await client.post('/api/auth/login/confirm-device', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error, JSON.stringify(body)).toBe(error);
        expect(typeof res.body.message).toBe('string');
      }
      const notJson = await client.post('/api/auth/login/confirm-device', '{"flow": ');
      expect(notJson.status).toBe(400);

      // None of that hurt the real flow (none of it counted as a code attempt).
      expect(client.cookies.has(SESSION)).toBe(false);
      const ok = await client.post('/api/auth/login/confirm-device', { flow, code });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    });

    it('refuses a flow that has not passed the second factor yet', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      for (const body of [{ flow }, { flow, code: '123456' }]) {
        const res = await client.post('/api/auth/login/confirm-device', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error).toBe('flow_expired');
      }
      // And the flow still finishes normally afterwards.
      expect((await verifyTotp(t, client, flow, user)).body).toEqual({ flow, next: ['confirm_device'] });
    });
  });
});
