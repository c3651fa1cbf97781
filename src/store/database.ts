/**
 * Opens the database behind Bastion: embedded SQLite (better-sqlite3, the zero-configuration
 * default) or PostgreSQL (pg), both through Kysely so every query is typed and written once.
 *
 * Conventions that keep the two dialects identical: timestamps are integer milliseconds (bigint),
 * booleans are integers 0/1, ids are text, binary secrets are sealed text (crypto/encryption.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { cachingStatements } from './statement-cache.ts';
import { literalLimits } from './literal-limits.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Db;
  dialect: Dialect;
  /** PostgreSQL: the schema in use when not the default. */
  schema?: string | undefined;
  /** Human description for logs: never includes a password. */
  description: string;
  close(): Promise<void>;
}

/** pg returns int8 as strings; our bigints are millisecond timestamps and counters, safe as numbers. */
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
};

export interface OpenOptions {
  /** PostgreSQL only: the schema to use (tests give every run its own). */
  schema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export function openStore(url: string, options: OpenOptions = {}): Store {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    const database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    return {
      // Prepared statements are reused by their SQL text (statement-cache.ts), not compiled per query;
      // limits are written into that text, or SQLite would prepare the statement again (literal-limits.ts).
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(database) }), plugins: [literalLimits] }),
      dialect: 'sqlite',
      description: `SQLite ${file === ':memory:' ? '(in memory)' : resolve(file)}`,
      close: async () => {
        database.close();
      },
    };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: pgTypes,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client's error (e.g. the server restarting) must not crash the process.
    pool.on('error', () => undefined);
    const safe = new URL(url);
    safe.password = '';
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      schema,
      description: `PostgreSQL ${safe.host}${safe.pathname}${schema ? ` (schema ${schema})` : ''}`,
      close: async () => {
        await pool.end();
      },
    };
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}

/** Runs `work` in one transaction: the state change, its emails and its audit events commit together. */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
