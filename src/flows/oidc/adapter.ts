/**
 * oidc-provider's storage over Bastion's own database (both dialects), so every node sees the same
 * sessions, codes, tokens and grants: one row per model and id in oidc_payloads. Expiry and
 * consumption are the provider's (its own clock, the system's: the tokens' exp/iat are checked by
 * the apps on theirs); an expired row reads as absent and the maintenance sweep removes it. Clients
 * are not stored here but read from oidc_clients (clients.ts).
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { DAY } from '../../clock.ts';
import type { Db } from '../../store/database.ts';
import { clientMetadata, findClientRow } from './clients.ts';

/** The provider's clock (oidc-provider reads Date.now() itself): expiry here must agree with it. */
const providerNow = () => Date.now();

class PayloadAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const row = {
      model: this.model,
      id,
      payload: JSON.stringify(payload),
      grant_id: payload.grantId ?? null,
      user_code: payload.userCode ?? null,
      uid: payload.uid ?? null,
      account_id: payload.accountId ?? null,
      client_id: payload.clientId ?? null,
      expires_at: expiresIn ? providerNow() + expiresIn * 1000 : null,
      consumed_at: null,
    };
    const { model: _model, id: _id, ...changes } = row;
    await this.db.insertInto('oidc_payloads').values(row).onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(changes)).execute();
  }

  private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const row = await this.db.selectFrom('oidc_payloads').select(['payload', 'expires_at', 'consumed_at']).where('model', '=', this.model).where(column, '=', value).executeTakeFirst();
    if (!row || (row.expires_at !== null && Number(row.expires_at) <= providerNow())) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
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

  async consume(id: string): Promise<void> {
    await this.db.updateTable('oidc_payloads').set({ consumed_at: providerNow() }).where('model', '=', this.model).where('id', '=', id).execute();
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom('oidc_payloads').where('model', '=', this.model).where('id', '=', id).execute();
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
