/** Enrolling an authenticator app: the otpauth URL and QR codes, pending until a right code confirms it, the secret sealed at rest. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, registerVerified, wrongCode } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { decodeBase32 } from './otp.ts';

describe.each(dialects)('sessions on %s', (dialect) => {
  const app = testApps(dialect);

  describe('authenticator enrollment', () => {
    it('keeps the TOTP secret sealed at rest', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const rows = await t.db.store.db.selectFrom('totp_credentials').selectAll().execute();
      expect(rows).toHaveLength(1);
      const sealed = rows[0]!.secret_sealed;
      expect(sealed.startsWith('v1.')).toBe(true);
      expect(sealed.startsWith('v1.k1.')).toBe(true);
      expect(sealed).not.toContain(user.secret);
      expect(sealed.toLowerCase()).not.toContain(user.secret.toLowerCase());
      const raw = Buffer.from(decodeBase32(user.secret));
      expect(sealed).not.toContain(raw.toString('hex'));
      expect(sealed).not.toContain(raw.toString('base64'));
      expect(sealed).not.toContain(raw.toString('base64url'));
    });

    it('returns an otpauth URL for Bastion and the account, a PNG data URL and an SVG QR code', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      await client.post('/api/auth/login', { email, password });
      const setup = await client.post('/api/me/2fa/totp/setup');
      expect(setup.status).toBe(200);
      const { secret, otpauthUrl, qrPng, qrSvg } = setup.body as { secret: string; otpauthUrl: string; qrPng: string; qrSvg: string };
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const url = new URL(otpauthUrl);
      expect(url.protocol).toBe('otpauth:');
      expect(url.host).toBe('totp');
      expect(decodeURIComponent(url.pathname)).toBe(`/Bastion:${email}`);
      expect(url.searchParams.get('issuer')).toBe('Bastion');
      expect(url.searchParams.get('secret')).toBe(secret);
      expect(url.searchParams.get('digits')).toBe('6');
      expect(url.searchParams.get('period')).toBe('30');
      expect(qrPng.startsWith('data:image/png;base64,')).toBe(true);
      const png = Buffer.from(qrPng.slice('data:image/png;base64,'.length), 'base64');
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(qrSvg).toContain('<svg');

      // Until confirmed it is pending: the account still has no second factor.
      expect((await client.get('/api/me')).body.security.twoFactor.enabled).toBe(false);
      const wrong = await client.post('/api/me/2fa/totp/confirm', { code: wrongCode(t, secret) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe('invalid_code');
      expect((await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, secret) })).status).toBe(200);
      expect((await t.latestMail(email)).subject).toBe('Bastion: Two-factor authentication was turned on');
    });
  });
});
