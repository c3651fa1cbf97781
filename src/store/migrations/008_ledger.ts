import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The double-entry ledger. Amounts are decimal integer strings in each asset's smallest unit
  // (wei overflows a 64-bit integer); only the ledger module writes these tables.
  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // A user's id, or "platform".
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('asset', 'text', (c) => c.notNull())
    // available | held (a user's), world | fees | market (the platform's)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('balance', 'text', (c) => c.notNull().defaultTo('0'))
    // Bumped by every movement: the write that takes the row lock before the balance is read.
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_accounts_key').on('ledger_accounts').columns(['owner', 'asset', 'kind']).unique().execute();

  await db.schema
    .createTable('journal_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // deposit | trade | withdrawal_hold | withdrawal_post | withdrawal_void | reversal
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    // What the entry answers for (a deposit's network and txid, a quote's id): at most one entry each.
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('journal_entries_reference').on('journal_entries').columns(['kind', 'reference']).unique().execute();
  await db.schema.createIndex('journal_entries_user').on('journal_entries').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('postings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('asset', 'text', (c) => c.notNull())
    // Signed: a credit to the account is positive.
    .addColumn('amount', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('postings_entry').on('postings').column('entry_id').execute();
  await db.schema.createIndex('postings_account').on('postings').column('account_id').execute();

  // Two-phase amounts: held by a pending entry, then posted or voided exactly once.
  await db.schema
    .createTable('ledger_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pending_entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('resolved_entry_id', 'text', (c) => c.references('journal_entries.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  // One hold per pending entry, one resolving entry per hold.
  await db.schema.createIndex('ledger_holds_pending_entry').on('ledger_holds').column('pending_entry_id').unique().execute();
  await db.schema.createIndex('ledger_holds_resolved_entry').on('ledger_holds').column('resolved_entry_id').unique().execute();

  // USD prices an admin sets (`bastion prices set BTC 97000.12`): a decimal string.
  await db.schema
    .createTable('prices')
    .addColumn('asset', 'text', (c) => c.primaryKey())
    .addColumn('usd', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('quotes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('from_asset', 'text', (c) => c.notNull())
    .addColumn('to_asset', 'text', (c) => c.notNull())
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('fee', 'text', (c) => c.notNull())
    .addColumn('receive', 'text', (c) => c.notNull())
    .addColumn('from_usd', 'text', (c) => c.notNull())
    .addColumn('to_usd', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Each user's deposit index, assigned once: the child of the platform's extended public keys.
  await db.schema
    .createTable('deposit_indexes')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('idx', 'integer', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
