/**
 * Prepared statements reused by their SQL text, for SQLite (better-sqlite3): Kysely's SQLite driver
 * prepares every query afresh, and compiling the SQL was a fifth of a request's time on the hot path.
 *
 * - Bounded: at most `max` statements are kept; the one used least recently goes first (queries
 *   whose text varies, such as `in (?, ?, …)` lists of any length, cannot grow it without end).
 * - A statement still being iterated (a streamed query) is never handed out again: a fresh one is
 *   prepared for that call instead.
 * - A schema change (a migration) is safe: SQLite re-prepares a statement whose schema changed the
 *   next time it runs (sqlite3_prepare_v3), so a cached `select *` returns the new columns.
 * Statements hold no state between runs (Kysely binds every parameter on each run), so one
 * statement serves every caller, inside transactions or not.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export const DEFAULT_STATEMENT_CACHE_SIZE = 500;

export interface StatementCache extends SqliteDatabase {
  /** How many statements are kept now. */
  readonly size: number;
}

export function cachingStatements(database: SQLite.Database, max = DEFAULT_STATEMENT_CACHE_SIZE): StatementCache {
  if (!Number.isInteger(max) || max < 1) throw new Error('the statement cache needs room for at least one statement');
  const statements = new Map<string, SQLite.Statement>();
  return {
    get size() {
      return statements.size;
    },
    prepare(sql: string): SqliteStatement {
      const kept = statements.get(sql);
      if (kept && !kept.busy) {
        // The most recently used goes to the end of the map's order.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = database.prepare(sql);
      if (kept) return statement;
      statements.set(sql, statement);
      if (statements.size > max) statements.delete(statements.keys().next().value!);
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}
