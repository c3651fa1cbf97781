/**
 * The new-device link's page looks before it acts: the preview names the sign-in the link would
 * confirm (device and place from the parsers, the IP, the time) and leaves the link usable, so a
 * mail scanner or link preview that opens it confirms nothing.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../../test/accounts.ts';
import { GB } from '../../../test/browsers.ts';
import type { TestClient } from '../../../test/client.ts';
import { SESSION } from '../../../test/cookies.ts';
import { confirmationMail, signInPending } from '../../../test/devices.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { auditOf } from '../../../test/queries.ts';
import { MINUTE } from '../../../test/time.ts';

/** A browser whose user agent carries text of its own after what the parser recognises. */
const SIGNING_IN_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0 Call-support-+1-555-0100';

describe.each(dialects)('new-device link preview on %s', (dialect) => {
  const apps = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });
  const app = () => apps({ NEW_DEVICE_CONFIRMATION: 'always' });
  const preview = (client: TestClient, token: string) => client.post('/api/auth/login/confirm-device/preview', { token });

  it('names the device, IP, place and time of the sign-in, as often as asked, without confirming it', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const client = t.client({ ip: GB, userAgent: SIGNING_IN_AGENT });
    const startedAt = t.clock.now();
    const flow = await signInPending(t, user, client);
    const { token } = await confirmationMail(t, user.email);

    const scanner = t.client({ ip: '192.0.2.99', userAgent: 'LinkScanner/1.0' });
    for (let i = 0; i < 3; i++) {
      const seen = await preview(scanner, token);
      expect(seen.status, JSON.stringify(seen.body)).toBe(200);
      expect(seen.body).toEqual({
        device: 'Firefox 128 on Windows 10',
        ip: GB,
        location: 'Bracknell, GB',
        at: new Date(startedAt).toISOString(),
        expiresAt: expect.any(String),
        thisBrowser: false,
      });
      expect(JSON.stringify(seen.body)).not.toContain('555');
    }
    // In the browser that is signing in, the page can say that confirming signs in there.
    expect((await preview(client, token)).body.thisBrowser).toBe(true);
    expect(Date.parse((await preview(client, token)).body.expiresAt)).toBeGreaterThan(t.clock.now());

    // Nothing was confirmed: the waiting browser still waits, the link still works.
    expect((await client.post('/api/auth/login/confirm-device', { flow })).body.error).toBe('device_not_confirmed');
    expect(await auditOf(t, 'login.device_confirmed')).toEqual([]);
    expect(scanner.cookies.has(SESSION)).toBe(false);
    expect((await scanner.post('/api/auth/login/confirm-device', { token })).body).toEqual({ status: 'confirmed' });

    // Once used, the link shows nothing more.
    const used = await preview(scanner, token);
    expect(used.status).toBe(400);
    expect(used.body.error).toBe('invalid_token');
  });

  it('answers 400 invalid_token for a made-up link, and for one whose sign-in ended or expired', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const made = await preview(t.client(), randomBytes(32).toString('base64url'));
    expect(made.status).toBe(400);
    expect(made.body.error).toBe('invalid_token');

    // Ended: the code completed the sign-in.
    const client = t.client();
    const flow = await signInPending(t, user, client);
    const first = await confirmationMail(t, user.email);
    expect((await client.post('/api/auth/login/confirm-device', { flow, code: first.code })).status).toBe(200);
    expect((await preview(t.client(), first.token)).body.error).toBe('invalid_token');

    // Expired: 20 minutes later.
    await signInPending(t, user, t.client());
    const second = await confirmationMail(t, user.email);
    expect((await preview(t.client(), second.token)).status).toBe(200);
    t.clock.advance(20 * MINUTE);
    const expired = await preview(t.client(), second.token);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toBe('invalid_token');
  });
});
