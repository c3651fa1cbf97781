/** Risk signals (new_country, impossible_travel, recent_failures): with policy "risky" only a sign-in showing one waits for the inbox. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD } from '../../test/accounts.ts';
import { GB, US } from '../../test/browsers.ts';
import { SESSION } from '../../test/cookies.ts';
import { CONFIRM_SUBJECT, confirmationMail, NEW_SIGN_IN_SUBJECT, signInDirect, signInPending, startLogin, verifyTotp } from '../../test/devices.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { mailsWithSubject } from '../../test/mail.ts';
import { HOUR, MINUTE } from '../../test/time.ts';

describe.each(dialects)('new-device confirmation on %s', (dialect) => {
  const apps = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });
  const app = (policy: 'always' | 'risky' | 'off' = 'always') => apps({ NEW_DEVICE_CONFIRMATION: policy });

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
