/**
 * Migrations live in code (store/migrations/NNN_name.ts) and run at start and by `bastion migrate`.
 * One set serves both dialects.
 */
import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Store } from './database.ts';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_accounts.ts';
import * as m003 from './migrations/003_security_center.ts';

const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_accounts': m002,
  '003_security_center': m003,
};

function migrator(store: Store): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    // With a schema of its own (PostgreSQL), Kysely must look for its bookkeeping tables there,
    // not in whichever schema happens to have tables of that name.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const result: MigrationResultSet = await migrator(store).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const all = await migrator(store).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
