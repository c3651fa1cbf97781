/**
 * Migrations live in code (store/migrations/NNN_name.ts) and run at start and by `bastion migrate`.
 * One set serves both dialects. Applied names are kept in `schema_migrations`.
 *
 * A small runner of our own rather than Kysely's Migrator: that one inspects every table of every
 * schema in the database to find its bookkeeping tables, which races with schemas being created and
 * dropped next to it (one PostgreSQL database shared by many test runs or tenants). Here all pending
 * migrations run in one transaction, and on PostgreSQL under an advisory lock, so nodes starting
 * together apply each migration once.
 */
import { sql, type Kysely } from 'kysely';
import type { Store, Tx } from './database.ts';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_accounts.ts';
import * as m003 from './migrations/003_security_center.ts';
import * as m004 from './migrations/004_passkeys.ts';
import * as m005 from './migrations/005_actors_and_tokens.ts';
import * as m006 from './migrations/006_kyc_and_staff.ts';
import * as m007 from './migrations/007_two_factor_resets.ts';
import * as m008 from './migrations/008_ledger.ts';
import * as m009 from './migrations/009_withdrawal_addresses.ts';
import * as m010 from './migrations/010_withdrawals.ts';
import * as m011 from './migrations/011_activity_purpose.ts';
import * as m012 from './migrations/012_lockouts_idle.ts';
import * as m013 from './migrations/013_lockout_reservations.ts';
import * as m014 from './migrations/014_audit_chain.ts';
import * as m015 from './migrations/015_terms_acceptance.ts';
import * as m016 from './migrations/016_audit_hardening.ts';
import * as m017 from './migrations/017_oidc.ts';

interface Migration {
  up(db: Kysely<any>): Promise<void>;
}

/** In order of application. Never rename or reorder an entry that has shipped. */
const migrations: [string, Migration][] = [
  ['001_foundation', m001],
  ['002_accounts', m002],
  ['003_security_center', m003],
  ['004_passkeys', m004],
  ['005_actors_and_tokens', m005],
  ['006_kyc_and_staff', m006],
  ['007_two_factor_resets', m007],
  ['008_ledger', m008],
  ['009_withdrawal_addresses', m009],
  ['010_withdrawals', m010],
  ['011_activity_purpose', m011],
  ['012_lockouts_idle', m012],
  ['013_lockout_reservations', m013],
  ['014_audit_chain', m014],
  ['015_terms_acceptance', m015],
  ['016_audit_hardening', m016],
  ['017_oidc', m017],
];

/** Any constant number: the key of the PostgreSQL advisory lock that serialises migrators. */
const LOCK_KEY = 0x6261_7374;

async function applied(db: Kysely<any>): Promise<Set<string>> {
  const rows = await db.selectFrom('schema_migrations').select('name').execute();
  return new Set(rows.map((r) => r.name as string));
}

/**
 * Applies every pending migration (or those up to and including `until`: tests of an upgrade);
 * throws with the failing migration's name. Returns what it applied.
 */
export async function migrateToLatest(store: Store, options: { until?: string } = {}): Promise<string[]> {
  // A current schema needs no DDL: a node whose role does not own the tables (README) starts too.
  if (options.until === undefined && (await pendingMigrations(store)).length === 0) return [];
  return store.db.transaction().execute(async (tx: Tx) => {
    // The lock comes first: even "create table if not exists" races with itself on PostgreSQL.
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    await tx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const done = await applied(tx as unknown as Kysely<any>);
    const ran: string[] = [];
    for (const [name, migration] of migrations) {
      if (done.has(name)) {
        if (name === options.until) break;
        continue;
      }
      try {
        await migration.up(tx as unknown as Kysely<any>);
      } catch (error) {
        throw new Error(`migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await (tx as unknown as Kysely<any>).insertInto('schema_migrations').values({ name, applied_at: new Date().toISOString() }).execute();
      ran.push(name);
      if (name === options.until) break;
    }
    return ran;
  });
}

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  let done: Set<string>;
  try {
    done = await applied(store.db as unknown as Kysely<any>);
  } catch {
    done = new Set(); // no bookkeeping table yet: nothing applied
  }
  return migrations.map(([name]) => name).filter((name) => !done.has(name));
}
