/**
 * Work that one node at a time does (the audit sealer, the maintenance sweep): on PostgreSQL the
 * node that takes a transaction-scoped advisory lock has the turn, and lets go of it when its
 * transaction ends (or its connection dies); on SQLite there is one node, whose turn it always is.
 */
import { sql } from 'kysely';
import type { Dialect, Tx } from './database.ts';

/** True when this transaction has the turn for `key` (any constant naming the work). */
export async function takeTurn(tx: Tx, dialect: Dialect, key: number): Promise<boolean> {
  if (dialect !== 'postgres') return true;
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${key}) as locked`.execute(tx);
  return rows[0]?.locked === true;
}
