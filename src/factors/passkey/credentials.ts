/** Stored passkeys: the public key, counter and metadata of each WebAuthn credential of an account. */
import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import type { Db, Tx } from '../../store/database.ts';
import type { Database, PasskeysTable } from '../../store/schema.ts';
import { authenticatorName } from './authenticators.ts';
import { isoTime } from '../../clock.ts';

export type Passkey = PasskeysTable;

/** A credential as a verified registration describes it (ceremonies.ts). */
export interface NewCredential {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  aaguid: string;
  backedUp: boolean;
}

export function listPasskeys(db: Db | Tx, userId: string): Promise<Passkey[]> {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at', 'asc').orderBy('id').execute();
}

/** The passkeys that may sign in (not disabled). */
export function enabledPasskeys(db: Db | Tx, userId: string): Promise<Passkey[]> {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).where('disabled_at', 'is', null).orderBy('created_at', 'asc').execute();
}

/** How many passkeys the account has, and how many of them are enabled (may sign in): subqueries of the factors' status statement. */
export const passkeyCounts = (eb: ExpressionBuilder<Database, never>, userId: string) => {
  const ofAccount = eb.selectFrom('passkeys').select((q) => q.fn.countAll<number>().as('n')).where('user_id', '=', userId);
  return { all: ofAccount.$asScalar(), enabled: ofAccount.where('disabled_at', 'is', null).$asScalar() };
};

/** Stores a newly registered credential. */
export function insertPasskey(tx: Tx, input: { userId: string; credential: NewCredential; name: string; now: number }): Promise<Passkey> {
  const { credential } = input;
  return tx
    .insertInto('passkeys')
    .values({
      id: randomUUID(),
      user_id: input.userId,
      credential_id: credential.credentialId,
      public_key: credential.publicKey,
      counter: credential.counter,
      transports: JSON.stringify(credential.transports),
      aaguid: credential.aaguid,
      name: input.name,
      backed_up: credential.backedUp ? 1 : 0,
      created_at: input.now,
      last_used_at: null,
      last_challenge_at: null,
      disabled_at: null,
      disabled_reason: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
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


export function toPublicPasskey(p: Passkey): PublicPasskey {
  return {
    id: p.id,
    name: p.name,
    createdAt: new Date(p.created_at).toISOString(),
    lastUsedAt: isoTime(p.last_used_at),
    authenticator: authenticatorName(p.aaguid),
    backedUp: p.backed_up === 1,
    disabled: p.disabled_at !== null,
    disabledReason: p.disabled_reason,
  };
}
