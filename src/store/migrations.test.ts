import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dialects } from '../../test/harness.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';

describe.each(dialects)('migrations on %s', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('apply from an empty database, then report nothing pending and apply nothing twice', async () => {
    db = await createTestDatabase(dialect, { migrate: false });
    expect((await pendingMigrations(db.store)).length).toBeGreaterThan(0);
    const applied = await migrateToLatest(db.store);
    expect(applied[0]).toBe('001_foundation');
    expect(await pendingMigrations(db.store)).toEqual([]);
    expect(await migrateToLatest(db.store)).toEqual([]);
    expect(await db.store.db.selectFrom('audit_chain').selectAll().execute()).toEqual([]);
  });

  it('stores bigint timestamps as numbers on both dialects', async () => {
    db = await createTestDatabase(dialect);
    const at = Date.UTC(2030, 5, 1);
    await db.store.db.insertInto('lockouts').values({ key: 'k', attempts: 1, lock_count: 0, locked_until: at, updated_at: at }).execute();
    const row = await db.store.db.selectFrom('lockouts').selectAll().executeTakeFirstOrThrow();
    expect(row.locked_until).toBe(at);
    expect(typeof row.updated_at).toBe('number');
  });

  // Several nodes share one database only on PostgreSQL (SQLite is the single-node default).
  if (dialect === 'postgres') {
    it('applies each migration once when several nodes start at the same time', async () => {
      db = await createTestDatabase(dialect, { migrate: false });
      const others = [db.reopen(), db.reopen()];
      try {
        const results = await Promise.all([migrateToLatest(db.store), ...others.map((s) => migrateToLatest(s))]);
        expect(results.flat().sort()).toEqual(['001_foundation', '002_accounts', '003_security_center', '004_passkeys', '005_actors_and_tokens', '006_kyc_and_staff', '007_two_factor_resets', '008_ledger', '009_withdrawal_addresses', '010_withdrawals', '011_activity_purpose', '012_lockouts_idle', '013_lockout_reservations', '014_audit_chain', '015_terms_acceptance', '016_audit_hardening', '017_oidc']);
        expect(await pendingMigrations(db.store)).toEqual([]);
      } finally {
        for (const s of others) await s.close();
      }
    });
  }

  if (dialect === 'sqlite') {
    it('turns on WAL and foreign keys for SQLite', async () => {
      db = await createTestDatabase(dialect);
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db.store.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
    });
  }
});
