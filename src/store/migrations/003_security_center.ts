import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_activity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('city', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('method', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('risk_signals', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_activity_user_at').on('login_activity').columns(['user_id', 'at', 'id']).execute();
  await db.schema.createIndex('login_activity_at').on('login_activity').column('at').execute();

  await db.schema
    .createTable('known_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('device_hash', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_ip', 'text')
    .addColumn('last_location', 'text')
    .addUniqueConstraint('known_devices_user_device', ['user_id', 'device_hash'])
    .execute();

  await db.schema
    .createTable('withdrawal_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('withdrawal_holds_user').on('withdrawal_holds').columns(['user_id', 'until']).execute();

  await db.schema.alterTable('users').addColumn('frozen_at', 'bigint').execute();

  // A sign-in waiting for the new device to be confirmed by email.
  for (const [name, type] of [
    ['device_code_hash', 'text'],
    ['device_token_hash', 'text'],
    ['device_expires_at', 'bigint'],
    ['device_confirmed_at', 'bigint'],
    ['pending_method', 'text'],
  ] as const) {
    await db.schema.alterTable('login_flows').addColumn(name, type).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['device_code_hash', 'device_token_hash', 'device_expires_at', 'device_confirmed_at', 'pending_method']) {
    await db.schema.alterTable('login_flows').dropColumn(name).execute();
  }
  await db.schema.alterTable('users').dropColumn('frozen_at').execute();
  for (const table of ['withdrawal_holds', 'known_devices', 'login_activity']) await db.schema.dropTable(table).execute();
}
