/** Known devices: listed to their owner with a current flag, and forgetting one makes its next sign-in new again. */
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../test/accounts.ts';
import { FIREFOX_WINDOWS, GB } from '../../test/browsers.ts';
import { DEVICE } from '../../test/cookies.ts';
import { confirmationMail, signInConfirmed, signInPending } from '../../test/devices.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { MINUTE } from '../../test/time.ts';

describe.each(dialects)('new-device confirmation on %s', (dialect) => {
  const apps = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });
  const app = (policy: 'always' | 'risky' | 'off' = 'always') => apps({ NEW_DEVICE_CONFIRMATION: policy });

  describe('with policy "always"', () => {
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
  });
});
