/** Stored passkeys: the public key, counter and metadata of each WebAuthn credential of an account. */
import type { Db, Tx } from '../../store/database.ts';
import type { PasskeysTable } from '../../store/schema.ts';
import { authenticatorName } from './authenticators.ts';

export type Passkey = PasskeysTable;

export function listPasskeys(db: Db | Tx, userId: string): Promise<Passkey[]> {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at', 'asc').orderBy('id').execute();
}

/** The passkeys that may sign in (not disabled). */
export function enabledPasskeys(db: Db | Tx, userId: string): Promise<Passkey[]> {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).where('disabled_at', 'is', null).orderBy('created_at', 'asc').execute();
}

export async function countEnabledPasskeys(db: Db | Tx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function findPasskeyByCredentialId(db: Db | Tx, credentialId: string): Promise<Passkey | undefined> {
  return db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

export function findUserPasskey(db: Db | Tx, userId: string, id: string): Promise<Passkey | undefined> {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

/** The descriptors a browser needs to find the account's credentials. */
export const descriptors = (passkeys: Passkey[]) =>
  passkeys.map((p) => ({ id: p.credential_id, transports: JSON.parse(p.transports) as string[] }));

export interface PublicPasskey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  authenticator: string | null;
  backedUp: boolean;
  disabled: boolean;
  disabledReason: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toPublicPasskey(p: Passkey): PublicPasskey {
  return {
    id: p.id,
    name: p.name,
    createdAt: new Date(p.created_at).toISOString(),
    lastUsedAt: iso(p.last_used_at),
    authenticator: authenticatorName(p.aaguid),
    backedUp: p.backed_up === 1,
    disabled: p.disabled_at !== null,
    disabledReason: p.disabled_reason,
  };
}
