/**
 * New-device confirmation over HTTP: with NEW_DEVICE_CONFIRMATION=always a sign-in that passed the
 * password and the second factor from a browser the account does not know gets no session until the
 * owner confirms it from the inbox (the emailed code in the same browser, or the emailed link in any
 * browser). The browser that enrolled 2FA is the first known device; forgetting a device makes it
 * new again. With "off" a new device signs in at once (and the owner is told); with "risky" only
 * sign-ins with risk signals (new country, impossible travel, recent failures) are held.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, uniqueEmail, type Enrolled } from '../../../test/accounts.ts';
import type { TestClient, TestResponse } from '../../../test/client.ts';
import { dialects, type TestApp, testApps } from '../../../test/harness.ts';
import { lastMail, mailsWithSubject } from '../../../test/mail.ts';
import type { ReceivedMail } from '../../../test/smtp.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SESSION = 'bastion_session';
const FLOW = 'bastion_flow';
const DEVICE = 'bastion_device';
const CONFIRM_SUBJECT = 'Bastion: Confirm a sign-in from a new device';
const NEW_SIGN_IN_SUBJECT = 'Bastion: New sign-in to your account';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

const GB = '81.2.69.142'; // Bracknell, GB
const US = '8.8.8.8'; // US (no city)

interface Confirmation {
  mail: ReceivedMail;
  token: string;
  code: string;
  lockUrl: string;
}

/** The link token, the code and the lock link of the latest new-device confirmation mail. */
async function confirmationMail(t: TestApp, email: string): Promise<Confirmation> {
  const mail = await lastMail(t, email, CONFIRM_SUBJECT);
  const token = /http:\/\/localhost:3000\/confirm-device\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  const code = /^ {4}(\d{6})$/m.exec(mail.text)?.[1];
  const lockUrl = /http:\/\/localhost:3000\/lock-account\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  if (!token || !code || !lockUrl) throw new Error(`no confirmation link, code or lock link in:\n${mail.text}`);
  return { mail, token, code, lockUrl };
}

/** A 6-digit code other than `code`. */
const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

/** Password step on `client`; returns the flow id. */
async function startLogin(client: TestClient, user: { email: string; password: string }): Promise<string> {
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.flow;
}

/** The TOTP step for `flow` with the current code; the code's time step is used up afterwards. */
async function verifyTotp(t: TestApp, client: TestClient, flow: string, user: Enrolled): Promise<TestResponse> {
  const res = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
  t.clock.advance(30_000);
  return res;
}

/** Password and TOTP on `client`; expects the sign-in to wait for a device confirmation. */
async function signInPending(t: TestApp, user: Enrolled, client: TestClient): Promise<string> {
  const flow = await startLogin(client, user);
  const res = await verifyTotp(t, client, flow, user);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual({ flow, next: ['confirm_device'] });
  return flow;
}

/** Password and TOTP on `client`; expects a session at once. */
async function signInDirect(t: TestApp, user: Enrolled, client: TestClient): Promise<TestResponse> {
  const flow = await startLogin(client, user);
  const res = await verifyTotp(t, client, flow, user);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.user?.email, JSON.stringify(res.body)).toBe(user.email);
  return res;
}

/** A full sign-in from a new device, confirmed with the emailed code. */
async function signInConfirmed(t: TestApp, user: Enrolled, client: TestClient): Promise<TestClient> {
  const flow = await signInPending(t, user, client);
  const { code } = await confirmationMail(t, user.email);
  const res = await client.post('/api/auth/login/confirm-device', { flow, code });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return client;
}

describe.each(dialects)('new-device confirmation on %s', (dialect) => {
  const apps = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });
  const app = (policy: 'always' | 'risky' | 'off' = 'always') => apps({ NEW_DEVICE_CONFIRMATION: policy });

  describe('with policy "always"', () => {
    it('an account without a second factor: the browser that verified the email goes straight to enrollment', async () => {
      const t = await app();
      const client = t.client();
      const { email, password } = await registerVerified(t, uniqueEmail(), PASSWORD, client);
      const login = await client.post('/api/auth/login', { email, password });
      expect(login.body.next).toEqual(['enroll_2fa']);
      expect((await client.get('/api/me')).body.session.restricted).toBe(true);
    });

    it('an account without a second factor: any other browser needs the inbox before it may enroll one', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      // Someone with the password, in a browser the account does not know: no session, only a wait.
      const other = t.client({ userAgent: FIREFOX_WINDOWS });
      const login = await other.post('/api/auth/login', { email, password });
      expect(login.body).toEqual({ flow: login.body.flow, next: ['confirm_device'] });
      expect(other.cookies.has(SESSION)).toBe(false);
      expect((await other.post('/api/me/2fa/totp/setup')).status).toBe(401);
      expect((await other.post('/api/me/passkeys/registration-options')).status).toBe(401);
      // Wrong codes do not help; the owner's code from the email gives the enroll-only session.
      const { code } = await confirmationMail(t, email);
      expect((await other.post('/api/auth/login/confirm-device', { flow: login.body.flow, code: otherCode(code) })).status).toBe(401);
      const done = await other.post('/api/auth/login/confirm-device', { flow: login.body.flow, code });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      const me = await other.get('/api/me');
      expect(me.body.session).toMatchObject({ restricted: true, authMethod: 'password' });
      expect(me.body.security.twoFactor.enabled).toBe(false);
      expect((await other.post('/api/me/2fa/totp/setup')).status).toBe(200);
      // Confirmed by email, the browser is now known: its next sign-in goes straight to enrollment.
      expect((await other.post('/api/auth/login', { email, password })).body.next).toEqual(['enroll_2fa']);
    });

    it('treats the browser that enrolled 2FA as known: it signs in again without a confirmation', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      expect(user.client.cookies.get(DEVICE)).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect((await user.client.post('/api/auth/logout')).status).toBe(200);

      await signInDirect(t, user, user.client);
      expect(user.client.cookies.has(SESSION)).toBe(true);
      expect((await user.client.get('/api/me')).status).toBe(200);
      expect(await mailsWithSubject(t, user.email, CONFIRM_SUBJECT)).toHaveLength(0);
      expect(await mailsWithSubject(t, user.email, NEW_SIGN_IN_SUBJECT)).toHaveLength(0);
    });

    it('holds a sign-in from a new browser: no session, and the owner is emailed the device, IP, location, a link, a code and a lock link', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client({ ip: GB });
      const flow = await signInPending(t, user, client);

      expect(client.cookies.has(SESSION)).toBe(false);
      expect(client.cookies.has(DEVICE)).toBe(false);
      expect(client.cookies.get(FLOW)).toBeTruthy(); // the same browser will finish it
      expect((await client.get('/api/me')).status).toBe(401);
      // The flow cannot be "verified" again to get round the confirmation.
      const again = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('flow_expired');

      const { mail, code } = await confirmationMail(t, user.email);
      expect(mail.text).toContain('Chrome 126 on Linux');
      expect(mail.text).toContain(GB);
      expect(mail.text).toContain('Bracknell, GB');
      expect(mail.text).toMatch(/http:\/\/localhost:3000\/lock-account\?token=[A-Za-z0-9_-]{20,}/);
      expect(mail.html).toContain('Chrome 126 on Linux');
      expect(mail.html).toContain('/lock-account?token=');
      expect(mail.text).toContain(`    ${code}`);
      // The link and the code are stored only as hashes.
      const row = await t.db.store.db.selectFrom('login_flows').selectAll().where('state', '=', 'confirm_device').executeTakeFirstOrThrow();
      const token = /confirm-device\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
      expect(JSON.stringify(row)).not.toContain(token);
      expect(JSON.stringify(row)).not.toContain(code);
      expect(row.device_expires_at).toBe(t.clock.now() - 30_000 + 20 * MINUTE);
    });

    it('completes with the emailed code in the same browser, sets the device cookie, and the next sign-in there needs no confirmation', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client({ ip: GB });
      const flow = await signInPending(t, user, client);
      const { code } = await confirmationMail(t, user.email);

      const res = await client.post('/api/auth/login/confirm-device', { flow, code });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.user).toMatchObject({ email: user.email, emailVerified: true });
      const deviceCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((l) => l.startsWith(`${DEVICE}=`));
      const attrs = (deviceCookie ?? '').split(';').slice(1).map((a) => a.trim().toLowerCase());
      expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', `max-age=${400 * 24 * 3600}`]));
      // Only the cookie's hash is stored.
      const stored = await t.db.store.db.selectFrom('known_devices').select('device_hash').execute();
      expect(stored.map((d) => d.device_hash)).not.toContain(client.cookies.get(DEVICE));
      expect(client.cookies.has(SESSION)).toBe(true);
      expect(client.cookies.has(FLOW)).toBe(false);
      expect(client.cookies.get(DEVICE)).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const me = await client.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.session.authMethod).toBe('password+totp');
      // Confirmed by email: no extra "new sign-in" alert.
      expect(await mailsWithSubject(t, user.email, NEW_SIGN_IN_SUBJECT)).toHaveLength(0);

      // The code worked once; the flow is over.
      const replay = await client.post('/api/auth/login/confirm-device', { flow, code });
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('flow_expired');

      // This browser is now known.
      expect((await client.post('/api/auth/logout')).status).toBe(200);
      await signInDirect(t, user, client);
      expect((await client.get('/api/me')).status).toBe(200);
      expect(await mailsWithSubject(t, user.email, CONFIRM_SUBJECT)).toHaveLength(1);
    });

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

    it('forgetting a device makes its next sign-in need a confirmation again', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const devices = await user.client.get('/api/me/devices');
      expect(devices.status).toBe(200);
      expect(devices.body.devices).toHaveLength(1);
      const [mine] = devices.body.devices;
      expect(mine.current).toBe(true);

      const forgotten = await user.client.delete(`/api/me/devices/${mine.id}`);
      expect(forgotten.status).toBe(200);
      expect(forgotten.body).toEqual({ status: 'forgotten' });
      expect((await user.client.get('/api/me/devices')).body.devices).toEqual([]);
      const again = await user.client.delete(`/api/me/devices/${mine.id}`);
      expect(again.status).toBe(404);
      const audit = await t.db.store.db.selectFrom('audit_events').select('type').where('type', '=', 'device.forgotten').execute();
      expect(audit).toHaveLength(1);

      // The browser still has its device cookie, but it no longer counts.
      expect(user.client.cookies.has(DEVICE)).toBe(true);
      const flow = await signInPending(t, user, user.client);
      const { code } = await confirmationMail(t, user.email);
      expect((await user.client.post('/api/auth/login/confirm-device', { flow, code })).status).toBe(200);
      // Confirmed: known again.
      expect((await user.client.get('/api/me/devices')).body.devices).toHaveLength(1);
    });

    it('lists the known devices with a current flag, and only the owner can forget them', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      t.clock.advance(5 * MINUTE);
      const laptop = await signInConfirmed(t, user, t.client({ ip: GB, userAgent: FIREFOX_WINDOWS }));

      const fromLaptop = await laptop.get('/api/me/devices');
      expect(fromLaptop.status).toBe(200);
      const list = fromLaptop.body.devices as { id: string; device: string; location: string; firstSeenAt: string; lastSeenAt: string; current: boolean }[];
      expect(list).toHaveLength(2);
      // Most recently seen first.
      expect(list[0]).toMatchObject({ device: 'Firefox 128 on Windows 10', location: 'Bracknell, GB', current: true });
      expect(list[1]).toMatchObject({ device: 'Chrome 126 on Linux', location: 'Unknown location', current: false });
      expect(Date.parse(list[0]!.firstSeenAt)).toBeGreaterThan(Date.parse(list[1]!.firstSeenAt));

      const fromFirst = (await user.client.get('/api/me/devices')).body.devices as typeof list;
      expect(fromFirst.find((d) => d.current)?.device).toBe('Chrome 126 on Linux');
      expect(fromFirst.filter((d) => d.current)).toHaveLength(1);

      // Another account cannot see or forget them.
      const other = await enrolledUser(t);
      const theirs = (await other.client.get('/api/me/devices')).body.devices as typeof list;
      expect(theirs).toHaveLength(1);
      expect(theirs.map((d) => d.id)).not.toContain(list[0]!.id);
      const foreign = await other.client.delete(`/api/me/devices/${list[0]!.id}`);
      expect(foreign.status).toBe(404);
      expect((await laptop.get('/api/me/devices')).body.devices).toHaveLength(2);

      // Not signed in: 401.
      expect((await t.client().get('/api/me/devices')).status).toBe(401);
    });

    it('records the pending sign-in in the activity and the device when it completes', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client({ ip: GB });
      await signInConfirmed(t, user, client);
      const entries = (await client.get('/api/me/activity')).body.entries as { result: string; method: string; location: string }[];
      expect(entries.slice(0, 2).map((e) => e.result)).toEqual(['success', 'device_pending']);
      expect(entries.slice(0, 2).every((e) => e.method === 'totp' && e.location === 'Bracknell, GB')).toBe(true);
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

  describe('with policy "off"', () => {
    it('signs a new device in at once and emails "New sign-in to your account" with a lock link', async () => {
      const t = await app('off');
      const user = await enrolledUser(t);
      const client = t.client({ ip: US });
      await signInDirect(t, user, client);
      expect(client.cookies.has(SESSION)).toBe(true);
      expect(client.cookies.has(DEVICE)).toBe(true);
      expect((await client.get('/api/me')).status).toBe(200);

      expect(await mailsWithSubject(t, user.email, CONFIRM_SUBJECT)).toHaveLength(0);
      const alerts = await mailsWithSubject(t, user.email, NEW_SIGN_IN_SUBJECT);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.text).toContain('Chrome 126 on Linux');
      expect(alerts[0]!.text).toContain(US);
      expect(alerts[0]!.text).toMatch(/^Location: US$/m);
      expect(alerts[0]!.text).toMatch(/http:\/\/localhost:3000\/lock-account\?token=[A-Za-z0-9_-]+/);

      // The device is known now: the next sign-in there is not "new".
      expect((await client.post('/api/auth/logout')).status).toBe(200);
      await signInDirect(t, user, client);
      expect(await mailsWithSubject(t, user.email, NEW_SIGN_IN_SUBJECT)).toHaveLength(1);
    });
  });

  describe('with policy "risky"', () => {
    it('signs an unknown device with no risk signals in at once (and tells the owner)', async () => {
      const t = await app('risky');
      const user = await enrolledUser(t);
      const client = t.client({ ip: GB });
      await signInDirect(t, user, client);
      expect((await client.get('/api/me')).status).toBe(200);
      expect(await mailsWithSubject(t, user.email, CONFIRM_SUBJECT)).toHaveLength(0);
      expect(await mailsWithSubject(t, user.email, NEW_SIGN_IN_SUBJECT)).toHaveLength(1);
      const [entry] = (await client.get('/api/me/activity')).body.entries;
      expect(entry).toMatchObject({ result: 'success', riskSignals: [] });
    });

    it('holds a sign-in from a country the account has never signed in from (new_country)', async () => {
      const t = await app('risky');
      const user = await enrolledUser(t);
      const home = t.client({ ip: GB });
      await signInDirect(t, user, home);

      // Far away, but slowly enough not to be "impossible travel".
      t.clock.advance(12 * HOUR);
      const abroad = t.client({ ip: US });
      const flow = await signInPending(t, user, abroad);
      expect(abroad.cookies.has(SESSION)).toBe(false);
      const { mail, code } = await confirmationMail(t, user.email);
      expect(mail.text).toContain(US);

      // Back home (a country seen before, no travel): straight in; the held sign-in is in the activity.
      await signInDirect(t, user, home);
      const entries = (await home.get('/api/me/activity')).body.entries as { result: string; ip: string; riskSignals: string[] }[];
      const pending = entries.find((e) => e.result === 'device_pending');
      expect(pending).toBeDefined();
      expect(pending!.ip).toBe(US);
      expect(pending!.riskSignals).toContain('new_country');
      expect(pending!.riskSignals).not.toContain('impossible_travel');

      // Confirming completes it.
      const done = await abroad.post('/api/auth/login/confirm-device', { flow, code });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect((await abroad.get('/api/me')).status).toBe(200);
    });

    it('holds a sign-in that would need impossible travel (GB, then the US 10 minutes later)', async () => {
      const t = await app('risky');
      const user = await enrolledUser(t);
      const home = t.client({ ip: GB });
      await signInDirect(t, user, home);

      t.clock.advance(10 * MINUTE);
      const abroad = t.client({ ip: US });
      await signInPending(t, user, abroad);

      const [latest] = (await home.get('/api/me/activity')).body.entries as { result: string; ip: string; location: string; riskSignals: string[] }[];
      expect(latest).toMatchObject({ result: 'device_pending', ip: US, location: 'US' });
      expect(latest!.riskSignals).toEqual(expect.arrayContaining(['new_country', 'impossible_travel']));
      const audit = await t.db.store.db.selectFrom('audit_events').select('data').where('type', '=', 'login.device_pending').executeTakeFirstOrThrow();
      expect(audit.data).toContain('impossible_travel');
    });

    it('holds a sign-in after 5 failed attempts in the last hour (recent_failures), even from a known device', async () => {
      const t = await app('risky');
      const user = await enrolledUser(t);
      const client = t.client();
      for (let i = 0; i < 4; i++) {
        expect((await client.post('/api/auth/login', { email: user.email, password: `${PASSWORD}-wrong` })).status).toBe(401);
      }
      // A wrong TOTP code is a failure too (the password was right, which resets the password count).
      const flow = await startLogin(client, user);
      const valid = new Set([-1, 0, 1].map((s) => codeFor(t, user.secret, s)));
      const wrong = ['000000', '111111', '222222'].find((c) => !valid.has(c))!;
      expect((await client.post('/api/auth/login/verify', { flow, method: 'totp', code: wrong })).status).toBe(401);

      const held = await verifyTotp(t, client, flow, user);
      expect(held.body).toEqual({ flow, next: ['confirm_device'] });

      // The enrolling (known) browser is held too: the signal is about the account, not the device.
      await signInPending(t, user, user.client);
      const entries = await t.db.store.db.selectFrom('login_activity').select(['result', 'risk_signals']).where('result', '=', 'device_pending').execute();
      expect(entries).toHaveLength(2);
      expect(entries.every((e) => JSON.parse(e.risk_signals).includes('recent_failures'))).toBe(true);

      // An hour later the failures no longer count.
      t.clock.advance(HOUR);
      await signInDirect(t, user, t.client());
    });
  });
});
