/**
 * A fresh database for every test app: an SQLite file in a temporary folder, or a PostgreSQL schema
 * of its own (TEST_DATABASE_URL), so parallel and repeated runs never collide.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Dialect, type Store } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export const dialects: Dialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  url: string;
  schema: string | undefined;
  store: Store;
  /** Opens another connection to the same database (e.g. a second server node); PostgreSQL: a pool of poolSize (5). */
  reopen(poolSize?: number): Store;
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: Dialect, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const store = openStore(url);
    if (options.migrate ?? true) await migrateToLatest(store);
    return {
      url,
      schema: undefined,
      store,
      reopen: () => openStore(url),
      drop: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = openStore(url, { schema, poolSize: 5 });
  if (options.migrate ?? true) await migrateToLatest(store);
  return {
    url,
    schema,
    store,
    reopen: (poolSize = 5) => openStore(url, { schema, poolSize }),
    drop: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** What whoever owns the database can do: switch the append-only triggers off, change rows, switch them on. */
export async function asDatabaseOwner(store: Store, work: () => Promise<unknown>): Promise<void> {
  const tables = ['audit_events', 'audit_chain'];
  if (store.dialect === 'postgres') {
    for (const t of tables) await sql.raw(`alter table ${t} disable trigger user`).execute(store.db);
    try {
      await work();
    } finally {
      for (const t of tables) await sql.raw(`alter table ${t} enable trigger user`).execute(store.db);
    }
    return;
  }
  for (const t of tables) for (const a of ['update', 'delete']) await sql.raw(`drop trigger ${t}_no_${a}`).execute(store.db);
  try {
    await work();
  } finally {
    for (const t of tables) {
      for (const a of ['update', 'delete']) {
        await sql.raw(`create trigger ${t}_no_${a} before ${a} on ${t} begin select raise(abort, '${t} is append-only'); end`).execute(store.db);
      }
    }
  }
}

