import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Lost 2FA: reset requests, reviewed by staff, carried out after a wait.
  await db.schema
    .createTable('two_factor_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    // The new selfie holding the ID document, in the file vault under a key of its own; null once shredded.
    .addColumn('selfie_file_id', 'text', (c) => c.notNull())
    .addColumn('selfie_storage_name', 'text', (c) => c.notNull())
    .addColumn('selfie_key_sealed', 'text')
    .addColumn('selfie_width', 'integer', (c) => c.notNull())
    .addColumn('selfie_height', 'integer', (c) => c.notNull())
    // The KYC case sent with the request (when the identity was not verified yet).
    .addColumn('kyc_case_id', 'text')
    // Where it came from, and why staff should look twice (JSON array).
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('risk_signals', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    // When a staff member first opened it (the user's page then says "in review").
    .addColumn('viewed_at', 'bigint')
    .addColumn('reviewed_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('reason', 'text')
    // An approved reset is carried out at this time (approval + TWO_FA_RESET_DELAY).
    .addColumn('effective_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('cancelled_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('two_factor_resets_user').on('two_factor_resets').columns(['user_id', 'submitted_at']).execute();
  await db.schema.createIndex('two_factor_resets_queue').on('two_factor_resets').columns(['status', 'submitted_at']).execute();
  await db.schema.createIndex('two_factor_resets_due').on('two_factor_resets').columns(['status', 'effective_at']).execute();
  // At most one open request per account, whatever races (pending or approved).
  await db.schema.createIndex('two_factor_resets_one_open').on('two_factor_resets').column('user_id').unique().where(sql.ref('status'), 'in', [sql.lit('pending'), sql.lit('approved')]).execute();
}
