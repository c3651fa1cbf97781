/**
 * Passcode-encrypted recovery phrase ("vault"), a plain JSON object safe to store anywhere:
 * scrypt (default N=2^17, r=8, p=1) or PBKDF2-SHA256 (≥600,000 iterations) stretches the passcode
 * into an AES-256-GCM key (WebCrypto). Binary fields are base64. GCM authenticates the ciphertext,
 * so a wrong passcode (or tampering) is reported as 'wrong_passcode', never as garbage output.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { base64 } from '@scure/base';
import { WalletError } from './errors.ts';
import { assertMnemonic } from './mnemonic.ts';

export type ScryptParams = { name: 'scrypt'; N: number; r: number; p: number };
export type Pbkdf2Params = { name: 'pbkdf2-sha256'; iterations: number };
export type KdfParams = ScryptParams | Pbkdf2Params;

export interface WalletVault {
  version: 1;
  kdf: (ScryptParams | Pbkdf2Params) & { salt: string };
  cipher: 'aes-256-gcm';
  iv: string;
  ciphertext: string;
}

export const DEFAULT_SCRYPT: ScryptParams = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 };
/** Floors (also applied when opening a vault) and ceilings (so a hostile vault cannot exhaust memory/CPU). */
export const KDF_LIMITS = {
  scrypt: { minN: 2 ** 14, maxN: 2 ** 20, maxR: 16, maxP: 16 },
  pbkdf2: { minIterations: 600_000, maxIterations: 10_000_000 },
} as const;

// Derived from the global so the file type-checks both with DOM lib and with @types/node alone.
type Subtle = typeof globalThis.crypto.subtle;
type AesKey = Awaited<ReturnType<Subtle['importKey']>>;

/**
 * Every byte array here is backed by a plain ArrayBuffer (never a SharedArrayBuffer). The DOM
 * typings (TypeScript 5.7+) want that said explicitly for WebCrypto arguments; Node's do not.
 */
const bytes = (u: Uint8Array): Uint8Array<ArrayBuffer> => u as Uint8Array<ArrayBuffer>;

function subtle(): Subtle {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new WalletError('crypto_unavailable', 'WebCrypto (crypto.subtle) is not available here');
  return s;
}

function checkKdf(k: KdfParams, code: 'invalid_kdf_params' | 'invalid_vault'): void {
  const int = (v: unknown, min: number, max: number) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
  if (k.name === 'scrypt') {
    const L = KDF_LIMITS.scrypt;
    const pow2 = int(k.N, L.minN, L.maxN) && (k.N & (k.N - 1)) === 0;
    if (!pow2 || !int(k.r, 1, L.maxR) || !int(k.p, 1, L.maxP) || k.N * k.r > 2 ** 23) {
      throw new WalletError(code, `scrypt needs N a power of two in [2^14, 2^20], r in [1, ${L.maxR}], p in [1, ${L.maxP}]`);
    }
  } else if (k.name === 'pbkdf2-sha256') {
    const L = KDF_LIMITS.pbkdf2;
    if (!int(k.iterations, L.minIterations, L.maxIterations)) {
      throw new WalletError(code, `PBKDF2 needs ${L.minIterations} to ${L.maxIterations} iterations`);
    }
  } else {
    throw new WalletError(code, 'unknown key-derivation function');
  }
}

function passcodeBytes(passcode: string): Uint8Array {
  if (typeof passcode !== 'string' || passcode.length === 0) {
    throw new WalletError('invalid_passcode', 'a passcode is required');
  }
  return utf8ToBytes(passcode.normalize('NFKC'));
}

async function deriveKey(passcode: string, kdf: KdfParams, salt: Uint8Array): Promise<AesKey> {
  const pw = passcodeBytes(passcode);
  let raw: Uint8Array;
  if (kdf.name === 'scrypt') {
    raw = await scryptAsync(pw, salt, { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: 32, maxmem: 2 ** 31 });
  } else {
    const base = await subtle().importKey('raw', bytes(pw), 'PBKDF2', false, ['deriveBits']);
    const bits = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: bytes(salt), iterations: kdf.iterations }, base, 256);
    raw = new Uint8Array(bits);
  }
  const key = await subtle().importKey('raw', bytes(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
  raw.fill(0);
  return key;
}

/** Encrypt a (validated, normalised) recovery phrase. `kdfParams` overrides the scrypt default. */
export async function encryptMnemonic(phrase: string, passcode: string, kdfParams: KdfParams = DEFAULT_SCRYPT): Promise<WalletVault> {
  const normalized = assertMnemonic(phrase);
  checkKdf(kdfParams, 'invalid_kdf_params');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passcode, kdfParams, salt);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv: bytes(iv) }, key, bytes(utf8ToBytes(normalized)));
  const kdf = kdfParams.name === 'scrypt'
    ? { name: 'scrypt' as const, N: kdfParams.N, r: kdfParams.r, p: kdfParams.p, salt: base64.encode(salt) }
    : { name: 'pbkdf2-sha256' as const, iterations: kdfParams.iterations, salt: base64.encode(salt) };
  return { version: 1, kdf, cipher: 'aes-256-gcm', iv: base64.encode(iv), ciphertext: base64.encode(new Uint8Array(ct)) };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function b64(v: unknown, field: string, length?: number): Uint8Array {
  try {
    if (typeof v !== 'string') throw new Error();
    const bytes = base64.decode(v);
    if (length !== undefined && bytes.length !== length) throw new Error();
    return bytes;
  } catch {
    throw new WalletError('invalid_vault', `vault field "${field}" is not valid base64${length ? ` of ${length} bytes` : ''}`);
  }
}

/** Check the shape of an untrusted vault (object or JSON text); throws invalid_vault. */
export function parseVault(input: unknown): WalletVault {
  let v = input;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new WalletError('invalid_vault', 'the vault is not valid JSON');
    }
  }
  if (!isObj(v) || !isObj(v.kdf)) throw new WalletError('invalid_vault', 'the vault is not a wallet vault object');
  if (v.version !== 1) throw new WalletError('invalid_vault', `unsupported vault version ${String(v.version)}`);
  if (v.cipher !== 'aes-256-gcm') throw new WalletError('invalid_vault', 'unsupported vault cipher');
  const k = v.kdf;
  const kdf: KdfParams =
    k.name === 'scrypt'
      ? { name: 'scrypt', N: k.N as number, r: k.r as number, p: k.p as number }
      : { name: k.name as 'pbkdf2-sha256', iterations: k.iterations as number };
  checkKdf(kdf, 'invalid_vault');
  const salt = base64.encode(b64(k.salt, 'kdf.salt'));
  if (base64.decode(salt).length < 16) throw new WalletError('invalid_vault', 'the vault salt is too short');
  b64(v.iv, 'iv', 12);
  if (b64(v.ciphertext, 'ciphertext').length <= 16) throw new WalletError('invalid_vault', 'the vault ciphertext is too short');
  return { version: 1, kdf: { ...kdf, salt }, cipher: 'aes-256-gcm', iv: v.iv as string, ciphertext: v.ciphertext as string };
}

/** The recovery phrase; WalletError 'wrong_passcode' if the passcode is wrong, 'invalid_vault' if malformed. */
export async function decryptMnemonic(vault: unknown, passcode: string): Promise<string> {
  const v = parseVault(vault);
  const key = await deriveKey(passcode, v.kdf, base64.decode(v.kdf.salt));
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt({ name: 'AES-GCM', iv: bytes(base64.decode(v.iv)) }, key, bytes(base64.decode(v.ciphertext)));
  } catch {
    throw new WalletError('wrong_passcode', 'wrong passcode (or the vault was modified)');
  }
  const phrase = new TextDecoder().decode(plain);
  try {
    return assertMnemonic(phrase);
  } catch {
    throw new WalletError('invalid_vault', 'the vault does not hold a valid recovery phrase');
  }
}
