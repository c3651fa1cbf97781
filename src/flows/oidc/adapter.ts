/**
 * oidc-provider's storage over Bastion's own database (both dialects), so every node sees the same
 * sessions, codes, tokens and grants: one row per model and id in oidc_payloads. Expiry and
 * consumption are the provider's (its own clock, the system's: the tokens' exp/iat are checked by
 * the apps on theirs); an expired row reads as absent and the maintenance sweep removes it. Clients
 * are not stored here but read from oidc_clients (clients.ts).
 */
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { DAY } from '../../clock.ts';
import { hashToken } from '../../crypto/tokens.ts';
import type { Db } from '../../store/database.ts';
import { clientMetadata, findClientRow } from './clients.ts';

/** The provider's clock (oidc-provider reads Date.now() itself): expiry here must agree with it. */
export const providerNow = () => Date.now();

/**
 * Models whose id is itself a credential (an access or refresh token, a code, a pushed request's
 * uri), always found by it: kept as its SHA-256, as Bastion keeps its own tokens, and their payload
 * without the copy of the id (jti) the provider puts in it. A copy of the database holds no usable
 * token. Sessions and interactions are found by other keys too and ride on a live Bastion session.
 */
const BEARER_MODELS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'ClientCredentials', 'PushedAuthorizationRequest', 'RegistrationAccessToken', 'InitialAccessToken']);

class PayloadAdapter implements Adapter {
  private readonly bearer: boolean;
  constructor(
    private readonly db: Db,
    private readonly model: string,
  ) {
    this.bearer = BEARER_MODELS.has(model);
  }

  /** The row's id: the token's hash for a credential. */
  private key(id: string): string {
    return this.bearer ? hashToken(id) : id;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const { jti: _jti, ...withoutId } = payload;
    const row = {
      model: this.model,
      id: this.key(id),
      payload: JSON.stringify(this.bearer ? withoutId : payload),
      grant_id: payload.grantId ?? null,
      user_code: payload.userCode ?? null,
      uid: payload.uid ?? null,
      account_id: payload.accountId ?? null,
      client_id: payload.clientId ?? null,
      expires_at: expiresIn ? providerNow() + expiresIn * 1000 : null,
      consumed_at: null,
      session_uid: payload.sessionUid ?? null,
    };
    const { model: _model, id: _id, ...changes } = row;
    await this.db.insertInto('oidc_payloads').values(row).onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(changes)).execute();
  }

  private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const lookup = column === 'id' ? this.key(value) : value;
    const row = await this.db.selectFrom('oidc_payloads').select(['payload', 'expires_at', 'consumed_at']).where('model', '=', this.model).where(column, '=', lookup).executeTakeFirst();
    if (!row || (row.expires_at !== null && Number(row.expires_at) <= providerNow())) return undefined;
    const stored = JSON.parse(row.payload) as AdapterPayload;
    const payload = this.bearer && column === 'id' ? { ...stored, jti: value } : stored;
    return row.consumed_at === null ? payload : { ...payload, consumed: Math.floor(Number(row.consumed_at) / 1000) };
  }

  find(id: string) {
    return this.findWhere('id', id);
  }
  findByUid(uid: string) {
    return this.findWhere('uid', uid);
  }
  findByUserCode(userCode: string) {
    return this.findWhere('user_code', userCode);
  }

  /**
   * Spends a code or refresh token once: of two requests presenting it at the same time, one consumes
   * it; the other finds it spent, which is a reuse: the grant and everything issued under it go, as
   * the provider does for a reuse it sees (and it answers invalid_grant).
   */
  async consume(id: string): Promise<void> {
    const spent = await this.db
      .updateTable('oidc_payloads')
      .set({ consumed_at: providerNow() })
      .where('model', '=', this.model)
      .where('id', '=', this.key(id))
      .where('consumed_at', 'is', null)
      .returning('grant_id')
      .executeTakeFirst();
    if (spent) return;
    const row = await this.db.selectFrom('oidc_payloads').select('grant_id').where('model', '=', this.model).where('id', '=', this.key(id)).executeTakeFirst();
    if (row?.grant_id) await this.db.deleteFrom('oidc_payloads').where((eb) => eb.or([eb('grant_id', '=', row.grant_id), eb.and([eb('model', '=', 'Grant'), eb('id', '=', row.grant_id)])])).execute();
    throw new errors.InvalidGrant('grant request is invalid');
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom('oidc_payloads').where('model', '=', this.model).where('id', '=', this.key(id)).execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.deleteFrom('oidc_payloads').where('model', '=', this.model).where('grant_id', '=', grantId).execute();
  }
}

/** Clients come from Bastion's table of registered apps; nothing writes them through the provider. */
class ClientAdapter implements Adapter {
  constructor(private readonly db: Db) {}
  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await findClientRow(this.db, id);
    return row ? (clientMetadata(row) as AdapterPayload) : undefined;
  }
  async upsert(): Promise<void> {
    throw new Error('clients are registered with `bastion oidc clients add`');
  }
  findByUid = async () => undefined;
  findByUserCode = async () => undefined;
  consume = async () => undefined;
  destroy = async () => undefined;
  revokeByGrantId = async () => undefined;
}

export function adapterFactory(db: Db): (model: string) => Adapter {
  return (model) => (model === 'Client' ? new ClientAdapter(db) : new PayloadAdapter(db, model));
}

/** Removes what has expired (the provider's clock), and logout notices a week old (Bastion's, `now`): the maintenance sweep; returns how many rows went. */
export async function pruneOidcPayloads(db: Db, now: number): Promise<number> {
  const expired = await db.deleteFrom('oidc_payloads').where('expires_at', '<=', providerNow()).executeTakeFirst();
  const weekAgo = now - 7 * DAY;
  const notices = await db.deleteFrom('oidc_logouts').where((eb) => eb.or([eb('sent_at', '<', weekAgo), eb('created_at', '<', weekAgo)])).executeTakeFirst();
  return Number(expired.numDeletedRows) + Number(notices.numDeletedRows);
}
