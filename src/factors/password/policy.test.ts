import { describe, it, expect } from 'vitest';
import * as zxcvbnCommonPackage from '@zxcvbn-ts/language-common';
import { checkPassword, normalizePassword, passwordStrength } from './policy.ts';
import type { PasswordPolicyOptions, PasswordRule } from './policy.ts';

const relaxed: PasswordPolicyOptions = { requireComposition: false };
const strict: PasswordPolicyOptions = { requireComposition: true };

function ruleOf(password: string, email?: string, options = relaxed): PasswordRule | 'ok' {
  const result = checkPassword(password, email === undefined ? {} : { email }, options);
  return result.ok ? 'ok' : result.rule;
}

describe('length', () => {
  it('rejects 7 characters and accepts a strong 8-character password', () => {
    const seven = checkPassword('kT9#vQ2', {}, relaxed);
    expect(seven.ok).toBe(false);
    if (!seven.ok) {
      expect(seven.rule).toBe('too_short');
      expect(seven.message).toBe('Password must be at least 8 characters.');
    }
    expect(checkPassword('kT9#vQ2!', {}, strict)).toMatchObject({ ok: true });
  });

  it('accepts 128 characters and rejects 129', () => {
    const base = 'Zq7!mW3#pL9$xR2@'; // 16 chars, repeated
    const p128 = base.repeat(8);
    expect([...p128].length).toBe(128);
    expect(ruleOf(p128, undefined, strict)).toBe('ok');
    const p129 = p128 + 'a';
    const result = checkPassword(p129, {}, strict);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rule).toBe('too_long');
      expect(result.message).toBe('Password must be at most 128 characters.');
    }
  });

  it('counts multi-byte Unicode by code points, not UTF-16 units', () => {
    const fourEmoji = '🔥🦊🌊🎲'; // 8 UTF-16 units, 4 code points
    expect(fourEmoji.length).toBe(8);
    expect(ruleOf(fourEmoji)).toBe('too_short');

    const tenEmoji = '🔥🦊🌊🎲🚀🍀🐙🎻🧭🪐';
    expect(ruleOf(tenEmoji)).toBe('ok');

    const accented = 'éàüöçñøåß'; // 9 code points (precomposed)
    expect(ruleOf(accented)).toBe('ok');

    // 128 emoji = 256 UTF-16 units, still within the limit; 129 is over.
    expect(ruleOf('🔥'.repeat(64) + '🦊'.repeat(64))).toBe('ok');
    expect(ruleOf('🔥'.repeat(64) + '🦊'.repeat(65))).toBe('too_long');
  });

  it('never truncates', () => {
    const long = 'ä'.repeat(300) + '🔥'.repeat(10);
    expect(normalizePassword(long)).toBe(long);
    expect([...normalizePassword(long)].length).toBe(310);
  });
});

describe('NFKC normalisation', () => {
  it('normalises full-width letters and ligatures', () => {
    expect(normalizePassword('Ｐａｓｓｗｏｒｄ１')).toBe('Password1');
    expect(normalizePassword('ﬁ')).toBe('fi');
    // Decomposed é (e + U+0301) composes to a single code point.
    expect(normalizePassword('e\u0301')).toBe('\u00e9');
  });

  it('applies the rules to the normalised password', () => {
    expect(ruleOf('ｐａｓｓｗｏｒｄ')).toBe('common_password');
    // 7 decomposed letters = 14 code points raw, but 7 after NFKC composition.
    expect(ruleOf('e\u0301'.repeat(7))).toBe('too_short');
  });
});

describe('common / breached passwords', () => {
  it('uses a dictionary with at least 10,000 entries', () => {
    expect(zxcvbnCommonPackage.dictionary.passwords.length).toBeGreaterThanOrEqual(10_000);
    const unique = new Set(zxcvbnCommonPackage.dictionary.passwords.map((p) => String(p).toLowerCase()));
    expect(unique.size).toBeGreaterThanOrEqual(10_000);
  });

  it.each(['password', 'Password1', 'PASSWORD', '12345678', 'qwertyuiop', 'iloveyou'])(
    'rejects %s',
    (pw) => {
      const result = checkPassword(pw, {}, relaxed);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.rule).toBe('common_password');
        expect(result.message).toMatch(/common/i);
      }
    },
  );

  it('accepts an uncommon password', () => {
    expect(ruleOf('violet-harbor-quantum')).toBe('ok');
  });
});

describe('email resemblance', () => {
  const email = 'alice.wonder@example.com';

  it('rejects a password containing the local part, case-insensitively', () => {
    expect(ruleOf('xxALICE.WONDERxx', email)).toBe('resembles_email');
    const result = checkPassword('my-alice.wonder-pw', { email }, relaxed);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/email/i);
  });

  it('rejects a password containing the whole email', () => {
    expect(ruleOf('Alice.Wonder@Example.com!', email)).toBe('resembles_email');
    // Short local part: containment of the local part alone is not checked, the whole email is.
    expect(ruleOf('zz-ab@example.org', 'ab@example.org')).toBe('resembles_email');
  });

  it('rejects a password that is the local part with digits/symbols added', () => {
    expect(ruleOf('AliceWonder2024!', email)).toBe('resembles_email');
  });

  it('rejects a password within edit distance 2 of the local part or email', () => {
    expect(ruleOf('alicewonderz', 'alicewonder@example.com')).toBe('resembles_email'); // contains
    expect(ruleOf('alyce.wondr', email)).toBe('resembles_email'); // distance 2
    expect(ruleOf('alice.wonder@exampl.co', email)).toBe('resembles_email'); // distance 2 to email
  });

  it('ignores the +tag of the local part', () => {
    expect(ruleOf('carol.smith-rocks', 'carol.smith+bastion@example.com')).toBe('resembles_email');
  });

  it('accepts an unrelated password', () => {
    expect(ruleOf('violet-harbor-quantum', email)).toBe('ok');
    // Local part shorter than 3 characters is not used for containment.
    expect(ruleOf('violet-ab-harbor', 'ab@example.org')).toBe('ok');
  });
});

describe('composition', () => {
  it('is not enforced when off', () => {
    expect(ruleOf('violet harbor quantum', undefined, relaxed)).toBe('ok');
  });

  it('requires upper, lower, digit and special when on', () => {
    expect(ruleOf('violet harbor quantum', undefined, strict)).toBe('composition');
    expect(ruleOf('VIOLET-HARBOR-9', undefined, strict)).toBe('composition'); // no lower
    expect(ruleOf('Violet-Harbor-X', undefined, strict)).toBe('composition'); // no digit
    expect(ruleOf('VioletHarbor9x', undefined, strict)).toBe('composition'); // no special
    expect(ruleOf('Violet-Harbor-9', undefined, strict)).toBe('ok');
    // Unicode letters count: upper/lower-case via \p{Lu}/\p{Ll}.
    expect(ruleOf('Äpfel-über-9', undefined, strict)).toBe('ok');
    const result = checkPassword('violet harbor quantum', {}, strict);
    if (!result.ok) expect(result.message).toMatch(/upper-case/);
  });

  it('runs after the other rules', () => {
    expect(ruleOf('password', undefined, strict)).toBe('common_password');
    expect(ruleOf('Ab1!', undefined, strict)).toBe('too_short');
  });
});

describe('strength score', () => {
  it('is a number 0..4 on every result, including failures', () => {
    for (const pw of ['', 'abc', 'password', 'kT9#vQ2!', 'x'.repeat(500)]) {
      const result = checkPassword(pw, { email: 'alice@example.com' }, strict);
      expect(Number.isInteger(result.score)).toBe(true);
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(4);
    }
  });

  it('is higher for a long random passphrase than for a weak password', () => {
    const weak = passwordStrength('password1');
    const strong = passwordStrength('correct-violet-harbor-quantum-7-lantern');
    expect(weak).toBeLessThanOrEqual(1);
    expect(strong).toBe(4);
    expect(strong).toBeGreaterThan(weak);
    expect(checkPassword('password1', {}, relaxed).score).toBe(weak);
  });

  it('takes the email into account', () => {
    const withoutEmail = passwordStrength('zephyrinus77');
    const withEmail = passwordStrength('zephyrinus77', 'zephyrinus@example.com');
    expect(withEmail).toBeLessThanOrEqual(withoutEmail);
  });

  it('stays fast for very long input (only the first 100 code points are scored)', () => {
    const huge = 'Zq7!mW3#pL9$xR2@'.repeat(1000);
    const start = performance.now();
    const result = checkPassword(huge, {}, strict);
    expect(performance.now() - start).toBeLessThan(5_000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rule).toBe('too_long');
  });
});
