import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import {
  btcPath,
  deriveBtcAccount,
  deriveEthAccount,
  deriveExtendedKeys,
  derivePrivateKey,
  ethPath,
  mnemonicToSeed,
} from './index.ts';

interface DerivationFixture {
  bip32_vector_1: { seed_hex: string } & Record<string, string>;
  bip84: { mnemonic: string; passphrase: string; path: string; address: string };
  ethereum_bip44: {
    mnemonic: string;
    passphrase: string;
    accounts: { path: string; address: string; privateKey: string }[];
  };
}
const fx = JSON.parse(
  readFileSync(new URL('../../test/fixtures/vectors/wallet-derivation.json', import.meta.url), 'utf8'),
) as DerivationFixture;

const indexOf = (path: string) => Number(path.split('/').pop());

describe('BIP32 test vector 1', () => {
  const { seed_hex, ...paths } = fx.bip32_vector_1;
  it.each(Object.entries(paths))('%s', (path, xprv) => {
    expect(deriveExtendedKeys(hexToBytes(seed_hex), path).xprv).toBe(xprv);
  });
});

describe('BIP84 native segwit', () => {
  it(`${fx.bip84.path} → ${fx.bip84.address}`, async () => {
    const seed = await mnemonicToSeed(fx.bip84.mnemonic, fx.bip84.passphrase);
    const account = deriveBtcAccount(seed, indexOf(fx.bip84.path));
    expect(account.path).toBe(fx.bip84.path);
    expect(account.address).toBe(fx.bip84.address);
    expect(account.publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
  });
});

describe('Ethereum BIP44 accounts', () => {
  it.each(fx.ethereum_bip44.accounts)('$path → $address', async ({ path, address, privateKey }) => {
    const seed = await mnemonicToSeed(fx.ethereum_bip44.mnemonic, fx.ethereum_bip44.passphrase);
    const account = deriveEthAccount(seed, indexOf(path));
    expect(account).toMatchObject({ chain: 'eth', path, address });
    expect(account.publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    expect('0x' + bytesToHex(derivePrivateKey(seed, path))).toBe(privateKey);
  });
});

describe('paths and indexes', () => {
  it('builds the standard paths', () => {
    expect(ethPath(7)).toBe("m/44'/60'/0'/0/7");
    expect(btcPath()).toBe("m/84'/0'/0'/0/0");
  });

  it('rejects bad indexes and paths', async () => {
    const seed = await mnemonicToSeed(fx.bip84.mnemonic);
    for (const bad of [-1, 1.5, 2 ** 31, Number.NaN]) {
      expect(() => deriveEthAccount(seed, bad)).toThrow(expect.objectContaining({ code: 'invalid_index' }));
    }
    expect(() => derivePrivateKey(seed, 'm/x')).toThrow(expect.objectContaining({ code: 'invalid_path' }));
  });

  it('uses the passphrase', async () => {
    const plain = deriveEthAccount(await mnemonicToSeed(fx.bip84.mnemonic));
    const withPass = deriveEthAccount(await mnemonicToSeed(fx.bip84.mnemonic, 'TREZOR'));
    expect(withPass.address).not.toBe(plain.address);
  });
});
