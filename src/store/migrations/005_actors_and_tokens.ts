import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Who acted, apart from whose account it is (user_id). Older rows keep null: they hash as written.
  await db.schema.alterTable('audit_events').addColumn('actor_kind', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('actor_id', 'text').execute();

  // One home for single-use secrets (account/tokens.ts): what each is bound to (a sign-in flow …).
  await db.schema.alterTable('one_time_tokens').addColumn('bound_to', 'text').execute();
  await db.schema.createIndex('one_time_tokens_binding').on('one_time_tokens').columns(['purpose', 'bound_to']).execute();
  await db.schema.createIndex('one_time_tokens_expiry').on('one_time_tokens').column('expires_at').execute();

  // The emailed sign-in code and the new-device link and code now live with the other single-use tokens.
  for (const column of ['email_code_hash', 'email_code_expires_at', 'device_code_hash', 'device_token_hash']) {
    await db.schema.alterTable('login_flows').dropColumn(column).execute();
  }
}
