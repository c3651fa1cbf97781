import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Hardening after a security review of the audit chain (audit/seal.ts, audit/verify.ts):
 * - `audit_pending.mac`: each event's MAC, written by record() with a key derived from AUDIT_KEY,
 *   so an event added by a plain INSERT is not sealed as genuine. Required on every new row; rows
 *   waiting from before this migration have none and are sealed flagged `no_mac` (unchecked).
 * - `audit_pending.seq` is a foreign key to `audit_events`: an event cannot be removed while it waits.
 * - SQLite numbers events with AUTOINCREMENT, so a seq is never reused after the last event went
 *   (a reused seq met the old one's rows and failed every audited transaction); the counter starts
 *   past every seq the chain and the queue name.
 * - `audit_chain.flag` (the sealer's verdict on an event it could not vouch for) and
 *   `audit_chain.checkpoint` (the signed checkpoint on each batch's last entry: what the sealer
 *   holds the next seal to).
 * - SQLite: INSERT OR REPLACE deletes the row it replaces without firing the DELETE triggers, so
 *   BEFORE INSERT triggers refuse a seq or position that is already there. (PostgreSQL has no
 *   REPLACE; its INSERT … ON CONFLICT DO UPDATE fires the UPDATE trigger.)
 * The triggers stop every role but the tables' owner, who can switch them off: the servers should
 * not run as the owner (README, Running in production).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // NOT VALID: rows from before are kept as they are (an orphan is reported by the sealer); every new one is checked.
    await sql`alter table audit_pending add column mac text,
      add constraint audit_pending_mac_required check (mac is not null) not valid,
      add constraint audit_pending_event foreign key (seq) references audit_events (seq) not valid`.execute(db);
    await sql`alter table audit_chain add column flag text, add column checkpoint text`.execute(db);
  } else {
    await rebuildSqliteEvents(db);
    await rebuildSqlitePending(db);
    await sql`alter table audit_chain add column flag text`.execute(db);
    await sql`alter table audit_chain add column checkpoint text`.execute(db);
    await refuseReplace(db, 'audit_events', 'new.seq = old_row.seq');
    await refuseReplace(db, 'audit_chain', 'new.position = old_row.position or new.seq = old_row.seq');
  }
  // The sealer finds the last checkpoint without walking the chain back.
  await db.schema.createIndex('audit_chain_checkpoints').on('audit_chain').column('position').where(sql.ref('checkpoint'), 'is not', null).execute();
}

const sqliteAppendOnly = async (db: Kysely<any>, table: string) => {
  for (const action of ['update', 'delete']) {
    await sql.raw(`create trigger ${table}_no_${action} before ${action} on ${table} begin select raise(abort, '${table} is append-only'); end`).execute(db);
  }
};

async function refuseReplace(db: Kysely<any>, table: string, clash: string): Promise<void> {
  await sql
    .raw(`create trigger ${table}_no_replace before insert on ${table} when exists (select 1 from ${table} as old_row where ${clash})
      begin select raise(abort, '${table} is append-only: that row exists'); end`)
    .execute(db);
}

/** The table again with an AUTOINCREMENT seq (the drop takes its triggers; they are made again). */
async function rebuildSqliteEvents(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_events_numbered')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text')
    .addColumn('actor_id', 'text')
    .execute();
  await sql`insert into audit_events_numbered (seq, at, type, user_id, ip, user_agent, data, actor_kind, actor_id)
    select seq, at, type, user_id, ip, user_agent, data, actor_kind, actor_id from audit_events order by seq`.execute(db);
  await db.schema.dropTable('audit_events').execute();
  await sql`alter table audit_events_numbered rename to audit_events`.execute(db);
  await db.schema.createIndex('audit_events_user').on('audit_events').columns(['user_id', 'seq']).execute();
  await sqliteAppendOnly(db, 'audit_events');
  await sql`delete from sqlite_sequence where name = 'audit_events'`.execute(db);
  await sql`insert into sqlite_sequence (name, seq) select 'audit_events', max(
      (select coalesce(max(seq), 0) from audit_events),
      (select coalesce(max(seq), 0) from audit_chain),
      (select coalesce(max(seq), 0) from audit_pending))`.execute(db);
}

/**
 * The queue again with its foreign key and the MAC column; a new row without a MAC is refused. SQLite
 * checks a foreign key as each row is copied, so an orphan (an event removed while it waited) stops
 * the migration, naming it: note it, delete it from audit_pending, and migrate again.
 */
async function rebuildSqlitePending(db: Kysely<any>): Promise<void> {
  const orphans = await sql<{ seq: number }>`select p.seq from audit_pending p left join audit_events e on e.seq = p.seq where e.seq is null order by p.seq limit 10`.execute(db);
  if (orphans.rows.length > 0) {
    throw new Error(`audit_pending names events that do not exist (seq ${orphans.rows.map((r) => r.seq).join(', ')}): they were removed while waiting to be sealed; note them, delete those rows from audit_pending and migrate again`);
  }
  await db.schema
    .createTable('audit_pending_checked')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().references('audit_events.seq'))
    .addColumn('mac', 'text')
    .execute();
  await sql`insert into audit_pending_checked (seq) select seq from audit_pending`.execute(db);
  await db.schema.dropTable('audit_pending').execute();
  await sql`alter table audit_pending_checked rename to audit_pending`.execute(db);
  for (const action of ['insert', 'update']) {
    await sql
      .raw(`create trigger audit_pending_mac_on_${action} before ${action} on audit_pending when new.mac is null
        begin select raise(abort, 'audit_pending.mac is required'); end`)
      .execute(db);
  }
}
