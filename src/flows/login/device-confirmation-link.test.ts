/** New-device confirmation by link or code: which browser each works in, once, and only for 20 minutes. */
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../../test/accounts.ts';
import { FIREFOX_WINDOWS, GB, US } from '../../../test/browsers.ts';
import { DEVICE, SESSION } from '../../../test/cookies.ts';
import { confirmationMail, signInPending } from '../../../test/devices.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { MINUTE } from '../../../test/time.ts';

describe.each(dialects)('new-device confirmation on %s', (dialect) => {
  const apps = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });
  const app = (policy: 'always' | 'risky' | 'off' = 'always') => apps({ NEW_DEVICE_CONFIRMATION: policy });

  describe('with policy "always"', () => {
    it('the link opened in another browser confirms the device; the original browser then completes with its flow', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client({ ip: GB });
      const flow = await signInPending(t, user, client);
      const { token } = await confirmationMail(t, user.email);

      // Before the link is opened, the flow alone is not enough.
      const early = await client.post('/api/auth/login/confirm-device', { flow });
      expect(early.status).toBe(400);
      expect(early.body.error).toBe('device_not_confirmed');

      const phone = t.client({ ip: '10.0.0.5', userAgent: FIREFOX_WINDOWS });
      const confirmed = await phone.post('/api/auth/login/confirm-device', { token });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      expect(confirmed.body).toEqual({ status: 'confirmed' });
      // The browser that opened the link does not get a session or become a device.
      expect(phone.cookies.has(SESSION)).toBe(false);
      expect(phone.cookies.has(DEVICE)).toBe(false);

      // The link works once.
      const reused = await phone.post('/api/auth/login/confirm-device', { token });
      expect(reused.status).toBe(400);
      expect(reused.body.error).toBe('invalid_token');

      const done = await client.post('/api/auth/login/confirm-device', { flow });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.user.email).toBe(user.email);
      expect(client.cookies.has(SESSION)).toBe(true);
      expect(client.cookies.has(DEVICE)).toBe(true);
      expect((await client.get('/api/me')).status).toBe(200);

      // The device that was remembered is the one that signed in, not the one that opened the link.
      const devices = (await client.get('/api/me/devices')).body.devices as { device: string; location: string; current: boolean }[];
      expect(devices.find((d) => d.current)).toMatchObject({ device: 'Chrome 126 on Linux', location: 'Bracknell, GB' });
      expect(devices.some((d) => d.device.includes('Firefox'))).toBe(false);

      // Completed once.
      const twice = await client.post('/api/auth/login/confirm-device', { flow });
      expect(twice.status).toBe(400);
    });

    it('the link opened in the browser that is signing in completes the sign-in there', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      await signInPending(t, user, client);
      const { token } = await confirmationMail(t, user.email);

      const res = await client.post('/api/auth/login/confirm-device', { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.user.email).toBe(user.email);
      expect(client.cookies.has(SESSION)).toBe(true);
      expect(client.cookies.has(DEVICE)).toBe(true);
      expect((await client.get('/api/me')).status).toBe(200);

      const reused = await client.post('/api/auth/login/confirm-device', { token });
      expect(reused.status).toBe(400);
      expect(reused.body.error).toBe('invalid_token');
      const elsewhere = await t.client().post('/api/auth/login/confirm-device', { token });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.error).toBe('invalid_token');
    });

    it('the code only works in the browser that is signing in', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await signInPending(t, user, client);
      const { code } = await confirmationMail(t, user.email);

      const thief = t.client({ ip: US });
      const res = await thief.post('/api/auth/login/confirm-device', { flow, code });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('flow_expired');
      expect(thief.cookies.has(SESSION)).toBe(false);

      // The owner's browser still completes it.
      expect((await client.post('/api/auth/login/confirm-device', { flow, code })).status).toBe(200);
    });

    it('works until just before 20 minutes, and not at 20 minutes (code or link)', async () => {
      const t = await app();
      const user = await enrolledUser(t);

      const early = t.client();
      const earlyFlow = await signInPending(t, user, early);
      const earlyCode = (await confirmationMail(t, user.email)).code;
      const late = t.client();
      const lateFlow = await signInPending(t, user, late);
      const lateMail = await confirmationMail(t, user.email);

      // The early flow was asked 30 s before the late one (one TOTP step apart).
      t.clock.advance(20 * MINUTE - 30_000 - 30_000 - 1);
      const ok = await early.post('/api/auth/login/confirm-device', { flow: earlyFlow, code: earlyCode });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);

      t.clock.advance(30_000 + 1); // the late flow is now exactly 20 minutes old
      const byCode = await late.post('/api/auth/login/confirm-device', { flow: lateFlow, code: lateMail.code });
      expect(byCode.status).toBe(400);
      expect(byCode.body.error).toBe('flow_expired');
      const byLink = await t.client().post('/api/auth/login/confirm-device', { token: lateMail.token });
      expect(byLink.status).toBe(400);
      expect(byLink.body.error).toBe('invalid_token');
      const sameBrowserLink = await late.post('/api/auth/login/confirm-device', { token: lateMail.token });
      expect(sameBrowserLink.status).toBe(400);
      expect(late.cookies.has(SESSION)).toBe(false);
    });

    it('a link confirmed in another browser expires with the flow: the original browser cannot complete after 20 minutes', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await signInPending(t, user, client);
      const { token } = await confirmationMail(t, user.email);
      expect((await t.client().post('/api/auth/login/confirm-device', { token })).body).toEqual({ status: 'confirmed' });
      t.clock.advance(20 * MINUTE);
      const res = await client.post('/api/auth/login/confirm-device', { flow });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('flow_expired');
    });
  });
});
