import { describe, it, expect } from 'vitest';
import { decryptMnemonic, encryptMnemonic, parseVault, type KdfParams } from './index.ts';

const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
// The smallest scrypt cost the library accepts (2^14) keeps tests fast; production default is 2^17.
const FAST: KdfParams = { name: 'scrypt', N: 2 ** 14, r: 8, p: 1 };

describe('vault', () => {
  it('round-trips through JSON with scrypt', async () => {
    const vault = await encryptMnemonic(`  ${PHRASE.toUpperCase()} `, 'correct horse', FAST);
    expect(vault).toMatchObject({ version: 1, cipher: 'aes-256-gcm', kdf: { name: 'scrypt', N: 16384, r: 8, p: 1 } });
    expect(vault.ciphertext).not.toContain('legal');
    const json = JSON.stringify(vault);
    expect(await decryptMnemonic(JSON.parse(json), 'correct horse')).toBe(PHRASE);
    expect(await decryptMnemonic(json, 'correct horse')).toBe(PHRASE);
  });

  it('uses fresh salt and iv each time', async () => {
    const a = await encryptMnemonic(PHRASE, 'pw', FAST);
    const b = await encryptMnemonic(PHRASE, 'pw', FAST);
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.iv).not.toBe(b.iv);
  });

  it('throws wrong_passcode for a wrong passcode or tampering', async () => {
    const vault = await encryptMnemonic(PHRASE, 'correct horse', FAST);
    await expect(decryptMnemonic(vault, 'wrong horse')).rejects.toMatchObject({ name: 'WalletError', code: 'wrong_passcode' });
    const bytes = Uint8Array.from(atob(vault.ciphertext), (c) => c.charCodeAt(0));
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const tampered = { ...vault, ciphertext: btoa(String.fromCharCode(...bytes)) };
    await expect(decryptMnemonic(tampered, 'correct horse')).rejects.toMatchObject({ code: 'wrong_passcode' });
  });

  it('supports PBKDF2-SHA256 with at least 600,000 iterations', async () => {
    const vault = await encryptMnemonic(PHRASE, 'pw', { name: 'pbkdf2-sha256', iterations: 600_000 });
    expect(vault.kdf).toMatchObject({ name: 'pbkdf2-sha256', iterations: 600_000 });
    expect(await decryptMnemonic(vault, 'pw')).toBe(PHRASE);
    await expect(encryptMnemonic(PHRASE, 'pw', { name: 'pbkdf2-sha256', iterations: 1000 })).rejects.toMatchObject({
      code: 'invalid_kdf_params',
    });
  });

  it('refuses weak scrypt parameters, bad phrases and empty passcodes', async () => {
    await expect(encryptMnemonic(PHRASE, 'pw', { name: 'scrypt', N: 2 ** 10, r: 8, p: 1 })).rejects.toMatchObject({
      code: 'invalid_kdf_params',
    });
    await expect(encryptMnemonic('legal winner', 'pw', FAST)).rejects.toMatchObject({ code: 'invalid_mnemonic' });
    await expect(encryptMnemonic(PHRASE, '', FAST)).rejects.toMatchObject({ code: 'invalid_passcode' });
  });

  it('throws invalid_vault for malformed vaults', async () => {
    const vault = await encryptMnemonic(PHRASE, 'pw', FAST);
    const bad: unknown[] = [
      'not json',
      null,
      [],
      { ...vault, version: 2 },
      { ...vault, cipher: 'aes-128-cbc' },
      { ...vault, iv: 'AAAA' },
      { ...vault, ciphertext: 42 },
      { ...vault, kdf: { ...vault.kdf, N: 2 ** 30 } },
      { ...vault, kdf: { ...vault.kdf, N: 2 ** 10 } },
      { ...vault, kdf: { ...vault.kdf, name: 'md5' } },
      { ...vault, kdf: { ...vault.kdf, salt: '***' } },
    ];
    for (const v of bad) {
      expect(() => parseVault(v)).toThrow(expect.objectContaining({ code: 'invalid_vault' }));
      await expect(decryptMnemonic(v, 'pw')).rejects.toMatchObject({ code: 'invalid_vault' });
    }
  });
});
