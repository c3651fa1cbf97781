import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Bastion as an OpenID Connect provider (flows/oidc/). The apps that sign in through it: a
  // confidential client's secret is kept as the SHA-256 of its 256 random bits, never in plain text.
  await db.schema
    .createTable('oidc_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
    .addColumn('backchannel_logout_uri', 'text')
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('first_party', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // oidc-provider's own records (sessions, interactions, codes, tokens, grants, PAR requests), one
  // row per model and id, with the columns it looks them up by; account_id and client_id let Bastion
  // list and end an account's grants. expires_at and consumed_at are milliseconds (the provider's clock).
  await db.schema
    .createTable('oidc_payloads')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('user_code', 'text')
    .addColumn('uid', 'text')
    .addColumn('account_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    // The provider session a token was issued through (its uid): ended with it when a session is ended
    // for the account's safety.
    .addColumn('session_uid', 'text')
    .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
    .execute();
  await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').column('grant_id').execute();
  await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').columns(['model', 'uid']).execute();
  await db.schema.createIndex('oidc_payloads_user_code').on('oidc_payloads').columns(['model', 'user_code']).execute();
  await db.schema.createIndex('oidc_payloads_account').on('oidc_payloads').columns(['account_id', 'model']).execute();
  await db.schema.createIndex('oidc_payloads_expiry').on('oidc_payloads').column('expires_at').execute();
  await db.schema.createIndex('oidc_payloads_session').on('oidc_payloads').column('session_uid').execute();

  // The ID-token signing keys (ES256 and RS256): private JWKs sealed with the keyring. A rotated key
  // stops signing at retired_at and stays published until the tokens it signed have expired.
  await db.schema
    .createTable('oidc_signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();

  // Back-channel logout notices (OpenID Connect Back-Channel Logout 1.0) waiting to be sent: written in
  // the transaction of the security change or sign-out that ended the app sessions, sent by a node's
  // provider (flows/oidc/backchannel.ts), retried with backoff.
  await db.schema
    .createTable('oidc_logouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('sid', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('oidc_logouts_due').on('oidc_logouts').columns(['sent_at', 'next_attempt_at']).execute();

  // Which Bastion session each provider session (a browser's sign-in to apps, by its uid) rides on:
  // ending that Bastion session ends those app sessions (back-channel logout).
  await db.schema
    .createTable('oidc_session_links')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('bastion_session_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oidc_session_links_session').on('oidc_session_links').columns(['account_id', 'bastion_session_id']).execute();
}
