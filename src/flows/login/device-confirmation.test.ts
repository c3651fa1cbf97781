/** New-device confirmation: a sign-in from a browser the account does not know waits for the emailed code (policy "always"); with "off" it goes straight in and the owner is told. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, uniqueEmail } from '../../../test/accounts.ts';
import { FIREFOX_WINDOWS, GB, US } from '../../../test/browsers.ts';
import { DEVICE, FLOW, SESSION } from '../../../test/cookies.ts';
import { CONFIRM_SUBJECT, confirmationMail, NEW_SIGN_IN_SUBJECT, otherCode, signInConfirmed, signInDirect, signInPending } from '../../../test/devices.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { mailsWithSubject } from '../../../test/mail.ts';
import { MINUTE } from '../../../test/time.ts';

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
});
