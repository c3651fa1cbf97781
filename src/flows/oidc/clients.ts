/**
 * The apps that sign in through Bastion (OpenID Connect clients), registered by an operator with
 * `bastion oidc clients add`. Redirect URIs are matched exactly (OAuth 2.0 Security BCP, RFC 9700
 * §4.1). A confidential client's secret is 256 random bits shown once and kept as its SHA-256
 * (DESIGN.md: secrets at rest); the provider's own comparison is replaced by a constant-time
 * comparison of hashes (verifyClientSecret), and no HMAC algorithm is enabled, so the stored hash is
 * never used as a key. A public client (a browser or mobile app) has no secret and must use PKCE.
 */
import { randomUUID } from 'node:crypto';
import { hashToken, randomToken, safeEqual } from '../../crypto/tokens.ts';
import { badRequest } from '../../errors/app-error.ts';
import type { Db, Tx } from '../../store/database.ts';
import type { OidcClientsTable } from '../../store/schema.ts';

export type ClientRow = OidcClientsTable;

export interface NewClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string | undefined;
  public?: boolean;
  /** Also (or, with no redirect URI, only) the client-credentials grant, for a back-end service. */
  clientCredentials?: boolean;
  /** No refresh tokens (offline_access) for this app. */
  noRefresh?: boolean;
  /** A first-party app: its users are not asked for consent. */
  firstParty?: boolean;
}

function checkUri(uri: string, what: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw badRequest('invalid_client_metadata', `The ${what} "${uri}" is not an absolute URL.`);
  }
  if (url.hash) throw badRequest('invalid_client_metadata', `The ${what} "${uri}" must not have a fragment.`);
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw badRequest('invalid_client_metadata', `The ${what} "${uri}" must use https (http only on localhost).`);
  return uri;
}

export async function addClient(db: Db | Tx, input: NewClient, now: number): Promise<{ client: ClientRow; secret: string | null }> {
  if (!input.name.trim()) throw badRequest('invalid_client_metadata', 'A client needs a name.');
  const redirectUris = input.redirectUris.map((u) => checkUri(u, 'redirect URI'));
  if (redirectUris.length === 0 && !input.clientCredentials) throw badRequest('invalid_client_metadata', 'A client needs at least one redirect URI (or --client-credentials for a back-end service).');
  if (input.public && input.clientCredentials) throw badRequest('invalid_client_metadata', 'A public client has no secret, so it cannot use client credentials.');
  const grantTypes = [
    ...(redirectUris.length > 0 ? ['authorization_code', ...(input.noRefresh ? [] : ['refresh_token'])] : []),
    ...(input.clientCredentials ? ['client_credentials'] : []),
  ];
  const secret = input.public ? null : randomToken(32);
  const client: ClientRow = {
    id: randomUUID(),
    name: input.name.trim(),
    secret_hash: secret === null ? null : hashToken(secret),
    redirect_uris: JSON.stringify(redirectUris),
    post_logout_redirect_uris: JSON.stringify((input.postLogoutRedirectUris ?? []).map((u) => checkUri(u, 'post-logout redirect URI'))),
    backchannel_logout_uri: input.backchannelLogoutUri ? checkUri(input.backchannelLogoutUri, 'back-channel logout URI') : null,
    grant_types: JSON.stringify(grantTypes),
    first_party: input.firstParty ? 1 : 0,
    created_at: now,
  };
  await db.insertInto('oidc_clients').values(client).execute();
  return { client, secret };
}

export const findClientRow = (db: Db, id: string): Promise<ClientRow | undefined> => db.selectFrom('oidc_clients').selectAll().where('id', '=', id).executeTakeFirst();

export const listClients = (db: Db): Promise<ClientRow[]> => db.selectFrom('oidc_clients').selectAll().orderBy('created_at').execute();

/** Removes a client and everything the provider holds for it (grants, tokens); false when unknown. */
export async function removeClient(tx: Tx, id: string): Promise<boolean> {
  await tx.deleteFrom('oidc_payloads').where('client_id', '=', id).execute();
  const removed = await tx.deleteFrom('oidc_clients').where('id', '=', id).executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

/** The client's metadata as oidc-provider reads it. */
export function clientMetadata(row: ClientRow): Record<string, unknown> {
  const grantTypes = JSON.parse(row.grant_types) as string[];
  const redirectUris = JSON.parse(row.redirect_uris) as string[];
  return {
    client_id: row.id,
    client_name: row.name,
    redirect_uris: redirectUris,
    post_logout_redirect_uris: JSON.parse(row.post_logout_redirect_uris) as string[],
    grant_types: grantTypes,
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    // The hash stands where the provider expects a secret: only verifyClientSecret compares with it.
    ...(row.secret_hash === null ? { token_endpoint_auth_method: 'none' } : { token_endpoint_auth_method: 'client_secret_basic', client_secret: row.secret_hash }),
    ...(row.backchannel_logout_uri ? { backchannel_logout_uri: row.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
    id_token_signed_response_alg: 'ES256',
  };
}

/** A presented secret against the stored hash, in constant time. */
export function verifyClientSecret(storedHash: string | undefined, presented: string): boolean {
  return storedHash !== undefined && safeEqual(hashToken(presented), storedHash);
}
