import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Identity verification's state on the account (the level is already there), and staff.
  await db.schema.alterTable('users').addColumn('kyc_status', 'text', (c) => c.notNull().defaultTo('none')).execute();
  await db.schema.alterTable('users').addColumn('staff_role', 'text').execute();
  await db.schema.alterTable('users').addColumn('staff_locked_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('staff_lock_reason', 'text').execute();
  await db.schema.alterTable('users').addColumn('staff_locked_by', 'text').execute();

  await db.schema
    .createTable('kyc_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    // Name, date of birth, country and document number, sealed; null once erased.
    .addColumn('details_sealed', 'text')
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('issuing_country', 'text', (c) => c.notNull())
    // Keyed hash of the document number: duplicates and search without keeping it in the clear.
    .addColumn('number_hash', 'text')
    .addColumn('requested_items', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('message', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addColumn('erased_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kyc_cases_user').on('kyc_cases').column('user_id').execute();
  await db.schema.createIndex('kyc_cases_queue').on('kyc_cases').columns(['status', 'submitted_at']).execute();
  await db.schema.createIndex('kyc_cases_number').on('kyc_cases').column('number_hash').execute();

  await db.schema
    .createTable('kyc_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('kyc_cases.id').onDelete('cascade'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('storage_name', 'text', (c) => c.notNull())
    // The file's own key, sealed by the keyring; null once crypto-shredded.
    .addColumn('key_sealed', 'text')
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('superseded_at', 'bigint')
    .addColumn('erased_at', 'bigint')
    .execute();
  await db.schema.createIndex('kyc_files_case').on('kyc_files').column('case_id').execute();
}
