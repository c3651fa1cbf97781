import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import {
  ENGLISH_WORDLIST,
  WalletError,
  deriveExtendedKeys,
  entropyToMnemonic,
  generateMnemonic,
  mnemonicToEntropy,
  mnemonicToSeed,
  normalizeMnemonic,
  suggestWords,
  validateMnemonic,
} from './index.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/vectors/bip39-english.json', import.meta.url), 'utf8'),
) as { passphrase: string; english: [string, string, string, string][] };

describe('BIP39 reference vectors (English)', () => {
  it('has vectors to run', () => expect(fixture.english.length).toBeGreaterThan(0));

  it.each(fixture.english.map((v, i) => [i, ...v] as const))(
    'vector %i: entropy %s',
    async (_i, entropyHex, mnemonic, seedHex, xprv) => {
      expect(entropyToMnemonic(hexToBytes(entropyHex))).toBe(mnemonic);
      expect(validateMnemonic(mnemonic)).toEqual({ ok: true, phrase: mnemonic, wordCount: mnemonic.split(' ').length });
      expect(bytesToHex(mnemonicToEntropy(mnemonic))).toBe(entropyHex);
      const seed = await mnemonicToSeed(mnemonic, fixture.passphrase);
      expect(bytesToHex(seed)).toBe(seedHex);
      expect(deriveExtendedKeys(seed).xprv).toBe(xprv);
    },
  );
});

describe('generateMnemonic', () => {
  it.each([12, 24] as const)('creates a valid %i-word phrase', (n) => {
    const phrase = generateMnemonic(n);
    expect(phrase.split(' ')).toHaveLength(n);
    expect(validateMnemonic(phrase).ok).toBe(true);
  });

  it('defaults to 12 words and does not repeat', () => {
    const a = generateMnemonic();
    expect(a.split(' ')).toHaveLength(12);
    expect(generateMnemonic()).not.toBe(a);
  });

  it('rejects other lengths', () => {
    expect(() => generateMnemonic(18 as 12)).toThrow(expect.objectContaining({ code: 'invalid_word_count' }));
  });
});

describe('validateMnemonic', () => {
  const good = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

  it('normalises case and whitespace', () => {
    expect(normalizeMnemonic(`  ABANDON\tabandon \n abandon\u00a0abandon  `)).toBe('abandon abandon abandon abandon');
    const r = validateMnemonic(`\n ${good.toUpperCase().replace(/ /g, '   ')}  `);
    expect(r).toEqual({ ok: true, phrase: good, wordCount: 12 });
  });

  it('reports a bad checksum', () => {
    const r = validateMnemonic(good.replace(/about$/, 'abandon'));
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.reason).toBe('checksum');
  });

  it('names misspelt words with suggestions', () => {
    const r = validateMnemonic(good.replace(/about$/, 'abuot').replace(/^abandon/, 'abandn'));
    if (r.ok || r.reason !== 'unknown_words') throw new Error('expected unknown_words');
    expect(r.unknownWords.map((u) => [u.index, u.word])).toEqual([[0, 'abandn'], [11, 'abuot']]);
    expect(r.unknownWords[0]?.suggestions[0]).toBe('abandon');
    expect(r.unknownWords[1]?.suggestions).toContain('about');
    expect(r.unknownWords[1]?.suggestions.length).toBeLessThanOrEqual(3);
    expect(r.message).toContain('did you mean');
  });

  it('reports a wrong word count', () => {
    const r = validateMnemonic('abandon abandon abandon');
    expect(r).toMatchObject({ ok: false, reason: 'word_count', wordCount: 3 });
    expect(validateMnemonic('   ')).toMatchObject({ ok: false, reason: 'word_count', wordCount: 0 });
  });

  it('makes seed derivation throw a WalletError for an invalid phrase', async () => {
    await expect(mnemonicToSeed('abandon abandon')).rejects.toBeInstanceOf(WalletError);
    await expect(mnemonicToSeed('abandon abandon')).rejects.toMatchObject({ code: 'invalid_mnemonic' });
  });
});

describe('suggestWords', () => {
  it('prefers prefix matches and caps at 3', () => {
    expect(suggestWords('aban', ENGLISH_WORDLIST)[0]).toBe('abandon');
    expect(suggestWords('zoo', ENGLISH_WORDLIST)[0]).toBe('zoo');
    expect(suggestWords('wolrd', ENGLISH_WORDLIST)[0]).toBe('world');
    expect(suggestWords('xqzjvkw', ENGLISH_WORDLIST)).toEqual([]);
    expect(suggestWords('cat', ENGLISH_WORDLIST).length).toBeLessThanOrEqual(3);
  });
});
