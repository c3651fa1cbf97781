import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import {
  decodeBase32,
  encodeBase32,
  generateTotpSecret,
  hotp,
  otpauthUrl,
  totp,
  totpQrCodes,
  totpStep,
  verifyTotp,
} from './otp.ts';
import type { OtpAlgorithm } from './otp.ts';

interface Vectors {
  totp: Array<{
    time: number; // Unix seconds
    algorithm: OtpAlgorithm;
    secret_ascii: string;
    digits: number;
    period: number;
    expected: string;
  }>;
  hotp: { secret_ascii: string; digits: number; codes_by_counter: string[] };
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/vectors/rfc6238-rfc4226.json', import.meta.url), 'utf8'),
) as Vectors;

const ascii = (s: string) => new TextEncoder().encode(s);

describe('hotp (RFC 4226 Appendix D)', () => {
  const secret = ascii(vectors.hotp.secret_ascii);
  it('fixture has all 10 RFC 4226 vectors', () => {
    expect(vectors.hotp.codes_by_counter).toHaveLength(10);
  });
  it.each(vectors.hotp.codes_by_counter.map((code, counter) => ({ counter, code })))(
    'counter $counter -> $code',
    ({ counter, code }) => {
      expect(hotp(secret, counter, { digits: vectors.hotp.digits })).toBe(code);
      expect(hotp(secret, BigInt(counter))).toBe(code); // defaults: 6 digits, SHA1
    },
  );
  it('rejects invalid counters and digit counts', () => {
    expect(() => hotp(secret, -1)).toThrow(RangeError);
    expect(() => hotp(secret, 0, { digits: 0 })).toThrow(RangeError);
    expect(() => hotp(secret, 0, { digits: 11 })).toThrow(RangeError);
  });
});

describe('totp (RFC 6238 Appendix B)', () => {
  it('fixture covers SHA1, SHA256 and SHA512 (18 vectors)', () => {
    expect(vectors.totp).toHaveLength(18);
    expect(new Set(vectors.totp.map((v) => v.algorithm))).toEqual(new Set(['SHA1', 'SHA256', 'SHA512']));
  });
  it.each(vectors.totp)('$algorithm at t=$time -> $expected', (v) => {
    const secret = ascii(v.secret_ascii);
    const timeMs = v.time * 1000;
    expect(totp(secret, timeMs, { algorithm: v.algorithm, digits: v.digits, period: v.period })).toBe(v.expected);
    // Default 6-digit code is the low 6 digits of the same truncated value.
    if (v.algorithm === 'SHA1') expect(totp(secret, timeMs)).toBe(v.expected.slice(-6));
  });
  it('totpStep floors time / period', () => {
    expect(totpStep(0)).toBe(0);
    expect(totpStep(29_999)).toBe(0);
    expect(totpStep(30_000)).toBe(1);
    expect(totpStep(59_000)).toBe(1);
    expect(totpStep(1_111_111_109_000)).toBe(0x23523ec);
    expect(totpStep(120_000, 60)).toBe(2);
  });
});

describe('verifyTotp (Bastion policy)', () => {
  const secret = ascii('12345678901234567890');
  const now = 1_700_000_015_000; // mid-step
  const step = totpStep(now);
  const codeAt = (s: number) => hotp(secret, s);

  it('precondition: codes of nearby steps are pairwise distinct', () => {
    const codes = [-2, -1, 0, 1, 2].map((d) => codeAt(step + d));
    expect(new Set(codes).size).toBe(5);
  });

  it('accepts the current step and ±1 step of drift, returning the matched step', () => {
    expect(verifyTotp(secret, codeAt(step), now, null)).toBe(step);
    expect(verifyTotp(secret, codeAt(step - 1), now, null)).toBe(step - 1);
    expect(verifyTotp(secret, codeAt(step + 1), now, null)).toBe(step + 1);
  });

  it('rejects ±2 steps of drift', () => {
    expect(verifyTotp(secret, codeAt(step - 2), now, null)).toBeNull();
    expect(verifyTotp(secret, codeAt(step + 2), now, null)).toBeNull();
  });

  it('rejects a replay of the last used step', () => {
    const used = verifyTotp(secret, codeAt(step), now, null);
    expect(used).toBe(step);
    expect(verifyTotp(secret, codeAt(step), now, used)).toBeNull();
    expect(verifyTotp(secret, codeAt(step), now + 1_000, used)).toBeNull();
  });

  it('rejects an older step once a newer one was used, but accepts a newer one', () => {
    expect(verifyTotp(secret, codeAt(step - 1), now, step)).toBeNull();
    expect(verifyTotp(secret, codeAt(step - 1), now, step - 1)).toBeNull();
    expect(verifyTotp(secret, codeAt(step), now, step - 1)).toBe(step);
    expect(verifyTotp(secret, codeAt(step + 1), now, step)).toBe(step + 1);
  });

  it('rejects codes that are not exactly 6 ASCII digits', () => {
    const good = codeAt(step);
    const eight = totp(secret, now, { digits: 8 }); // ends with `good`
    expect(eight.endsWith(good)).toBe(true);
    for (const bad of [
      '',
      good.slice(0, 5),
      `${good}0`,
      eight,
      ` ${good}`,
      `${good}\n`,
      `${good.slice(0, 5)}a`,
      '12 456',
      '١٢٣٤٥٦', // Arabic-Indic digits
      '１２３４５６', // full-width digits
    ]) {
      expect(verifyTotp(secret, bad, now, null), JSON.stringify(bad)).toBeNull();
    }
  });

  it('rejects a wrong code and a code for another secret', () => {
    const wrong = ((Number(codeAt(step)) + 1) % 1_000_000).toString().padStart(6, '0');
    expect(verifyTotp(secret, wrong, now, null)).toBeNull();
    expect(verifyTotp(ascii('another-secret-value'), codeAt(step), now, null)).toBeNull();
  });

  it('handles time near the epoch (no negative step)', () => {
    expect(verifyTotp(secret, codeAt(0), 1_000, null)).toBe(0);
    expect(verifyTotp(secret, codeAt(1), 1_000, null)).toBe(1);
  });
});

describe('secrets and base32', () => {
  it('generates 20 random bytes', () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a).toHaveLength(20);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('encodes RFC 4648 vectors without padding', () => {
    expect(encodeBase32(ascii('foobar'))).toBe('MZXW6YTBOI');
    expect(encodeBase32(ascii('f'))).toBe('MY');
    expect(encodeBase32(ascii('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('round-trips every length from 0 to 40 bytes', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = new Uint8Array(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
      const text = encodeBase32(bytes);
      expect(text).not.toContain('=');
      expect(decodeBase32(text)).toEqual(bytes);
    }
    const secret = generateTotpSecret();
    expect(decodeBase32(encodeBase32(secret))).toEqual(secret);
  });

  it('decodes lower case, spaces and with or without padding', () => {
    const foobar = ascii('foobar');
    expect(decodeBase32('mzxw 6ytb oi')).toEqual(foobar);
    expect(decodeBase32('MZXW6YTBOI======')).toEqual(foobar);
    expect(decodeBase32(' gezd gnbv gy3t qojq gezd gnbv gy3t qojq\n')).toEqual(ascii('12345678901234567890'));
  });

  it('rejects invalid base32', () => {
    expect(() => decodeBase32('MZXW1')).toThrow(); // '1' is not in the alphabet
    expect(() => decodeBase32('A')).toThrow(); // impossible length
  });
});

describe('otpauthUrl', () => {
  const secret = ascii('12345678901234567890');

  it('follows the Key Uri Format', () => {
    const text = otpauthUrl({ issuer: 'Bastion Exchange', accountName: 'alice@example.com', secret });
    expect(text.startsWith('otpauth://totp/Bastion%20Exchange:alice%40example.com?')).toBe(true);
    const url = new URL(text);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Bastion Exchange:alice@example.com');
    expect(url.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(decodeBase32(url.searchParams.get('secret')!)).toEqual(secret);
    expect(url.searchParams.get('issuer')).toBe('Bastion Exchange');
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
    expect(text).not.toContain('+'); // spaces must be %20, not '+'
  });

  it('percent-encodes each label part so only the separator colon is literal', () => {
    const text = otpauthUrl({ issuer: 'A:B&C', accountName: 'bob:x?y#z', secret });
    const url = new URL(text);
    const label = url.pathname.slice(1);
    expect(label.split(':')).toHaveLength(2);
    const [issuer, account] = label.split(':').map(decodeURIComponent);
    expect(issuer).toBe('A:B&C');
    expect(account).toBe('bob:x?y#z');
    expect(url.searchParams.get('issuer')).toBe('A:B&C');
    expect(url.hash).toBe('');
  });
});

describe('totpQrCodes', () => {
  it('returns a PNG data URL and an SVG string', async () => {
    const url = otpauthUrl({ issuer: 'Bastion', accountName: 'alice@example.com', secret: generateTotpSecret() });
    const { png, svg } = await totpQrCodes(url);
    expect(png.startsWith('data:image/png;base64,')).toBe(true);
    const bytes = Buffer.from(png.slice('data:image/png;base64,'.length), 'base64');
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(svg).toMatch(/^<svg[\s>]/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
