/**
 * The provider's signing keys (OpenID Connect Core §10.1): one ES256 (P-256) and one RS256
 * (RSA-2048) key, made on first start, their private JWKs sealed with the keyring (AES-256-GCM, bound
 * to the key id). `bastion oidc keys rotate` makes new ones and retires the old: a retired key signs
 * nothing more but stays in the JWKS for RETIRED_KEY_PUBLISHED_MS, longer than any token it signed
 * lives (ID tokens: an hour), so apps can still check what it signed.
 */
import { generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { JsonWebKey } from 'node:crypto';
import { sql } from 'kysely';
import { HOUR } from '../../clock.ts';
import type { Deps } from '../../deps.ts';
import type { Db, Dialect, Tx } from '../../store/database.ts';
import type { OidcSigningKeysTable } from '../../store/schema.ts';

export const ID_TOKEN_TTL_S = 3600;
/** An hour of ID-token life, and another for apps' cached JWKS and clock skew. */
export const RETIRED_KEY_PUBLISHED_MS = 2 * HOUR;
const ALGS = ['ES256', 'RS256'] as const;
type Alg = (typeof ALGS)[number];
/** Any constant: the advisory lock two starting nodes take so that only one makes the first keys. */
const KEYS_LOCK = 0x6f69_6463;

/** What a key's sealed JWK is bound to (the key rotation of ENCRYPTION_KEYS re-seals it under the same). */
export const signingKeyContext = (kid: string) => `oidc_signing_key:${kid}`;
const context = signingKeyContext;

const keyPair = promisify(generateKeyPair);

/** A new private JWK, made off the main thread (an RSA key takes a good part of a second). */
async function generate(alg: Alg): Promise<JsonWebKey> {
  const { privateKey } = alg === 'ES256' ? await keyPair('ec', { namedCurve: 'P-256' }) : await keyPair('rsa', { modulusLength: 2048 });
  return privateKey.export({ format: 'jwk' });
}

/** Inserts the keys made beforehand (so no transaction waits for key generation); returns their ids. */
async function insertKeys(deps: Deps, tx: Tx, made: [Alg, JsonWebKey][]): Promise<string[]> {
  const kids: string[] = [];
  for (const [alg, jwk] of made) {
    const kid = randomUUID();
    const row: OidcSigningKeysTable = { kid, alg, private_jwk_sealed: deps.keyring.seal(JSON.stringify(jwk), context(kid)), created_at: deps.clock.now(), retired_at: null };
    await tx.insertInto('oidc_signing_keys').values(row).execute();
    kids.push(kid);
  }
  return kids;
}

const make = async (algs: readonly Alg[]): Promise<[Alg, JsonWebKey][]> => Promise.all(algs.map(async (alg) => [alg, await generate(alg)] as [Alg, JsonWebKey]));

async function lock(tx: Tx, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${KEYS_LOCK})`.execute(tx);
}

const missingIn = async (db: Db | Tx): Promise<Alg[]> => {
  const active = await db.selectFrom('oidc_signing_keys').select('alg').where('retired_at', 'is', null).execute();
  return ALGS.filter((alg) => !active.some((k) => k.alg === alg));
};

/** Makes the keys an algorithm lacks (first start); nodes starting together make them once. */
export async function ensureSigningKeys(deps: Deps): Promise<void> {
  const missing = await missingIn(deps.store.db);
  if (missing.length === 0) return;
  const made = await make(missing);
  await deps.store.db.transaction().execute(async (tx) => {
    await lock(tx, deps.store.dialect);
    const still = await missingIn(tx);
    await insertKeys(deps, tx, made.filter(([alg]) => still.includes(alg)));
  });
}

/** New keys for both algorithms; the old ones retire now. Returns the new key ids. */
export async function rotateSigningKeys(deps: Deps): Promise<{ added: string[]; retired: string[] }> {
  const made = await make(ALGS);
  return deps.store.db.transaction().execute(async (tx) => {
    await lock(tx, deps.store.dialect);
    const now = deps.clock.now();
    const old = await tx.selectFrom('oidc_signing_keys').select('kid').where('retired_at', 'is', null).execute();
    await tx.updateTable('oidc_signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
    // Keys retired long enough ago that nothing they signed is alive any more go for good.
    await tx.deleteFrom('oidc_signing_keys').where('retired_at', '<', now - RETIRED_KEY_PUBLISHED_MS).execute();
    const rotated = { added: await insertKeys(deps, tx, made), retired: old.map((k) => k.kid) };
    await deps.audit.record(tx, { type: 'oidc.keys_rotated', actor: { kind: 'system' }, subject: null, client: null, data: rotated });
    return rotated;
  });
}

/** The private JWKs the provider signs with and publishes: active keys first (they sign), then retired ones still published. */
export async function loadSigningKeys(deps: Deps): Promise<JsonWebKey[]> {
  const rows = await publishedRows(deps.store.db, deps.clock.now());
  return rows.map((row) => ({ ...(JSON.parse(deps.keyring.openText(row.private_jwk_sealed, context(row.kid))) as JsonWebKey), kid: row.kid, alg: row.alg, use: 'sig' }));
}

function publishedRows(db: Db, now: number) {
  return db
    .selectFrom('oidc_signing_keys')
    .selectAll()
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>=', now - RETIRED_KEY_PUBLISHED_MS)]))
    .orderBy(sql`case when retired_at is null then 0 else 1 end`)
    .orderBy('created_at', 'desc')
    .execute();
}

/** What changes when keys are made or retired: a node rebuilds its provider when this differs. */
export async function signingKeysVersion(deps: Deps): Promise<string> {
  return (await publishedRows(deps.store.db, deps.clock.now())).map((r) => `${r.kid}:${r.retired_at ?? ''}`).join(',');
}
