/**
 * Single-use secrets sent by email, by purpose, in one table (OWASP ASVS V6.6, NIST SP 800-63B
 * §3.1.3 for out-of-band codes): links carry a 256-bit token of which only the SHA-256 is stored;
 * 6-digit codes are stored as an HMAC under the server pepper, scoped to their purpose and binding
 * (crypto/tokens.ts). Each expires, may be bound to what asked for it (a sign-in flow), and is
 * consumed exactly once: consuming is one conditional UPDATE, so of two parallel requests only one
 * gets the row, on SQLite and on PostgreSQL alike.
 */
import { randomUUID } from 'node:crypto';
import { DAY, HOUR, MINUTE } from '../clock.ts';
import { hashCode, hashToken, randomDigits, randomToken, safeEqual } from '../crypto/tokens.ts';
import type { Deps } from '../deps.ts';
import type { Db, Tx } from '../store/database.ts';
import type { OneTimeTokensTable } from '../store/schema.ts';
import { lockUser } from './users.ts';

export type TokenPurpose = OneTimeTokensTable['purpose'];
export type TokenRow = OneTimeTokensTable;

interface PurposeRule {
  /** A link (long random token) or a short code typed by the person. */
  kind: 'link' | 'code';
  ttlMs: number;
  /** Issuing a new one withdraws the older ones: of the same account, or of the same binding. */
  replaces: 'account' | 'binding' | 'none';
  /** It dies after this many wrong guesses: a code typed for an account, or the second factor typed with a link. */
  maxFailures?: number;
}

/** What each purpose is and how long it lives. */
export const TOKEN_PURPOSES: Record<TokenPurpose, PurposeRule> = {
  /** "Forgot password": one live link per account, used up by 3 wrong second-factor answers. */
  password_reset: { kind: 'link', ttlMs: 1 * HOUR, replaces: 'account', maxFailures: 3 },
  /** "Unlock my account" in a password-lock email (lives at least as long as the lock). */
  unlock: { kind: 'link', ttlMs: 24 * HOUR, replaces: 'none' },
  /** "Lock my account" in every security alert: one per alert. */
  freeze: { kind: 'link', ttlMs: 30 * DAY, replaces: 'none' },
  /** New-device confirmation: the emailed link and code of one sign-in flow. */
  device_link: { kind: 'link', ttlMs: 20 * MINUTE, replaces: 'binding' },
  device_code: { kind: 'code', ttlMs: 20 * MINUTE, replaces: 'binding' },
  /** The emailed second-factor code of one ceremony (a sign-in flow). */
  email_code: { kind: 'code', ttlMs: 10 * MINUTE, replaces: 'binding' },
  /** Email verification at sign-up: a link (24 hours) and a code (15 minutes, 5 wrong tries); a new email replaces both. */
  email_verification: { kind: 'link', ttlMs: 24 * HOUR, replaces: 'account' },
  email_verification_code: { kind: 'code', ttlMs: 15 * MINUTE, replaces: 'account', maxFailures: 5 },
  /** Changing the email address: the code sent to the new address (bound to it), 15 minutes, 5 wrong tries. */
  email_change_code: { kind: 'code', ttlMs: 15 * MINUTE, replaces: 'account', maxFailures: 5 },
  /** "Cancel — this wasn't me" in the old address's emails: reverts the change and locks the account. */
  email_change_cancel: { kind: 'link', ttlMs: 7 * DAY, replaces: 'none' },
  /** Lost 2FA: a look at the request's status page (each look hands out the next link), and "cancel — this wasn't me". */
  two_factor_reset_status: { kind: 'link', ttlMs: 7 * DAY, replaces: 'none' },
  two_factor_reset_cancel: { kind: 'link', ttlMs: 30 * DAY, replaces: 'none' },
  /** A new withdrawal address, confirmed from the inbox (Kraken's rule): one link per address. */
  withdrawal_address_confirm: { kind: 'link', ttlMs: 1 * DAY, replaces: 'binding' },
  /** A withdrawal's confirmation link (30 minutes: the funds are held meanwhile). */
  withdrawal_confirm: { kind: 'link', ttlMs: 30 * MINUTE, replaces: 'binding' },
};

const codeScope = (purpose: TokenPurpose, boundTo: string | null) => `${purpose}:${boundTo ?? ''}`;
const stored = (deps: Deps, purpose: TokenPurpose, boundTo: string | null, secret: string) =>
  TOKEN_PURPOSES[purpose].kind === 'code' ? hashCode(deps.config.codePepper, codeScope(purpose, boundTo), secret) : hashToken(secret);

export interface Issue {
  purpose: TokenPurpose;
  userId: string;
  boundTo?: string | null;
  /** Overrides the purpose's lifetime (an unlock link lasts as long as the lock at least). */
  expiresAt?: number;
}

/** Issues a token (or code) and returns it: the only time it exists outside the person's inbox. */
export async function issueToken(deps: Deps, tx: Tx, input: Issue): Promise<string> {
  const rule = TOKEN_PURPOSES[input.purpose];
  const now = deps.clock.now();
  const boundTo = input.boundTo ?? null;
  // Issues that replace older ones are serialised per account (PostgreSQL row lock), so two
  // parallel requests cannot both leave a live one: the later delete sees the earlier insert.
  if (rule.replaces !== 'none') await lockUser(tx, deps.store.dialect, input.userId);
  if (rule.replaces === 'account') await revokeTokens(tx, { purpose: input.purpose, userId: input.userId });
  if (rule.replaces === 'binding' && boundTo !== null) await tx.deleteFrom('one_time_tokens').where('purpose', '=', input.purpose).where('bound_to', '=', boundTo).execute();
  const secret = rule.kind === 'code' ? randomDigits(6) : randomToken(32);
  await tx
    .insertInto('one_time_tokens')
    .values({
      id: randomUUID(),
      user_id: input.userId,
      purpose: input.purpose,
      token_hash: stored(deps, input.purpose, boundTo, secret),
      bound_to: boundTo,
      expires_at: input.expiresAt ?? now + rule.ttlMs,
      used_at: null,
      failed_attempts: 0,
      created_at: now,
    })
    .execute();
  return secret;
}

const maxFailuresOf = (purpose: TokenPurpose) => TOKEN_PURPOSES[purpose].maxFailures ?? Number.MAX_SAFE_INTEGER;

/** A live (unused, unexpired, not used up by wrong guesses) link token of this purpose, without using it up. */
export async function findToken(deps: Deps, db: Db | Tx, purpose: TokenPurpose, token: string): Promise<TokenRow | undefined> {
  const row = await db.selectFrom('one_time_tokens').selectAll().where('token_hash', '=', hashToken(token)).where('purpose', '=', purpose).executeTakeFirst();
  if (!row || row.used_at !== null || deps.clock.now() >= row.expires_at || row.failed_attempts >= maxFailuresOf(purpose)) return undefined;
  return row;
}

/**
 * Counts a guess on a token before it is checked, in one conditional update, so parallel guesses
 * cannot all see a count under its purpose's limit; false when the limit is reached. A right guess,
 * or one that was not checked after all, gives its count back (`returnGuess`).
 */
export async function reserveGuess(db: Db | Tx, row: TokenRow): Promise<boolean> {
  const reserved = await db
    .updateTable('one_time_tokens')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('failed_attempts', '<', maxFailuresOf(row.purpose))
    .returning('id')
    .executeTakeFirst();
  return reserved !== undefined;
}

export async function returnGuess(db: Db | Tx, row: TokenRow): Promise<void> {
  await db.updateTable('one_time_tokens').set((eb) => ({ failed_attempts: eb('failed_attempts', '-', 1) })).where('id', '=', row.id).where('failed_attempts', '>', 0).execute();
}

export interface Consume {
  purpose: TokenPurpose;
  /** The link token, or the code as typed. */
  secret: string;
  /** Required for codes, and checked for links when given. */
  boundTo?: string | null;
}

/** Uses the token up: its row, or null when it is wrong, expired, bound elsewhere, or another request used it first. */
export async function consumeToken(deps: Deps, tx: Tx, input: Consume): Promise<TokenRow | null> {
  const rule = TOKEN_PURPOSES[input.purpose];
  if (rule.kind === 'code' && !/^\d{6}$/.test(input.secret)) return null;
  const boundTo = input.boundTo ?? null;
  let query = tx
    .updateTable('one_time_tokens')
    .set({ used_at: deps.clock.now() })
    .where('token_hash', '=', stored(deps, input.purpose, boundTo, input.secret))
    .where('purpose', '=', input.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', deps.clock.now());
  if (boundTo !== null) query = query.where('bound_to', '=', boundTo);
  return (await query.returningAll().executeTakeFirst()) ?? null;
}

/**
 * Checks a code typed for an account (no ceremony binds it: the email-verification code). A wrong
 * guess is counted on the code, which dies at its purpose's limit. Returns the matching live row,
 * still to be used up (`useToken`), or null.
 */
export async function matchAccountCode(deps: Deps, db: Db | Tx, input: { purpose: TokenPurpose; userId: string; code: string }): Promise<TokenRow | null> {
  const rule = TOKEN_PURPOSES[input.purpose];
  const row = await db
    .selectFrom('one_time_tokens')
    .selectAll()
    .where('user_id', '=', input.userId)
    .where('purpose', '=', input.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', deps.clock.now())
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row || !(await reserveGuess(db, row))) return null;
  if (!/^\d{6}$/.test(input.code) || !safeEqual(row.token_hash, stored(deps, input.purpose, row.bound_to, input.code))) return null;
  await returnGuess(db, row);
  return row;
}

/** Uses up a token found before (findToken, matchAccountCode); false when another request used it first. */
export async function useToken(deps: Deps, tx: Tx, row: TokenRow): Promise<boolean> {
  const used = await tx.updateTable('one_time_tokens').set({ used_at: deps.clock.now() }).where('id', '=', row.id).where('used_at', 'is', null).returning('id').executeTakeFirst();
  return used !== undefined;
}

/** Withdraws an account's tokens of a purpose (all, or all but one). */
export async function revokeTokens(db: Db | Tx, input: { purpose: TokenPurpose; userId: string; exceptId?: string }): Promise<void> {
  let query = db.deleteFrom('one_time_tokens').where('user_id', '=', input.userId).where('purpose', '=', input.purpose);
  if (input.exceptId) query = query.where('id', '!=', input.exceptId);
  await query.execute();
}

/** Deletes tokens that expired more than a day ago (the maintenance sweep). */
export async function pruneTokens(deps: Deps): Promise<number> {
  const result = await deps.store.db.deleteFrom('one_time_tokens').where('expires_at', '<', deps.clock.now() - DAY).executeTakeFirst();
  return Number(result.numDeletedRows);
}
