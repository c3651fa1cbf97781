import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The withdrawal address book (the whitelist): confirmed by an email link, usable after a delay.
  await db.schema
    .createTable('withdrawal_addresses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('network', 'text', (c) => c.notNull())
    // In its canonical form (bech32 lower case, EIP-55).
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('usable_from', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('withdrawal_addresses_unique').on('withdrawal_addresses').columns(['user_id', 'asset', 'address']).unique().execute();

  // Whitelist-only mode per account; turning it off waits (off_effective_at) and can be cancelled.
  await db.schema
    .createTable('withdrawal_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('whitelist_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('off_effective_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Idempotency-Key on money requests: the first answer, replayed for the same key and body.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    // Which request holds the key: only it may store the answer or give the key back.
    .addColumn('claim_id', 'text', (c) => c.notNull())
    // SHA-256 of the method, route and body: the same key with another request is refused.
    .addColumn('request_hash', 'text', (c) => c.notNull())
    // Null while the first request is still being answered.
    .addColumn('status_code', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
}
