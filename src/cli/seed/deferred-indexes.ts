/**
 * A bulk load's usual order: drop the secondary indexes of the tables being filled, load, build the
 * indexes again (one sort each, instead of millions of inserts at random pages: login_activity_at
 * alone halved SQLite's insert rate). Foreign keys are checked once for all rows, not row by row: on
 * PostgreSQL they are dropped and added back (which checks every row), on SQLite the loading
 * connection does not check them (sqlite-loading.ts) and `pragma foreign_key_check` does here. The
 * definitions are read from the database's own catalog, so the migrations stay their one home; all of
 * it happens in the caller's transaction, so a load that fails or is killed leaves the schema as it was.
 * Primary keys and unique constraints stay: they are what makes a duplicate fail.
 */
import { sql } from 'kysely';
import type { Dialect, Tx } from '../../store/database.ts';

interface Deferred {
  drop: string;
  create: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function sqliteIndexes(tx: Tx, tables: readonly string[]): Promise<Deferred[]> {
  const { rows } = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)}) order by name`.execute(tx);
  return rows.map((r) => ({ drop: `drop index ${quote(r.name)}`, create: r.sql }));
}

async function postgresIndexesAndForeignKeys(tx: Tx, tables: readonly string[]): Promise<Deferred[]> {
  const indexes = await sql<{ name: string; definition: string }>`
    select c.relname as name, pg_get_indexdef(c.oid) as definition
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
    where t.relnamespace = current_schema()::regnamespace and t.relname in (${sql.join(tables)})
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = t.oid)
    order by c.relname`.execute(tx);
  const foreignKeys = await sql<{ table: string; name: string; definition: string }>`
    select t.relname as table, k.conname as name, pg_get_constraintdef(k.oid) as definition
    from pg_constraint k join pg_class t on t.oid = k.conrelid
    where k.contype = 'f' and t.relnamespace = current_schema()::regnamespace and t.relname in (${sql.join(tables)})
    order by t.relname, k.conname`.execute(tx);
  return [
    ...indexes.rows.map((r) => ({ drop: `drop index ${quote(r.name)}`, create: r.definition })),
    ...foreignKeys.rows.map((r) => ({
      drop: `alter table ${quote(r.table)} drop constraint ${quote(r.name)}`,
      create: `alter table ${quote(r.table)} add constraint ${quote(r.name)} ${r.definition}`,
    })),
  ];
}

/** SQLite loads with foreign keys unchecked (sqlite-loading.ts): every row of the tables is checked here, once. */
async function checkSqliteForeignKeys(tx: Tx, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const { rows } = await sql.raw<{ table: string; rowid: number; parent: string }>(`pragma foreign_key_check(${quote(table)})`).execute(tx);
    const first = rows[0];
    if (first) throw new Error(`${rows.length} row(s) of ${first.table} name no ${first.parent} row (rowid ${first.rowid} first)`);
  }
}

/** Runs `load` with the tables' secondary indexes (and PostgreSQL foreign keys) dropped; `rebuilding` is called before they are built again. */
export async function withIndexesDeferred<T>(tx: Tx, dialect: Dialect, tables: readonly string[], load: () => Promise<T>, rebuilding: () => void): Promise<T> {
  const deferred = dialect === 'sqlite' ? await sqliteIndexes(tx, tables) : await postgresIndexesAndForeignKeys(tx, tables);
  for (const d of deferred) await sql.raw(d.drop).execute(tx);
  const result = await load();
  rebuilding();
  // Sorting for the index builds may use more memory than a query's default (this transaction only).
  if (dialect === 'postgres') await sql`set local maintenance_work_mem = '512MB'`.execute(tx);
  for (const d of deferred) await sql.raw(d.create).execute(tx);
  if (dialect === 'sqlite') await checkSqliteForeignKeys(tx, tables);
  return result;
}
