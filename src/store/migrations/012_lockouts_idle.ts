import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The maintenance sweep deletes lockout counts idle for 30 days (throttle/database-throttle.ts).
  await db.schema.createIndex('lockouts_updated_at').on('lockouts').column('updated_at').execute();
}
