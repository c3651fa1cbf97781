/**
 * Password policy for new and changed passwords.
 *
 * Follows NIST SP 800-63B rev 4 (§3.1.1.2) and OWASP ASVS 5.0 V6 (Authentication):
 *
 *  - The password is normalised with Unicode NFKC before any check, so visually
 *    equivalent input (e.g. full-width letters, ligatures) is treated the same way
 *    every time. It is never truncated.
 *  - Any Unicode character is allowed, including spaces and emoji. Length is
 *    counted in Unicode code points (`[...s].length`), not UTF-16 units or bytes.
 *
 * Rules, evaluated in this order on the normalised password; the first that fails
 * is reported:
 *
 *  1. `too_short`        fewer than 8 code points.
 *  2. `too_long`         more than 128 code points.
 *  3. `common_password`  case-insensitive exact match against the zxcvbn-ts common
 *                        password list (`@zxcvbn-ts/language-common`, ~49k entries,
 *                        derived from breach corpora).
 *  4. `resembles_email`  the password (lower-cased) contains the whole email, or
 *                        contains the email's local part when that is at least
 *                        3 code points long (also checked for the local part with any
 *                        "+tag" removed), or closely resembles the email:
 *                          - with everything except letters removed, the password
 *                            equals the local part with everything except letters
 *                            removed (e.g. "JohnSmith2024!" for john.smith@…), or
 *                          - the Levenshtein distance between the password and the
 *                            local part, or the full email, is at most 2.
 *  5. `composition`      only when `requireComposition` is set (NIST advises against
 *                        composition rules, some operators still require them):
 *                        must contain an upper-case letter (\p{Lu}), a lower-case
 *                        letter (\p{Ll}), a decimal digit (\p{Nd}) and a special
 *                        character (anything that is neither a letter nor a digit).
 *
 * Every result also carries a zxcvbn-ts strength `score` (0..4) for a UI meter, even
 * when a rule fails. zxcvbn's matching cost grows quickly with input length, so only
 * the first 100 code points of the normalised password are scored; the rules above
 * always use the whole password.
 */
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as zxcvbnCommonPackage from '@zxcvbn-ts/language-common';

export type PasswordRule =
  | 'too_short'
  | 'too_long'
  | 'common_password'
  | 'resembles_email'
  | 'composition';

export interface PasswordPolicyOptions {
  /** Require upper-case, lower-case, digit and special character. */
  requireComposition: boolean;
}

export type PasswordScore = 0 | 1 | 2 | 3 | 4;

export type PasswordCheckResult =
  | { ok: true; score: PasswordScore }
  | { ok: false; rule: PasswordRule; message: string; score: PasswordScore };

const MIN_LENGTH = 8;
const MAX_LENGTH = 128;
/** Only this many leading code points are passed to zxcvbn (scoring cost). */
const MAX_SCORED_LENGTH = 100;
/** Local parts shorter than this are not used for the "contains" check. */
const MIN_LOCAL_PART_LENGTH = 3;
/** Maximum edit distance at which a password "closely resembles" the email. */
const MAX_EMAIL_DISTANCE = 2;

const MESSAGES: Record<PasswordRule, string> = {
  too_short: `Password must be at least ${MIN_LENGTH} characters.`,
  too_long: `Password must be at most ${MAX_LENGTH} characters.`,
  common_password: 'Password is too common or has appeared in a data breach.',
  resembles_email: 'Password must not contain or resemble your email address.',
  composition:
    'Password must contain an upper-case letter, a lower-case letter, a digit and a special character.',
};

/** NFKC-normalise a password. Never truncates. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/* ------------------------------------------------------------------------------------------------
 * Lazily initialised shared state
 * ---------------------------------------------------------------------------------------------- */

let commonPasswords: Set<string> | undefined;

/** The common/breached password list, lower-cased, built once on first use. */
function getCommonPasswords(): Set<string> {
  if (commonPasswords === undefined) {
    commonPasswords = new Set(
      zxcvbnCommonPackage.dictionary.passwords.map((p) => String(p).toLowerCase()),
    );
  }
  return commonPasswords;
}

let zxcvbnConfigured = false;

function ensureZxcvbnConfigured(): void {
  if (zxcvbnConfigured) return;
  zxcvbnOptions.setOptions({
    dictionary: { ...zxcvbnCommonPackage.dictionary },
    graphs: zxcvbnCommonPackage.adjacencyGraphs,
  });
  zxcvbnConfigured = true;
}

/* ------------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------------- */

function codePointLength(s: string): number {
  return [...s].length;
}

/** The parts of an email that are useful as "user inputs": lower-cased and NFKC-normalised. */
function emailParts(email: string | undefined): { email: string; localParts: string[] } | null {
  if (email === undefined) return null;
  const normalized = email.normalize('NFKC').trim().toLowerCase();
  if (normalized === '') return null;
  const at = normalized.lastIndexOf('@');
  const local = at === -1 ? normalized : normalized.slice(0, at);
  const localParts = [local];
  const plus = local.indexOf('+');
  if (plus > 0) localParts.push(local.slice(0, plus));
  return { email: normalized, localParts: localParts.filter((p) => p !== '') };
}

function lettersOnly(s: string): string {
  return s.replace(/[^\p{L}]/gu, '');
}

/** Levenshtein distance over code points, with an early exit once it exceeds `max`. */
function levenshteinWithin(a: string, b: string, max: number): boolean {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max) return false;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return false;
    prev = cur;
  }
  return prev[y.length]! <= max;
}

function resemblesEmail(password: string, email: string | undefined): boolean {
  const parts = emailParts(email);
  if (parts === null) return false;
  const pw = password.toLowerCase();

  if (pw.includes(parts.email)) return true;
  for (const local of parts.localParts) {
    if (codePointLength(local) >= MIN_LOCAL_PART_LENGTH && pw.includes(local)) return true;
    const localLetters = lettersOnly(local);
    if (codePointLength(localLetters) >= MIN_LOCAL_PART_LENGTH && lettersOnly(pw) === localLetters) {
      return true;
    }
    if (levenshteinWithin(pw, local, MAX_EMAIL_DISTANCE)) return true;
  }
  return levenshteinWithin(pw, parts.email, MAX_EMAIL_DISTANCE);
}

function meetsComposition(password: string): boolean {
  return (
    /\p{Lu}/u.test(password) &&
    /\p{Ll}/u.test(password) &&
    /\p{Nd}/u.test(password) &&
    /[^\p{L}\p{Nd}]/u.test(password)
  );
}

/** zxcvbn score of an already-normalised password (first 100 code points only). */
function score(normalized: string, email: string | undefined): PasswordScore {
  ensureZxcvbnConfigured();
  const scored = [...normalized].slice(0, MAX_SCORED_LENGTH).join('');
  const parts = emailParts(email);
  const userInputs = parts === null ? [] : [parts.email, ...parts.localParts];
  return zxcvbn(scored, userInputs).score;
}

/* ------------------------------------------------------------------------------------------------
 * Public API
 * ---------------------------------------------------------------------------------------------- */

export type PasswordRuleResult = { ok: true } | { ok: false; rule: PasswordRule; message: string };

/**
 * The policy's rules only (see the module comment for them and their order): cheap, so sign-up,
 * change and reset check them where they run; the costly strength score is the meter's alone.
 */
export function checkPasswordRules(password: string, context: { email?: string }, options: PasswordPolicyOptions): PasswordRuleResult {
  const normalized = normalizePassword(password);
  const fail = (rule: PasswordRule): PasswordRuleResult => ({ ok: false, rule, message: MESSAGES[rule] });
  const length = codePointLength(normalized);
  if (length < MIN_LENGTH) return fail('too_short');
  if (length > MAX_LENGTH) return fail('too_long');
  if (getCommonPasswords().has(normalized.toLowerCase())) return fail('common_password');
  if (resemblesEmail(normalized, context.email)) return fail('resembles_email');
  if (options.requireComposition && !meetsComposition(normalized)) return fail('composition');
  return { ok: true };
}

/**
 * The rules and the strength score together (the score also for failures, so a UI meter can show
 * it). The score is costly: the server works it out in a worker thread (strength-pool.ts).
 */
export function checkPassword(password: string, context: { email?: string }, options: PasswordPolicyOptions): PasswordCheckResult {
  const rules = checkPasswordRules(password, context, options);
  const s = score(normalizePassword(password), context.email);
  return rules.ok ? { ok: true, score: s } : { ...rules, score: s };
}

/** zxcvbn-ts strength score (0..4) of the NFKC-normalised password, for a UI meter. */
export function passwordStrength(password: string, email?: string): PasswordScore {
  return score(normalizePassword(password), email);
}
