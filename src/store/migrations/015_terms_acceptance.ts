import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The terms of service an account accepted (TERMS_VERSION) and when. Accounts from before have
  // none: their next sign-in asks them to accept the current terms before anything else.
  await db.schema.alterTable('users').addColumn('terms_version', 'text').execute();
  await db.schema.alterTable('users').addColumn('terms_accepted_at', 'bigint').execute();
}
