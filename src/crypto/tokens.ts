/**
 * Random secrets handed to users (session tokens, email links, one-time codes) and how they are
 * kept: only a SHA-256 of a 128-bit-or-more random value is stored, and comparisons are constant-time.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A URL-safe random token of `bytes` random bytes (default 32 = 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A random numeric code of `digits` digits, uniformly distributed (crypto.randomInt). */
export function randomDigits(digits = 6): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

/** SHA-256 hex of a token: what the database stores in place of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** HMAC-SHA256 hex, for values bound to a secret (e.g. one-time codes tied to a record). */
export function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value, 'utf8').digest('hex');
}

/** Constant-time string equality (lengths are compared by their hashes, so no length leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Short codes (6 digits, backup codes) have too little entropy for a bare SHA-256: a stolen table
 * would be reversed in seconds. They are stored as HMAC-SHA256 under a server secret (a pepper) and
 * bound to their scope (purpose and record), so a leaked hash is useless without the secret.
 */
export function hashCode(pepper: string, scope: string, code: string): string {
  return hmac(pepper, `${scope}\n${code}`);
}
