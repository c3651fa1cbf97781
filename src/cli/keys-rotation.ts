/**
 * Re-encrypting every sealed value (the OpenID Connect signing keys too) under the newest key of ENCRYPTION_KEYS (`bastion keys rotate`,
 * keys-command.ts): each value is opened under its own context and written back only if it is still
 * the value read (a row changed meanwhile is left to the next run); running it again changes nothing.
 */
import { antiPhishingContext } from '../account/anti-phishing.ts';
import { SYSTEM } from '../audit/audit.ts';
import type { Deps } from '../deps.ts';
import { keyContext } from '../documents/vault.ts';
import { secretContext } from '../factors/totp/credentials.ts';
import { detailsContext } from '../flows/kyc/cases.ts';
import { signingKeyContext } from '../flows/oidc/signing-keys.ts';
import { bodyContext } from '../mail/outbox.ts';
import { inTransaction } from '../store/database.ts';
import type { Database } from '../store/schema.ts';

/** Every sealed column: its table, the row's key, and the context the value was sealed under. */
interface SealedColumn {
  table: keyof Database;
  column: string;
  /** Columns read to make the context (the first is the row's key). */
  keys: string[];
  context: (row: Record<string, string>) => string;
}

const SEALED: SealedColumn[] = [
  { table: 'totp_credentials', column: 'secret_sealed', keys: ['id', 'user_id'], context: (r) => secretContext(r.user_id!) },
  { table: 'users', column: 'anti_phishing_sealed', keys: ['id'], context: (r) => antiPhishingContext(r.id!) },
  { table: 'kyc_cases', column: 'details_sealed', keys: ['id'], context: (r) => detailsContext(r.id!) },
  { table: 'kyc_files', column: 'key_sealed', keys: ['id'], context: (r) => keyContext(r.id!) },
  { table: 'two_factor_resets', column: 'selfie_key_sealed', keys: ['id', 'selfie_file_id'], context: (r) => keyContext(r.selfie_file_id!) },
  { table: 'outbox', column: 'body_sealed', keys: ['id'], context: (r) => bodyContext(r.id!) },
  { table: 'oidc_signing_keys', column: 'private_jwk_sealed', keys: ['kid'], context: (r) => signingKeyContext(r.kid!) },
];

const PAGE = 500;

/** Re-seals one column's values that are not under the active key; returns how many it rewrote. */
async function rotateColumn(deps: Deps, sealed: SealedColumn, activeId: string): Promise<number> {
  // Dynamic tables and columns: the list above is the whole of what this touches.
  const db = deps.store.db as unknown as import('kysely').Kysely<Record<string, Record<string, string | null>>>;
  const current = `v1.${activeId}.%`;
  let after = '';
  let rewritten = 0;
  for (;;) {
    const rows = await db
      .selectFrom(sealed.table)
      .select([...sealed.keys, sealed.column])
      .where(sealed.column, 'is not', null)
      .where(sealed.column, 'not like', current)
      .where(sealed.keys[0]!, '>', after)
      .orderBy(sealed.keys[0]!)
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return rewritten;
    for (const row of rows) {
      const old = row[sealed.column] as string;
      const context = sealed.context(row as Record<string, string>);
      const fresh = deps.keyring.seal(deps.keyring.open(old, context), context);
      const changed = await db.updateTable(sealed.table).set({ [sealed.column]: fresh }).where(sealed.keys[0]!, '=', row[sealed.keys[0]!]!).where(sealed.column, '=', old).executeTakeFirst();
      rewritten += Number(changed.numUpdatedRows);
    }
    after = rows.at(-1)![sealed.keys[0]!] as string;
  }
}

/** How many values of each column are sealed under a key other than the active one. */
async function leftUnder(deps: Deps, activeId: string): Promise<number> {
  const db = deps.store.db as unknown as import('kysely').Kysely<Record<string, Record<string, string | null>>>;
  let left = 0;
  for (const sealed of SEALED) {
    const row = await db.selectFrom(sealed.table).select((eb) => eb.fn.countAll<string | number>().as('n')).where(sealed.column, 'is not', null).where(sealed.column, 'not like', `v1.${activeId}.%`).executeTakeFirst();
    left += Number(row?.n ?? 0);
  }
  return left;
}

/** Re-seals everything under the active key, records keys.rotated, and prints what it did; 0 when nothing is left under older keys. */
export async function rotateKeys(deps: Deps, out: (s: string) => void): Promise<number> {
  const activeId = deps.config.encryptionKeys[0]!.id;
  const counts: string[] = [];
  let total = 0;
  for (const sealed of SEALED) {
    const n = await rotateColumn(deps, sealed, activeId);
    total += n;
    if (n > 0) counts.push(`${sealed.table}.${sealed.column} ${n}`);
  }
  const left = await leftUnder(deps, activeId);
  await inTransaction(deps.store.db, (tx) => deps.audit.record(tx, { type: 'keys.rotated', actor: SYSTEM, subject: null, client: null, data: { key: activeId, rewritten: total, left } }));
  out(`re-encrypted ${total} values under ${activeId}${counts.length ? ` (${counts.join(', ')})` : ''}\n`);
  out(left === 0 ? `every sealed value is under ${activeId}: the other keys of ENCRYPTION_KEYS can be removed\n` : `${left} values changed while this ran and are still under older keys: run it again\n`);
  return left === 0 ? 0 : 1;
}
