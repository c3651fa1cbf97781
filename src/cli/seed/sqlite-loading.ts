/** SQLite settings for a bulk load on the connection that loads, and their undo. */
import { sql } from 'kysely';
import type { Db } from '../../store/database.ts';

/** SQLite's page cache for this connection while it loads: 1 GiB (the default is 2 MiB). */
const SQLITE_CACHE_KIB = 1 << 20;

/**
 * SQLite, while it loads:
 * - a big page cache;
 * - a rollback journal instead of the write-ahead log, which would take the whole load and then copy
 *   it into the database again (a rollback journal keeps only the pages that existed before; new
 *   pages go straight to the file). Leaving WAL takes being the only connection: with another open
 *   (a server), the load goes through the WAL;
 * - with `checkForeignKeysAfter`, foreign keys not checked row by row (a quarter of the load's
 *   time): deferred-indexes.ts checks the loaded tables at once before the commit, as PostgreSQL
 *   does when it adds them back.
 * Returns the undo.
 */
export async function sqliteForLoading(db: Db, checkForeignKeysAfter: boolean): Promise<() => Promise<void>> {
  const pragma = async <T>(text: string) => (await sql.raw<T>(`pragma ${text}`).execute(db)).rows[0];
  await pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  const foreignKeys = (await pragma<{ foreign_keys: number }>('foreign_keys'))?.foreign_keys ?? 0;
  if (checkForeignKeysAfter) await pragma('foreign_keys = off');
  // Asked once, not waited for: another connection is not going away.
  const timeout = (await pragma<{ timeout: number }>('busy_timeout'))?.timeout ?? 0;
  await pragma('busy_timeout = 0');
  const switched = await pragma<{ journal_mode: string }>('journal_mode = delete').then(
    (now) => now?.journal_mode === 'delete',
    () => false,
  );
  await pragma(`busy_timeout = ${Number(timeout)}`);
  return async () => {
    if (switched) await pragma('journal_mode = wal');
    await pragma(`foreign_keys = ${foreignKeys ? 'on' : 'off'}`);
  };
}
