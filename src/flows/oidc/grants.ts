/**
 * Consent, remembered (OpenID Connect Core §3.1.2.4): what a user allowed an app is the provider's
 * Grant, kept until revoked; an app asking again for what it was granted is not asked about again,
 * in a later session too. A first-party app is granted what it asks without a consent screen.
 * "Connected apps" in the security center lists an account's grants; revoking one removes it and
 * every token and code issued under it.
 */
import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { notFound } from '../../errors/app-error.ts';
import { inTransaction, type Db, type Tx } from '../../store/database.ts';
import { providerNow } from './adapter.ts';
import { findClientRow } from './clients.ts';


async function latestGrantId(db: Db, accountId: string, clientId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('oidc_payloads')
    .select('id')
    .where('model', '=', 'Grant')
    .where('account_id', '=', accountId)
    .where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', providerNow())]))
    .orderBy('expires_at', 'desc')
    .executeTakeFirst();
  return row?.id;
}

export async function rememberedGrant(deps: Deps, ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const client = oidc.client!;
  const accountId = oidc.session!.accountId!;
  const { Grant } = oidc.provider;
  const known = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(client.clientId) ?? (await latestGrantId(deps.store.db, accountId, client.clientId));
  const grant = known ? await Grant.find(known) : undefined;
  if (grant && grant.accountId === accountId && grant.clientId === client.clientId) return grant;
  if (!(await findClientRow(deps.store.db, client.clientId))?.first_party) return undefined;
  const granted = new Grant({ accountId, clientId: client.clientId });
  granted.addOIDCScope([...oidc.requestParamScopes].join(' '));
  const claims = oidc.requestParamClaims;
  if (claims) granted.addOIDCClaims([...claims]);
  await granted.save();
  await inTransaction(deps.store.db, (tx) =>
    deps.audit.record(tx, { type: 'oidc.consent_granted', actor: { kind: 'user', id: accountId }, subject: accountId, client: null, data: { clientId: client.clientId, scopes: [...oidc.requestParamScopes], firstParty: true } }),
  );
  return granted;
}

export interface ConnectedApp {
  clientId: string;
  name: string;
  scopes: string[];
  grantedAt: number;
}

/** The apps an account has granted something to, newest first. */
export async function connectedApps(db: Db, accountId: string): Promise<ConnectedApp[]> {
  const rows = await db
    .selectFrom('oidc_payloads')
    .innerJoin('oidc_clients', 'oidc_clients.id', 'oidc_payloads.client_id')
    .select(['oidc_payloads.payload', 'oidc_payloads.client_id', 'oidc_clients.name'])
    .where('oidc_payloads.model', '=', 'Grant')
    .where('oidc_payloads.account_id', '=', accountId)
    .where((eb) => eb.or([eb('oidc_payloads.expires_at', 'is', null), eb('oidc_payloads.expires_at', '>', providerNow())]))
    .execute();
  const byClient = new Map<string, ConnectedApp>();
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { iat?: number; openid?: { scope?: string } };
    const app: ConnectedApp = { clientId: row.client_id!, name: row.name, scopes: (payload.openid?.scope ?? '').split(' ').filter(Boolean), grantedAt: (payload.iat ?? 0) * 1000 };
    const seen = byClient.get(app.clientId);
    if (!seen || seen.grantedAt < app.grantedAt) byClient.set(app.clientId, { ...app, scopes: [...new Set([...(seen?.scopes ?? []), ...app.scopes])] });
  }
  return [...byClient.values()].sort((a, b) => b.grantedAt - a.grantedAt);
}

/** Removes an account's grants to one app and all issued under them; returns how many grants went. */
async function removeGrants(tx: Tx, accountId: string, clientId: string): Promise<number> {
  const grants = await tx.selectFrom('oidc_payloads').select('id').where('model', '=', 'Grant').where('account_id', '=', accountId).where('client_id', '=', clientId).execute();
  const ids = grants.map((g) => g.id);
  if (ids.length > 0) {
    await tx.deleteFrom('oidc_payloads').where('grant_id', 'in', ids).execute();
    await tx.deleteFrom('oidc_payloads').where('model', '=', 'Grant').where('id', 'in', ids).execute();
  }
  return ids.length;
}

/** The user revokes an app under Connected apps: its grants, tokens and codes end, and the audit event is written, in one transaction. */
export async function revokeConnectedApp(deps: Deps, userId: string, clientId: string, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    if ((await removeGrants(tx, userId, clientId)) === 0) throw notFound('oidc_client_not_found', 'No connected app with this id.');
    await deps.audit.record(tx, { type: 'oidc.app_revoked', actor: { kind: 'user', id: userId }, subject: userId, client, data: { clientId } });
  });
}
