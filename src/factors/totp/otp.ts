/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) built directly on node:crypto.
 *
 * Bastion policy for enrolled authenticators: SHA1, 6 digits, 30 s period,
 * ±1 step of clock drift, and strict replay protection (see verifyTotp).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32 } from '@scure/base';
import QRCode from 'qrcode';

export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export interface HotpOptions {
  digits?: number;
  algorithm?: OtpAlgorithm;
}

export interface TotpOptions extends HotpOptions {
  period?: number;
}

const POLICY = { digits: 6, algorithm: 'SHA1', period: 30, drift: 1 } as const;

/** RFC 4226 §5.3: HOTP(K, C) = Truncate(HMAC(K, C)) mod 10^Digit. */
export function hotp(secret: Uint8Array, counter: number | bigint, opts: HotpOptions = {}): string {
  const digits = opts.digits ?? 6;
  const algorithm = opts.algorithm ?? 'SHA1';
  // 10 digits is the most a 31-bit value can fill (RFC 4226 §5.3 / RFC 6238 ref. code).
  if (!Number.isInteger(digits) || digits < 1 || digits > 10) throw new RangeError(`invalid digits: ${digits}`);
  const c = BigInt(counter);
  if (c < 0n || c > 0xffff_ffff_ffff_ffffn) throw new RangeError(`counter out of range: ${counter}`);

  // RFC 4226 §5.1: the counter C is an 8-byte big-endian value.
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(c);
  const mac = createHmac(algorithm.toLowerCase(), secret).update(msg).digest();

  // RFC 4226 §5.3 dynamic truncation: the low 4 bits of the LAST byte select an
  // offset; take 4 bytes from there and drop the top bit (avoids signed/unsigned
  // ambiguity). RFC 6238 §1.2 applies the same rule to the longer SHA-2 MACs.
  const offset = mac[mac.length - 1]! & 0x0f;
  const binCode = mac.readUInt32BE(offset) & 0x7fff_ffff;
  return (binCode % 10 ** digits).toString().padStart(digits, '0');
}

/** RFC 6238 §4.2: T = floor((UnixTime - T0) / X), with T0 = 0. */
export function totpStep(timeMs: number, periodSeconds = 30): number {
  return Math.floor(timeMs / 1000 / periodSeconds);
}

/** RFC 6238 §4.2: TOTP = HOTP(K, T). */
export function totp(secret: Uint8Array, timeMs: number, opts: TotpOptions = {}): string {
  const { period = 30, ...hotpOpts } = opts;
  return hotp(secret, totpStep(timeMs, period), hotpOpts);
}

/**
 * Verify a user-supplied code under Bastion's policy.
 *
 * Accepts the current step and one step either side (RFC 6238 §5.2 resync
 * window), but never a step <= lastUsedStep (RFC 6238 §5.2: "the verifier MUST
 * NOT accept the second attempt of the OTP after the successful validation").
 * Returns the matched step — the caller must persist it as the new
 * lastUsedStep — or null.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  timeMs: number,
  lastUsedStep: number | null,
): number | null {
  if (typeof code !== 'string' || !/^[0-9]{6}$/.test(code)) return null;
  const given = Buffer.from(code, 'ascii');
  const current = totpStep(timeMs, POLICY.period);

  let matched: number | null = null;
  // No early exit: every candidate is computed and compared in constant time,
  // so timing does not reveal which step (if any) matched.
  for (let step = current - POLICY.drift; step <= current + POLICY.drift; step++) {
    if (step < 0 || (lastUsedStep !== null && step <= lastUsedStep)) continue;
    const expected = Buffer.from(hotp(secret, step, { digits: POLICY.digits, algorithm: POLICY.algorithm }), 'ascii');
    // Both buffers are exactly 6 bytes, as timingSafeEqual requires.
    if (timingSafeEqual(expected, given)) matched = step; // keeps the highest matching step
  }
  return matched;
}

/** 160-bit secret: the HMAC-SHA1 output size recommended by RFC 4226 §4 (R6). */
export function generateTotpSecret(): Uint8Array {
  return new Uint8Array(randomBytes(20));
}

/** RFC 4648 base32, without '=' padding (as authenticator apps expect). */
export function encodeBase32(bytes: Uint8Array): string {
  return base32.encode(bytes).replace(/=+$/, '');
}

/** Lenient base32 decode: ignores case, whitespace and missing padding. */
export function decodeBase32(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  const padded = clean.padEnd(Math.ceil(clean.length / 8) * 8, '=');
  return base32.decode(padded);
}

/**
 * Key Uri Format (Google Authenticator):
 * otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
 * Label parts are percent-encoded separately so that the ':' separator survives.
 */
export function otpauthUrl({
  issuer,
  accountName,
  secret,
}: {
  issuer: string;
  accountName: string;
  secret: Uint8Array;
}): string {
  if (!issuer || !accountName) throw new Error('issuer and accountName are required');
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = [
    `secret=${encodeBase32(secret)}`,
    `issuer=${encodeURIComponent(issuer)}`,
    `algorithm=${POLICY.algorithm}`,
    `digits=${POLICY.digits}`,
    `period=${POLICY.period}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}

/** QR codes for enrolment: a PNG data URL and an SVG document string. */
export async function totpQrCodes(url: string): Promise<{ png: string; svg: string }> {
  const [png, svg] = await Promise.all([
    QRCode.toDataURL(url, { errorCorrectionLevel: 'M', type: 'image/png' }),
    QRCode.toString(url, { errorCorrectionLevel: 'M', type: 'svg' }),
  ]);
  return { png, svg };
}
