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
 * - An event's seq is the database's alone, below 2^53 (a seq read back as a JS number is exact):
 *   on PostgreSQL a trigger numbers every new event from a sequence, whatever seq the INSERT gave
 *   (a seq just ahead of the identity made a later record() fail; one past 2^53 jammed the sealer);
 *   on SQLite a trigger refuses a seq past the next one (a row at the largest rowid made every later
 *   insert fail with SQLITE_FULL), and a CHECK holds every seq to 1 … 2^53 − 1.
 * - `audit_legacy`: one row, append-only, the largest seq waiting (without a MAC) as this ran. Only
 *   those are sealed `no_mac`; a queue row without a MAC after it was added by hand (`bad_mac`).
 * - SQLite: INSERT OR REPLACE deletes the row it replaces without firing the DELETE triggers, so
 *   BEFORE INSERT triggers refuse a seq or position that is already there. (PostgreSQL has no
 *   REPLACE; its INSERT … ON CONFLICT DO UPDATE fires the UPDATE trigger.)
 * The triggers stop every role but the tables' owner, who can switch them off: the servers should
 * not run as the owner (README, Running in production).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await refuseUnsafeSeqs(db);
  await recordLegacyQueue(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await numberPostgresEvents(db);
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

/** 2^53: every seq below it is exact as a JS number. */
const SEQ_LIMIT = '9007199254740992';
const SEQ_BOUNDS = `seq > 0 and seq < ${SEQ_LIMIT}`;

/** An event at a seq outside the bounds stops the migration, naming it (one past 2^53 jams the sealer). */
async function refuseUnsafeSeqs(db: Kysely<any>): Promise<void> {
  const unsafe = await sql<{ seq: string | number }>`select cast(seq as text) as seq from audit_events where not (${sql.raw(SEQ_BOUNDS)}) order by seq limit 10`.execute(db);
  if (unsafe.rows.length > 0) {
    throw new Error(`audit_events holds seqs outside 1 … 2^53 − 1 (seq ${unsafe.rows.map((r) => r.seq).join(', ')}): events inserted with a seq of their own choosing, not by Bastion; note them, remove them as the tables' owner and migrate again`);
  }
}

/**
 * PostgreSQL: the identity's default is computed before a BEFORE trigger runs (each insert would
 * take two numbers), so the identity goes and a trigger alone numbers events, from a sequence
 * that starts past every number handed out. It runs as the migration's role (SECURITY DEFINER): the
 * servers' role needs no right on the sequence, so it cannot move it either.
 */
async function numberPostgresEvents(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ next: string; sequence: string }>`select greatest(
      (select max(seq) from audit_events), (select max(seq) from audit_chain), (select max(seq) from audit_pending),
      pg_sequence_last_value(pg_get_serial_sequence('audit_events', 'seq')::regclass), 0) + 1 as next,
      quote_literal(quote_ident(current_schema()) || '.audit_event_numbers') as sequence`.execute(db);
  const { next, sequence } = rows[0]!;
  await sql`alter table audit_events alter column seq drop identity`.execute(db);
  await sql.raw(`create sequence audit_event_numbers as bigint maxvalue ${BigInt(SEQ_LIMIT) - 1n} start ${next} owned by audit_events.seq`).execute(db);
  await sql.raw(`alter table audit_events add constraint audit_events_seq_bounds check (${SEQ_BOUNDS})`).execute(db);
  await sql
    .raw(
      `create function audit_event_number() returns trigger language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
       begin new.seq := nextval(${sequence}); return new; end $$`,
    )
    .execute(db);
  await sql`create trigger audit_events_numbered before insert on audit_events for each row execute function audit_event_number()`.execute(db);
}

/** The queue as it stands, before any row has a MAC: what may be sealed unchecked, and no more. */
async function recordLegacyQueue(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('audit_legacy')
    .addColumn('id', 'integer', (c) => c.primaryKey().defaultTo(1).check(sql`id = 1`))
    .addColumn('max_unmac_seq', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into audit_legacy (max_unmac_seq) select coalesce(max(seq), 0) from audit_pending`.execute(db);
  if (postgres) {
    await sql`revoke insert, update, delete, truncate on audit_legacy from public`.execute(db);
    await sql`create trigger audit_legacy_append_only before update or delete on audit_legacy for each row execute function audit_append_only()`.execute(db);
    await sql`create trigger audit_legacy_no_truncate before truncate on audit_legacy for each statement execute function audit_append_only()`.execute(db);
  } else {
    await sqliteAppendOnly(db, 'audit_legacy');
    await refuseReplace(db, 'audit_legacy', '1 = 1');
  }
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
    .addCheckConstraint('audit_events_seq_bounds', sql.raw(SEQ_BOUNDS))
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
  // In a BEFORE trigger a seq SQLite is about to assign reads -1 (an explicit -1 fails the CHECK).
  await sql`create trigger audit_events_seq_next before insert on audit_events
    when new.seq <> -1 and new.seq > coalesce((select seq from sqlite_sequence where name = 'audit_events'), 0) + 1
    begin select raise(abort, 'audit_events.seq is numbered by the database: a seq past the next one is refused'); end`.execute(db);
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
