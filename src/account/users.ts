/** The account record and the rules for email addresses. */
import { asciiDomain } from '../contracts/common.ts';
import type { Db, Tx } from '../store/database.ts';
import type { UsersTable } from '../store/schema.ts';

export type User = UsersTable;

/** Trimmed and lower-cased: one account per address, regardless of case. */
/** An address as accounts keep it: trimmed, lower case, an internationalised domain in punycode (so the CLI and staff search find it too). */
export function normalizeEmail(email: string): string {
  return asciiDomain(email.trim()).toLowerCase();
}

export function findUserByEmail(db: Db | Tx, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export function findUserById(db: Db | Tx, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Serialises changes to one account (deleting one factor while another request deletes the other
 * must not leave none; two withdrawals must not both spend one balance). PostgreSQL: a row lock until
 * the transaction ends. SQLite: a write, so the transaction holds the database's write lock from
 * here on — a transaction that read first and wrote later would fail (SQLITE_BUSY) if another
 * process (a second node, the CLI) wrote in between.
 */
export async function lockUser(tx: Tx, dialect: 'sqlite' | 'postgres', userId: string): Promise<void> {
  if (dialect === 'postgres') await tx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
  else await tx.updateTable('users').set((eb) => ({ id: eb.ref('id') })).where('id', '=', userId).execute();
}
