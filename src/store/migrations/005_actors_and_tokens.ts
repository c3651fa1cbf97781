import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Who acted, apart from whose account it is (user_id). Older rows keep null: they hash as written.
  await db.schema.alterTable('audit_events').addColumn('actor_kind', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('actor_id', 'text').execute();

  // One home for single-use secrets (account/tokens.ts): what each is bound to (a sign-in flow …).
  await db.schema.alterTable('one_time_tokens').addColumn('bound_to', 'text').execute();
  await db.schema.createIndex('one_time_tokens_binding').on('one_time_tokens').columns(['purpose', 'bound_to']).execute();
  await db.schema.alterTable('one_time_tokens').addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('one_time_tokens_expiry').on('one_time_tokens').column('expires_at').execute();

  // Email verification links and codes join them too. Live links carry over (their SHA-256 is the
  // same); codes last 15 minutes and were scoped to the old row, so a pending one is asked for again.
  await sql`insert into one_time_tokens (id, user_id, purpose, token_hash, bound_to, expires_at, used_at, failed_attempts, created_at)
    select id, user_id, 'email_verification', token_hash, null, link_expires_at, null, 0, created_at from email_verifications`.execute(db);
  await db.schema.dropTable('email_verifications').execute();

  // The emailed sign-in code and the new-device link and code now live with the other single-use tokens.
  for (const column of ['email_code_hash', 'email_code_expires_at', 'device_code_hash', 'device_token_hash']) {
    await db.schema.alterTable('login_flows').dropColumn(column).execute();
  }
}
