/**
 * Watch-only deposit addresses: the server holds only the platform's account-level extended
 * PUBLIC keys and derives one receive address per index from them. The private keys stay with
 * whoever sweeps the deposits; a private key given here is refused, never used.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check } from '@scure/base';
import { HARDENED_OFFSET, HDKey, type Versions } from '@scure/bip32';
import { p2wpkh } from '@scure/btc-signer';
import { addr } from 'micro-eth-signer';
import { assertIndex } from './derive.ts';
import type { WithdrawalNetwork } from './address-rules.ts';

export type DepositNetwork = WithdrawalNetwork;

/** BIP84 (native segwit) and BIP44 (Ethereum, every EVM chain) account paths the keys belong to. */
export const BTC_ACCOUNT_PATH = "m/84'/0'/0'";
export const EVM_ACCOUNT_PATH = "m/44'/60'/0'";

/** BIP32 serialisation versions: xpub/xprv (BIP32) and zpub/zprv (SLIP-132, for BIP84 accounts). */
const XPUB: Versions = { public: 0x0488b21e, private: 0x0488ade4 };
const ZPUB: Versions = { public: 0x04b24746, private: 0x04b2430c };
/** Private versions of the common SLIP-132 families (x/y/z, t/u/v): named in the refusal. */
const PRIVATE_VERSIONS = new Set([0x0488ade4, 0x049d7878, 0x04b2430c, 0x04358394, 0x044a4e28, 0x045f18bc]);
const ACCOUNT_DEPTH = 3;
const RECEIVE_CHAIN = 0;

const b58check = base58check(sha256);

/** The receive address at `index` (external chain 0) of the platform's account key for `network`. */
export function depositAddress(network: DepositNetwork, xpub: string, index: number): string {
  assertIndex(index);
  if (network === 'bitcoin') return p2wpkhAddress(childPublicKey(accountKey(xpub, [ZPUB, XPUB], BTC_ACCOUNT_PATH), index));
  if (network === 'ethereum' || network === 'cronos') {
    return addr.fromPublicKey(childPublicKey(accountKey(xpub, [XPUB], EVM_ACCOUNT_PATH), index));
  }
  throw new Error(`no deposit addresses for network "${String(network)}": bitcoin, ethereum or cronos`);
}

/**
 * Fresh account keys for development (bitcoin as zpub, EVM as xpub) from a random seed that is
 * dropped at once: nobody can ever spend what is deposited to them.
 */
export function throwawayDepositKeys(): { bitcoin: string; evm: string } {
  const seed = globalThis.crypto.getRandomValues(new Uint8Array(32));
  try {
    return {
      bitcoin: publicOnly(HDKey.fromMasterSeed(seed, ZPUB).derive(BTC_ACCOUNT_PATH)),
      evm: publicOnly(HDKey.fromMasterSeed(seed, XPUB).derive(EVM_ACCOUNT_PATH)),
    };
  } finally {
    seed.fill(0);
  }
}

function publicOnly(node: HDKey): string {
  const xpub = node.publicExtendedKey;
  node.wipePrivateData();
  return xpub;
}

/**
 * Parse an account-level extended public key whose version is one of `accepted`. The checks
 * before parsing exist so a wrong key fails loudly here rather than yielding addresses nobody
 * watches (a root key, a BIP49 ypub) or a server that holds a private key.
 */
function accountKey(key: string, accepted: Versions[], path: string): HDKey {
  const text = typeof key === 'string' ? key.trim() : '';
  let raw: Uint8Array;
  try {
    raw = b58check.decode(text);
  } catch {
    throw new Error(`the deposit key is not a base58check extended public key (the account key at ${path})`);
  }
  if (raw.length !== 78) throw new Error(`the deposit key is ${raw.length} bytes, an extended key is 78`);
  const version = new DataView(raw.buffer, raw.byteOffset).getUint32(0, false);
  if (PRIVATE_VERSIONS.has(version) || raw[45] === 0) {
    throw new Error(
      'the deposit key is an extended PRIVATE key (xprv/zprv): give the server only the public key (xpub/zpub) of ' +
        `${path}; the server must never hold a private key`,
    );
  }
  const versions = accepted.find((v) => v.public === version);
  if (!versions) {
    const names = accepted.map((v) => (v === ZPUB ? 'zpub' : 'xpub')).join(' or ');
    throw new Error(`the deposit key has version 0x${version.toString(16).padStart(8, '0')}; expected a mainnet ${names} of ${path}`);
  }
  const depth = raw[4];
  const childIndex = new DataView(raw.buffer, raw.byteOffset).getUint32(9, false);
  if (depth !== ACCOUNT_DEPTH || childIndex < HARDENED_OFFSET) {
    throw new Error(
      `the deposit key must be the account-level key of ${path} (depth 3, a hardened child); ` +
        `this one is at depth ${depth}${childIndex < HARDENED_OFFSET ? ', a non-hardened child' : ''}`,
    );
  }
  try {
    return HDKey.fromExtendedKey(text, versions);
  } catch (e) {
    throw new Error(`the deposit key is not a valid extended public key: ${(e as Error).message}`);
  }
}

function childPublicKey(account: HDKey, index: number): Uint8Array {
  const key = account.deriveChild(RECEIVE_CHAIN).deriveChild(index).publicKey;
  if (!key) throw new Error('cannot derive a public key');
  return key;
}

function p2wpkhAddress(publicKey: Uint8Array): string {
  const address = p2wpkh(publicKey).address;
  if (!address) throw new Error('cannot encode a P2WPKH address');
  return address;
}
