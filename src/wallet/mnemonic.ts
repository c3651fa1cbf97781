/**
 * BIP39 recovery phrases (English wordlist): generation from secure randomness, normalisation,
 * structured validation with spelling suggestions, and seed derivation with an optional passphrase.
 */
import * as bip39 from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { WalletError } from './errors.ts';
import { suggestWords } from './suggest.ts';

/** Word counts BIP39 defines; new phrases are 12 (default) or 24 words. */
export const VALID_WORD_COUNTS = [12, 15, 18, 21, 24] as const;
export type GeneratedWordCount = 12 | 24;

export const ENGLISH_WORDLIST: readonly string[] = wordlist;
const WORDS = new Set(wordlist);

export interface UnknownWord {
  /** 0-based position in the phrase. */
  index: number;
  word: string;
  /** Closest wordlist entries, best first (at most 3, possibly none). */
  suggestions: string[];
}

export type MnemonicValidation =
  | { ok: true; phrase: string; wordCount: number }
  | { ok: false; reason: 'word_count'; wordCount: number; message: string }
  | { ok: false; reason: 'unknown_words'; unknownWords: UnknownWord[]; message: string }
  | { ok: false; reason: 'checksum'; message: string };

/** Trim, lowercase, Unicode-normalise (NFKD, as BIP39 does) and collapse runs of whitespace. */
export function normalizeMnemonic(input: string): string {
  return input.normalize('NFKD').trim().toLowerCase().split(/\s+/u).filter(Boolean).join(' ');
}

/** A new phrase from crypto.getRandomValues: 12 words (128-bit) by default, or 24 (256-bit). */
export function generateMnemonic(words: GeneratedWordCount = 12): string {
  if (words !== 12 && words !== 24) {
    throw new WalletError('invalid_word_count', 'a new recovery phrase has 12 or 24 words');
  }
  return bip39.generateMnemonic(wordlist, words === 12 ? 128 : 256);
}

export function validateMnemonic(input: string): MnemonicValidation {
  const phrase = normalizeMnemonic(input);
  const words = phrase === '' ? [] : phrase.split(' ');
  const unknownWords: UnknownWord[] = [];
  words.forEach((word, index) => {
    if (!WORDS.has(word)) unknownWords.push({ index, word, suggestions: suggestWords(word, wordlist) });
  });
  if (unknownWords.length > 0) {
    const list = unknownWords
      .map((u) => `word ${u.index + 1} "${u.word}"` + (u.suggestions.length ? ` (did you mean ${u.suggestions.join(', ')}?)` : ''))
      .join('; ');
    return { ok: false, reason: 'unknown_words', unknownWords, message: `not in the BIP39 English wordlist: ${list}` };
  }
  if (!(VALID_WORD_COUNTS as readonly number[]).includes(words.length)) {
    return {
      ok: false,
      reason: 'word_count',
      wordCount: words.length,
      message: `a recovery phrase has 12, 15, 18, 21 or 24 words, got ${words.length}`,
    };
  }
  if (!bip39.validateMnemonic(phrase, wordlist)) {
    return { ok: false, reason: 'checksum', message: 'the checksum does not match: a word is wrong or the words are out of order' };
  }
  return { ok: true, phrase, wordCount: words.length };
}

/** The normalised phrase, or a WalletError('invalid_mnemonic') carrying the validation result. */
export function assertMnemonic(input: string): string {
  const result = validateMnemonic(input);
  if (!result.ok) throw new WalletError('invalid_mnemonic', result.message, { validation: result });
  return result.phrase;
}

/** BIP39 seed (64 bytes); the optional passphrase is the "25th word" (empty by default). */
export async function mnemonicToSeed(input: string, passphrase = ''): Promise<Uint8Array> {
  return bip39.mnemonicToSeed(assertMnemonic(input), passphrase);
}

export function mnemonicToEntropy(input: string): Uint8Array {
  return bip39.mnemonicToEntropy(assertMnemonic(input), wordlist);
}

export function entropyToMnemonic(entropy: Uint8Array): string {
  if (![16, 20, 24, 28, 32].includes(entropy.length)) {
    throw new WalletError('invalid_entropy', 'entropy must be 16, 20, 24, 28 or 32 bytes');
  }
  return bip39.entropyToMnemonic(entropy, wordlist);
}
