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
import { hashCode, hashToken, randomDigits, randomToken } from '../crypto/tokens.ts';
import type { Deps } from '../deps.ts';
import type { Db, Tx } from '../store/database.ts';
import type { OneTimeTokensTable } from '../store/schema.ts';

export type TokenPurpose = OneTimeTokensTable['purpose'];
export type TokenRow = OneTimeTokensTable;

interface PurposeRule {
  /** A link (long random token) or a short code typed by the person. */
  kind: 'link' | 'code';
  ttlMs: number;
  /** Issuing a new one withdraws the older ones: of the same account, or of the same binding. */
  replaces: 'account' | 'binding' | 'none';
}

/** What each purpose is and how long it lives. */
export const TOKEN_PURPOSES: Record<TokenPurpose, PurposeRule> = {
  /** "Forgot password": one live link per account. */
  password_reset: { kind: 'link', ttlMs: 1 * HOUR, replaces: 'account' },
  /** "Unlock my account" in a password-lock email (lives at least as long as the lock). */
  unlock: { kind: 'link', ttlMs: 24 * HOUR, replaces: 'none' },
  /** "Lock my account" in every security alert: one per alert. */
  freeze: { kind: 'link', ttlMs: 30 * DAY, replaces: 'none' },
  /** New-device confirmation: the emailed link and code of one sign-in flow. */
  device_link: { kind: 'link', ttlMs: 20 * MINUTE, replaces: 'binding' },
  device_code: { kind: 'code', ttlMs: 20 * MINUTE, replaces: 'binding' },
  /** The emailed second-factor code of one ceremony (a sign-in flow). */
  email_code: { kind: 'code', ttlMs: 10 * MINUTE, replaces: 'binding' },
};

const codeScope = (purpose: TokenPurpose, boundTo: string | null) => `${purpose}:${boundTo ?? ''}`;
const stored = (deps: Deps, purpose: TokenPurpose, boundTo: string | null, secret: string) =>
  TOKEN_PURPOSES[purpose].kind === 'code' ? hashCode(deps.config.sessionSecret, codeScope(purpose, boundTo), secret) : hashToken(secret);

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
      created_at: now,
    })
    .execute();
  return secret;
}

/** A live (unused, unexpired) link token of this purpose, without using it up. */
export async function findToken(deps: Deps, db: Db | Tx, purpose: TokenPurpose, token: string): Promise<TokenRow | undefined> {
  const row = await db.selectFrom('one_time_tokens').selectAll().where('token_hash', '=', hashToken(token)).where('purpose', '=', purpose).executeTakeFirst();
  if (!row || row.used_at !== null || deps.clock.now() >= row.expires_at) return undefined;
  return row;
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

/** Withdraws an account's tokens of a purpose (all, or all but one). */
export async function revokeTokens(db: Db | Tx, input: { purpose: TokenPurpose; userId: string; exceptId?: string }): Promise<void> {
  let query = db.deleteFrom('one_time_tokens').where('user_id', '=', input.userId).where('purpose', '=', input.purpose);
  if (input.exceptId) query = query.where('id', '!=', input.exceptId);
  await query.execute();
}

/** When the live token of a purpose and binding expires (null when there is none). */
export async function tokenExpiry(deps: Deps, db: Db | Tx, purpose: TokenPurpose, boundTo: string): Promise<number | null> {
  const row = await db
    .selectFrom('one_time_tokens')
    .select('expires_at')
    .where('purpose', '=', purpose)
    .where('bound_to', '=', boundTo)
    .where('used_at', 'is', null)
    .where('expires_at', '>', deps.clock.now())
    .executeTakeFirst();
  return row ? Number(row.expires_at) : null;
}

/** Deletes tokens that expired more than a day ago (the maintenance sweep). */
export async function pruneTokens(deps: Deps): Promise<number> {
  const result = await deps.store.db.deleteFrom('one_time_tokens').where('expires_at', '<', deps.clock.now() - DAY).executeTakeFirst();
  return Number(result.numDeletedRows);
}
