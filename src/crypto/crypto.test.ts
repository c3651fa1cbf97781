import { describe, expect, it } from 'vitest';
import { createKeyring } from './encryption.ts';
import { dummyVerify, hashPassword, verifyPassword } from './password.ts';
import { hashToken, randomDigits, randomToken, safeEqual } from './tokens.ts';

describe('crypto', () => {
  it('hashes passwords with argon2id (OWASP parameters) and verifies them', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(await dummyVerify('anything')).toBe(false);
  });

  it('makes 256-bit tokens and uniform numeric codes, and stores only their SHA-256', () => {
    const token = randomToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(randomToken()).not.toBe(token);
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const codes = Array.from({ length: 200 }, () => randomDigits(6));
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(190);
    expect(safeEqual('123456', '123456')).toBe(true);
    expect(safeEqual('123456', '123457')).toBe(false);
    expect(safeEqual('123456', '1234567')).toBe(false);
  });

  it('seals with AES-256-GCM bound to a context, and rotates keys', () => {
    const k1 = { id: 'k1', key: Buffer.alloc(32, 1) };
    const k2 = { id: 'k2', key: Buffer.alloc(32, 2) };
    const old = createKeyring([k1]);
    const sealed = old.seal('JBSWY3DPEHPK3PXP', 'totp:user-1');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(old.openText(sealed, 'totp:user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => old.open(sealed, 'totp:user-2')).toThrow();
    const tampered = sealed.slice(0, -3) + (sealed.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(() => old.open(tampered, 'totp:user-1')).toThrow();
    const rotated = createKeyring([k2, k1]);
    expect(rotated.openText(sealed, 'totp:user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(rotated.seal('x', 'c').startsWith('v1.k2.')).toBe(true);
    expect(() => createKeyring([k2]).open(sealed, 'totp:user-1')).toThrow(/keyring/);
  });

  it('takes only a full 16-byte tag: a shortened one, which GCM would otherwise check only in part, is refused', () => {
    const keyring = createKeyring([{ id: 'k1', key: Buffer.alloc(32, 1) }]);
    const parts = keyring.seal('JBSWY3DPEHPK3PXP', 'totp:user-1').split('.');
    const tag = Buffer.from(parts[4]!, 'base64url');
    expect(tag.length).toBe(16);
    for (const length of [4, 8, 12, 15]) {
      const shortened = [...parts.slice(0, 4), tag.subarray(0, length).toString('base64url')].join('.');
      expect(() => keyring.open(shortened, 'totp:user-1'), `${length} bytes`).toThrow(/16 bytes/);
    }
  });
});
