import { describe, it, expect } from 'vitest';
import { base64 } from '@scure/base';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { btcMessageHash, deriveBtcAccount, mnemonicToSeed, signBtcMessage, signBtcMessageBytes, verifyBtcMessage } from './index.ts';

const PHRASE = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ADDRESS0 = 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu';

describe('Bitcoin signed messages', () => {
  it('hashes with the varint-prefixed "Bitcoin Signed Message" preamble', () => {
    // Independent framing: 0x18 || preamble || 0x05 || "hello", double SHA-256.
    const framed = concatBytes(Uint8Array.of(0x18), utf8ToBytes('Bitcoin Signed Message:\n'), Uint8Array.of(5), utf8ToBytes('hello'));
    expect(bytesToHex(btcMessageHash('hello'))).toBe(bytesToHex(sha256(sha256(framed))));
    const long = 'b'.repeat(300);
    const framedLong = concatBytes(Uint8Array.of(0x18), utf8ToBytes('Bitcoin Signed Message:\n'), Uint8Array.of(0xfd, 300 & 0xff, 300 >> 8), utf8ToBytes(long));
    expect(bytesToHex(btcMessageHash(long))).toBe(bytesToHex(sha256(sha256(framedLong))));
  });

  it('signs with a P2WPKH header and verifies against the derived address', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    expect(deriveBtcAccount(seed).address).toBe(ADDRESS0);
    const message = 'Bastion proof of ownership';
    const sig = signBtcMessage(seed, message);
    const bytes = base64.decode(sig);
    expect(bytes).toHaveLength(65);
    expect(bytes[0]).toBeGreaterThanOrEqual(39);
    expect(bytes[0]).toBeLessThanOrEqual(42);
    expect(verifyBtcMessage(message, sig, ADDRESS0)).toBe(true);
    expect(verifyBtcMessage(message, bytesToHex(bytes), ADDRESS0.toUpperCase())).toBe(true);
    expect(verifyBtcMessage(message + '.', sig, ADDRESS0)).toBe(false);
    expect(verifyBtcMessage(message, sig, deriveBtcAccount(seed, 1).address)).toBe(false);
    expect(verifyBtcMessage(message, 'not a signature', ADDRESS0)).toBe(false);
  });

  it('is deterministic (RFC 6979) and index-aware', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    expect(bytesToHex(signBtcMessageBytes(seed, 'x'))).toBe(bytesToHex(signBtcMessageBytes(seed, 'x')));
    const sig1 = signBtcMessage(seed, 'x', 1);
    expect(verifyBtcMessage('x', sig1, deriveBtcAccount(seed, 1).address)).toBe(true);
  });

  it('handles long messages (3-byte varint)', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    const long = 'a'.repeat(300);
    expect(verifyBtcMessage(long, signBtcMessage(seed, long), ADDRESS0)).toBe(true);
  });
});
