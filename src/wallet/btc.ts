/**
 * Bitcoin: BIP84 native segwit (P2WPKH, bc1…) addresses and "Bitcoin Signed Message" signatures
 * (compact 65-byte recoverable signature, BIP137 header byte, base64 as wallets display it).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { base64, hex } from '@scure/base';
import { p2pkh, p2sh, p2wpkh } from '@scure/btc-signer';
import { WalletError } from './errors.ts';
import { btcPath, derivePrivateKey } from './derive.ts';
import type { DerivedAccount } from './eth.ts';

/** BIP137 header for P2WPKH signatures is 39 + recovery id (39–42). */
const P2WPKH_HEADER = 39;
const MESSAGE_PREFIX = utf8ToBytes('Bitcoin Signed Message:\n');

export function deriveBtcAccount(seed: Uint8Array, index = 0): DerivedAccount {
  const path = btcPath(index);
  const publicKey = secp256k1.getPublicKey(derivePrivateKey(seed, path), true);
  const address = p2wpkh(publicKey).address;
  if (!address) throw new WalletError('invalid_path', 'cannot encode the address');
  return { chain: 'btc', index, path, address, publicKey: bytesToHex(publicKey) };
}

/** Bitcoin CompactSize (varint) length prefix. */
function varint(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  if (n <= 0xffffffff) return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  throw new WalletError('invalid_message', 'the message is too long');
}

/** double-SHA256(varint(len(prefix)) || prefix || varint(len(msg)) || msg). */
export function btcMessageHash(message: string | Uint8Array): Uint8Array {
  const msg = typeof message === 'string' ? utf8ToBytes(message) : message;
  const data = concatBytes(varint(MESSAGE_PREFIX.length), MESSAGE_PREFIX, varint(msg.length), msg);
  return sha256(sha256(data));
}

/** 65 bytes: header (39–42) || r || s. */
export function signBtcMessageBytes(seed: Uint8Array, message: string | Uint8Array, index = 0): Uint8Array {
  const key = derivePrivateKey(seed, btcPath(index));
  // noble's 'recovered' format is recovery id || r || s.
  const sig = secp256k1.sign(btcMessageHash(message), key, { prehash: false, format: 'recovered' });
  const out = Uint8Array.from(sig);
  out[0] = P2WPKH_HEADER + (sig[0] ?? 0);
  return out;
}

/** The signature base64-encoded (the usual display form); hex of the same bytes via signBtcMessageBytes. */
export function signBtcMessage(seed: Uint8Array, message: string | Uint8Array, index = 0): string {
  return base64.encode(signBtcMessageBytes(seed, message, index));
}

function decodeSignature(signature: string | Uint8Array): Uint8Array {
  if (typeof signature !== 'string') return signature;
  const s = signature.trim();
  try {
    return /^(0x)?[0-9a-fA-F]{130}$/.test(s) ? hex.decode(s.replace(/^0x/, '').toLowerCase()) : base64.decode(s);
  } catch {
    throw new WalletError('invalid_signature', 'the signature is not base64 or hex');
  }
}

/**
 * True when `signature` (base64, hex or bytes) over `message` was made by the key behind
 * `address` (P2WPKH bc1…, P2SH-P2WPKH 3…, or P2PKH 1…). Any BIP137 header 27–42 is accepted;
 * the recovered key must produce the given address.
 */
export function verifyBtcMessage(message: string | Uint8Array, signature: string | Uint8Array, address: string): boolean {
  let sig: Uint8Array;
  try {
    sig = decodeSignature(signature);
  } catch {
    return false;
  }
  const header = sig[0] ?? 0;
  if (sig.length !== 65 || header < 27 || header > 42) return false;
  const recovery = (header - 27) & 3;
  let publicKey: Uint8Array;
  try {
    const recovered = concatBytes(Uint8Array.of(recovery), sig.subarray(1));
    publicKey = secp256k1.recoverPublicKey(recovered, btcMessageHash(message), { prehash: false });
  } catch {
    return false;
  }
  const compressed = header >= 31;
  const candidates = compressed
    ? [p2wpkh(publicKey).address, p2sh(p2wpkh(publicKey)).address, p2pkh(publicKey).address]
    : [p2pkh(secp256k1.Point.fromBytes(publicKey).toBytes(false)).address];
  const a = address.trim();
  return candidates.includes(/^bc1/i.test(a) ? a.toLowerCase() : a);
}
