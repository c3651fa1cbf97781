import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check } from '@scure/base';
import { HDKey } from '@scure/bip32';
import { validateAddress } from './address-rules.ts';
import { BTC_ACCOUNT_PATH, EVM_ACCOUNT_PATH, depositAddress, throwawayDepositKeys } from './watch-only.ts';
import { deriveBtcAccount, deriveEthAccount, isWalletError, mnemonicToSeed } from './index.ts';

interface DerivationFixture {
  bip84: { mnemonic: string; passphrase: string; path: string; address: string };
  ethereum_bip44: { mnemonic: string; passphrase: string; accounts: { path: string; address: string }[] };
}
const fx = JSON.parse(
  readFileSync(new URL('../../test/fixtures/vectors/wallet-derivation.json', import.meta.url), 'utf8'),
) as DerivationFixture;

/** BIP84 test vectors, account 0 of "abandon … about": its zprv, and the addresses at 0/0 and 0/1. */
const BIP84_ACCOUNT_ZPRV =
  'zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4QgEvBRmfvqWvGp42t42nvgGpNgYSJA9iefm1yYNZKEm7z6qUWCroSQnE';
const BIP84_ACCOUNT_ZPUB =
  'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs';
const BIP84_RECEIVE = ['bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu', 'bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g'] as const;
/** m/44'/60'/0'/0/0 of "abandon … about" (the address common wallets show for that phrase). */
const ABANDON_EVM_0 = '0x9858EfFD232B4033E47d90003D41EC34EcaEda94';

const ZPUB = { public: 0x04b24746, private: 0x04b2430c };
const b58 = base58check(sha256);

/** The same key bytes serialised under another version (xpub ⇄ zpub ⇄ ypub …). */
function withVersion(key: string, version: number): string {
  const raw = Uint8Array.from(b58.decode(key));
  new DataView(raw.buffer).setUint32(0, version, false);
  return b58.encode(raw);
}

const indexOf = (path: string) => Number(path.split('/').pop());

describe('Bitcoin deposit addresses from a BIP84 account zpub/xpub', async () => {
  const seed = await mnemonicToSeed(fx.bip84.mnemonic, fx.bip84.passphrase);
  const account = HDKey.fromMasterSeed(seed, ZPUB).derive(BTC_ACCOUNT_PATH);
  const zpub = account.publicExtendedKey;
  const xpub = HDKey.fromMasterSeed(seed).derive(BTC_ACCOUNT_PATH).publicExtendedKey;

  it('the account key of the test mnemonic is the one BIP84 lists', () => {
    expect(account.privateExtendedKey).toBe(BIP84_ACCOUNT_ZPRV);
    expect(zpub).toBe(BIP84_ACCOUNT_ZPUB);
    expect(withVersion(zpub, 0x0488b21e)).toBe(xpub);
  });

  it('gives the BIP84 receive addresses and the repo fixture address', () => {
    expect(depositAddress('bitcoin', zpub, 0)).toBe(BIP84_RECEIVE[0]);
    expect(depositAddress('bitcoin', zpub, 1)).toBe(BIP84_RECEIVE[1]);
    expect(depositAddress('bitcoin', zpub, indexOf(fx.bip84.path))).toBe(fx.bip84.address);
  });

  it.each([0, 1, 2, 7, 1000, 0x7fffffff])('index %i matches the seed-based deriveBtcAccount, for zpub and xpub alike', (i) => {
    const expected = deriveBtcAccount(seed, i).address;
    expect(depositAddress('bitcoin', zpub, i)).toBe(expected);
    expect(depositAddress('bitcoin', xpub, i)).toBe(expected);
  });

  it('accepts surrounding whitespace around the key', () => {
    expect(depositAddress('bitcoin', `  ${zpub}\n`, 0)).toBe(BIP84_RECEIVE[0]);
  });

  it('refuses the private key (zprv or xprv) and says why', () => {
    const xprv = HDKey.fromMasterSeed(seed).derive(BTC_ACCOUNT_PATH).privateExtendedKey;
    for (const key of [BIP84_ACCOUNT_ZPRV, xprv]) {
      expect(() => depositAddress('bitcoin', key, 0)).toThrow(/PRIVATE key .*the server must never hold a private key/);
    }
  });

  it('refuses keys that would give addresses the platform wallet does not watch', () => {
    const root = HDKey.fromMasterSeed(seed).publicExtendedKey;
    const change = HDKey.fromMasterSeed(seed).derive(`${BTC_ACCOUNT_PATH}/1`).publicExtendedKey;
    const nonHardened = HDKey.fromMasterSeed(seed).derive("m/84'/0'/0").publicExtendedKey;
    expect(() => depositAddress('bitcoin', root, 0)).toThrow(/account-level key .*depth 0/);
    expect(() => depositAddress('bitcoin', change, 0)).toThrow(/account-level key .*depth 4/);
    expect(() => depositAddress('bitcoin', nonHardened, 0)).toThrow(/non-hardened/);
    expect(() => depositAddress('bitcoin', withVersion(zpub, 0x049d7cb2), 0)).toThrow(/version 0x049d7cb2; expected a mainnet zpub or xpub/); // ypub (BIP49)
    expect(() => depositAddress('bitcoin', withVersion(zpub, 0x043587cf), 0)).toThrow(/version 0x043587cf/); // tpub
  });

  it('refuses text that is not an extended key', () => {
    const typo = zpub.slice(0, -1) + (zpub.endsWith('s') ? 't' : 's');
    for (const key of ['', 'zpub', typo, BIP84_RECEIVE[0]]) {
      expect(() => depositAddress('bitcoin', key, 0)).toThrow(/not a base58check extended public key/);
    }
    expect(() => depositAddress('bitcoin', b58.encode(new Uint8Array(77)), 0)).toThrow(/77 bytes, an extended key is 78/);
  });
});

describe('EVM deposit addresses from a BIP44 account xpub (m/44\'/60\'/0\')', async () => {
  const seed = await mnemonicToSeed(fx.ethereum_bip44.mnemonic, fx.ethereum_bip44.passphrase);
  const xpub = HDKey.fromMasterSeed(seed).derive(EVM_ACCOUNT_PATH).publicExtendedKey;

  it.each(fx.ethereum_bip44.accounts)('$path → $address on Ethereum and Cronos', ({ path, address }) => {
    const i = indexOf(path);
    expect(depositAddress('ethereum', xpub, i)).toBe(address);
    expect(depositAddress('cronos', xpub, i)).toBe(address);
    expect(deriveEthAccount(seed, i).address).toBe(address);
  });

  it.each([3, 19, 123456])('index %i matches the seed-based deriveEthAccount', (i) => {
    expect(depositAddress('ethereum', xpub, i)).toBe(deriveEthAccount(seed, i).address);
  });

  it('"abandon … about" gives its well-known first address', async () => {
    const abandon = await mnemonicToSeed(fx.bip84.mnemonic);
    const key = HDKey.fromMasterSeed(abandon).derive(EVM_ACCOUNT_PATH).publicExtendedKey;
    expect(depositAddress('ethereum', key, 0)).toBe(ABANDON_EVM_0);
    expect(deriveEthAccount(abandon, 0).address).toBe(ABANDON_EVM_0);
  });

  it('refuses the xprv, and a zpub (BIP84 is a Bitcoin account)', () => {
    const xprv = HDKey.fromMasterSeed(seed).derive(EVM_ACCOUNT_PATH).privateExtendedKey;
    expect(() => depositAddress('ethereum', xprv, 0)).toThrow(/PRIVATE key/);
    expect(() => depositAddress('cronos', xprv, 0)).toThrow(/PRIVATE key/);
    expect(() => depositAddress('ethereum', withVersion(xpub, ZPUB.public), 0)).toThrow(/expected a mainnet xpub of m\/44'\/60'\/0'/);
  });
});

describe('indexes and networks', () => {
  it.each([-1, 0x80000000, 1.5, Number.NaN])('refuses index %s with the wallet error', (i) => {
    try {
      depositAddress('bitcoin', BIP84_ACCOUNT_ZPUB, i);
      expect.unreachable();
    } catch (e) {
      expect(isWalletError(e) && e.code).toBe('invalid_index');
    }
  });

  it('refuses an unknown network', () => {
    expect(() => depositAddress('dogecoin' as 'bitcoin', BIP84_ACCOUNT_ZPUB, 0)).toThrow(/bitcoin, ethereum or cronos/);
  });
});

describe('throwawayDepositKeys', () => {
  it('returns account-level public keys only: a zpub for Bitcoin, an xpub for EVM', () => {
    const keys = throwawayDepositKeys();
    expect(keys.bitcoin).toMatch(/^zpub/);
    expect(keys.evm).toMatch(/^xpub/);
    const btc = HDKey.fromExtendedKey(keys.bitcoin, ZPUB);
    const evm = HDKey.fromExtendedKey(keys.evm);
    for (const node of [btc, evm]) {
      expect(node.depth).toBe(3);
      expect(node.privateKey).toBeNull();
    }
  });

  it('derives valid deposit addresses', () => {
    const keys = throwawayDepositKeys();
    for (const i of [0, 1, 42]) {
      const btc = depositAddress('bitcoin', keys.bitcoin, i);
      expect(btc).toMatch(/^bc1q[02-9ac-hj-np-z]{38}$/);
      expect(validateAddress('bitcoin', btc)).toEqual({ ok: true, address: btc });
      const eth = depositAddress('ethereum', keys.evm, i);
      expect(validateAddress('ethereum', eth)).toEqual({ ok: true, address: eth });
      expect(depositAddress('cronos', keys.evm, i)).toBe(eth);
    }
  });

  it('is fresh every time', () => {
    const a = throwawayDepositKeys();
    const b = throwawayDepositKeys();
    expect(a.bitcoin).not.toBe(b.bitcoin);
    expect(a.evm).not.toBe(b.evm);
  });
});
