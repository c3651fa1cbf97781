import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Withdrawals: the funds are held (ledger_holds) from the request until the withdrawal is sent
  // (the hold posted) or stops (voided). One row per request; its status moves forward only.
  await db.schema
    .createTable('withdrawals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('network', 'text', (c) => c.notNull())
    // In its canonical form; address_id is the address-book entry it was sent to, if any.
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('address_id', 'text')
    .addColumn('label', 'text')
    // Decimal integer strings in the asset's smallest unit: what arrives, and the fee on top (both held).
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('fee', 'text', (c) => c.notNull())
    // The USD value at the request, in cents (counted against the daily limit).
    .addColumn('usd_cents', 'bigint', (c) => c.notNull())
    .addColumn('hold_id', 'text', (c) => c.notNull().references('ledger_holds.id'))
    // awaiting_confirmation | queued | sending | broadcast | completed | cancelled | expired | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('confirm_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('txid', 'text')
    .addColumn('broadcast_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    // When and why it stopped (cancelled, expired or failed); its funds were returned then.
    .addColumn('ended_at', 'bigint')
    .addColumn('end_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('withdrawals_user').on('withdrawals').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('withdrawals_status').on('withdrawals').columns(['status', 'confirm_expires_at']).execute();
  await db.schema.createIndex('withdrawals_hold').on('withdrawals').column('hold_id').unique().execute();
  // A retried request with the same Idempotency-Key finds the withdrawal it made, even after a crash.
  await db.schema.createIndex('withdrawals_idempotency').on('withdrawals').columns(['user_id', 'idempotency_key']).unique().execute();
}
