/**
 * Backup codes: 10 one-time codes shown once when 2FA is enrolled (or regenerated after step-up).
 * Each is 10 characters from an alphabet without look-alikes (~49 bits), stored as a peppered hash.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { hashCode } from '../../crypto/tokens.ts';
import type { Db, Tx } from '../../store/database.ts';
import { precompile } from '../../store/precompiled.ts';
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../store/schema.ts';

export const BACKUP_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function generateBackupCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Case, spaces and dashes do not matter when typing a code. */
export function normalizeBackupCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

export const looksLikeBackupCode = (input: string) => /^[a-z0-9]{10}$/.test(normalizeBackupCode(input));

const scope = (userId: string) => `backup:${userId}`;

/** Replaces the user's backup codes with new ones; returns them (the only time they are shown). */
export async function replaceBackupCodes(tx: Tx, pepper: string, userId: string, now: number): Promise<string[]> {
  await tx.deleteFrom('backup_codes').where('user_id', '=', userId).execute();
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, generateBackupCode);
  await tx
    .insertInto('backup_codes')
    .values(codes.map((code) => ({ id: randomUUID(), user_id: userId, code_hash: hashCode(pepper, scope(userId), normalizeBackupCode(code)), used_at: null, created_at: now })))
    .execute();
  return codes;
}

/**
 * Marks a matching unused code as used (once, even under races). Returns whether it matched.
 * `peppers`: the current one first, then those older codes were made with (before CODE_PEPPER,
 * SESSION_SECRET), so codes printed before an upgrade keep working.
 */
export async function consumeBackupCode(tx: Tx, peppers: string[], userId: string, input: string, now: number): Promise<boolean> {
  if (!looksLikeBackupCode(input)) return false;
  const hashes = peppers.map((pepper) => hashCode(pepper, scope(userId), normalizeBackupCode(input)));
  const used = await tx
    .updateTable('backup_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', 'in', hashes)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return used !== undefined;
}

/** How many unused backup codes the account has: a subquery of the factors' status statement. */
export const backupCodeCounts = (eb: ExpressionBuilder<Database, never>, userId: string) => ({
  unused: eb.selectFrom('backup_codes').select((q) => q.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).$asScalar(),
});

/** The same count on its own (the alert after a code is used, an enrollment), compiled once. */
const countUnused = precompile(1, (db, userId: string) => db.selectNoFrom((eb) => [backupCodeCounts(eb, userId).unused.as('n')]));

export async function remainingBackupCodes(db: Db | Tx, userId: string): Promise<number> {
  return Number((await countUnused(db, userId))[0]?.n ?? 0);
}
