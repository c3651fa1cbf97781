/**
 * Randomness for seeded data. The shape of the data (who signs in when, from where, with what
 * result) comes from a fast seeded generator, since millions of draws from the system's CSPRNG would
 * dominate the run; it decides nothing secret. Everything that stands for a secret (password, TOTP
 * secret, device cookies, hashes of tokens nobody holds) comes from node:crypto.
 */
import { randomBytes } from 'node:crypto';

/** sfc32 (Chris Doty-Humphrey's small fast counter): 128 bits of state, floats in [0, 1). */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Buffer = randomBytes(16)) {
    this.a = seed.readUInt32LE(0);
    this.b = seed.readUInt32LE(4);
    this.c = seed.readUInt32LE(8);
    this.d = seed.readUInt32LE(12) | 1;
  }

  /** 32 random bits, as an unsigned integer. */
  word(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.word() / 4_294_967_296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** An integer in [from, to). */
  between(from: number, to: number): number {
    return from + Math.floor(this.float() * (to - from));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const DIGITS = '0123456789abcdef';
const BYTES = Array.from({ length: 256 }, (_, i) => DIGITS[i >> 4]! + DIGITS[i & 15]!);
const hex16 = (bits: number) => BYTES[(bits >>> 8) & 255]! + BYTES[bits & 255]!;
const hex32 = (bits: number) => hex16(bits >>> 16) + hex16(bits);

/**
 * Version-4-shaped UUIDs (as randomUUID makes them) that come out in ascending order: the first 48
 * bits step evenly through their whole range over `expected` ids (with random jitter inside each
 * step), the rest is random. Spread like random ids, but written front to back, so each primary
 * key index grows at its end, as a bulk load would write it, instead of at a random page per row.
 */
export class AscendingIds {
  private k = 0;
  private readonly step: number;

  constructor(
    expected: number,
    private readonly random: Random,
  ) {
    this.step = 2 ** 48 / Math.max(1, expected);
  }

  next(): string {
    // Each id has a step of the 48 bits to itself, so they are unique whatever the tail. Past the
    // expected count they stay in the last step (unique by their tail, no longer in order).
    const k = this.k++;
    const high = Math.min(2 ** 48 - 1, Math.floor((k + this.random.float()) * this.step));
    // The rest as in a version-4 UUID (RFC 9562): version 4, variant 10xx, random bits. Not secret.
    const a = this.random.word();
    const b = this.random.word();
    const c = this.random.word();
    return `${hex32(Math.floor(high / 65_536))}-${hex16(high % 65_536)}-4${DIGITS[(a >>> 8) & 15]}${BYTES[a & 255]}-${DIGITS[8 + (a >>> 30)]}${DIGITS[(b >>> 8) & 15]}${BYTES[b & 255]}-${hex16(b >>> 16)}${hex32(c)}`;
  }
}

/** Random 64-digit hex strings (what a SHA-256 of a secret nobody holds looks like), from a pooled buffer. */
export class RandomHex {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(bytes = 32): string {
    if (this.offset + bytes > this.pool.length) {
      this.pool = randomBytes(64 * 1024);
      this.offset = 0;
    }
    const hex = this.pool.toString('hex', this.offset, this.offset + bytes);
    this.offset += bytes;
    return hex;
  }
}
