import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // What an attempt in the login activity was for: a sign-in (every row so far), or a proof of a
  // factor for something else (step_up, password_reset, password_change, recovery), so the owner
  // sees failed step-ups and resets too.
  await db.schema.alterTable('login_activity').addColumn('purpose', 'text', (c) => c.notNull().defaultTo('sign_in')).execute();
}
