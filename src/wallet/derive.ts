/** BIP32 hierarchical derivation from a BIP39 seed, and the standard account paths. */
import { HDKey } from '@scure/bip32';
import { WalletError } from './errors.ts';

export type Chain = 'eth' | 'btc';

/** Highest non-hardened BIP32 child index. */
export const MAX_INDEX = 0x7fffffff;

export function assertIndex(index: number): number {
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_INDEX) {
    throw new WalletError('invalid_index', `the address index must be an integer from 0 to ${MAX_INDEX}`);
  }
  return index;
}

/** BIP44 Ethereum/EVM path (same addresses on every EVM chain, Cronos included). */
export const ethPath = (index = 0): string => `m/44'/60'/0'/0/${assertIndex(index)}`;
/** BIP84 Bitcoin native segwit (P2WPKH) receive path. */
export const btcPath = (index = 0): string => `m/84'/0'/0'/0/${assertIndex(index)}`;
export const pathFor = (chain: Chain, index = 0): string => (chain === 'eth' ? ethPath(index) : btcPath(index));

export function deriveNode(seed: Uint8Array, path: string): HDKey {
  if (seed.length < 16 || seed.length > 64) throw new WalletError('invalid_path', 'the seed must be 16 to 64 bytes');
  if (!/^m(\/\d+'?)*$/.test(path)) throw new WalletError('invalid_path', `not a BIP32 path: ${path}`);
  try {
    return HDKey.fromMasterSeed(seed).derive(path);
  } catch (e) {
    throw new WalletError('invalid_path', `cannot derive ${path}: ${(e as Error).message}`);
  }
}

/** The secp256k1 private key at `path`. Handle with care: it controls the funds. */
export function derivePrivateKey(seed: Uint8Array, path: string): Uint8Array {
  const key = deriveNode(seed, path).privateKey;
  if (!key) throw new WalletError('invalid_path', `no private key at ${path}`);
  return key;
}

/** Base58 extended keys (xprv/xpub) at `path` — "m" is the BIP32 root. */
export function deriveExtendedKeys(seed: Uint8Array, path = 'm'): { xprv: string; xpub: string } {
  const node = deriveNode(seed, path);
  return { xprv: node.privateExtendedKey, xpub: node.publicExtendedKey };
}
