/**
 * Identity-verification cases and their photos, as stored: the typed details sealed with the
 * keyring (only the document type and issuing country stay readable, for the queue), the document
 * number also as a keyed hash (HMAC under the server secret) so duplicates and staff search work
 * without keeping it in the clear, and each photo in the file vault under a key of its own.
 */
import { createHmac, hkdfSync, randomUUID } from 'node:crypto';
import type { KycDetails, KycFileItem, KycItem } from '../../contracts/kyc.ts';
import type { Deps } from '../../deps.ts';
import type { CleanPhoto } from '../../documents/photos.ts';
import type { Db, Tx } from '../../store/database.ts';
import type { KycCasesTable, KycFilesTable } from '../../store/schema.ts';

export type KycCase = KycCasesTable;
export type KycFile = KycFilesTable;

/** What is sealed: everything typed but the document type and issuing country. */
export type SealedDetails = Pick<KycDetails, 'legalName' | 'dateOfBirth' | 'country' | 'documentNumber'>;

export const detailsContext = (caseId: string) => `kyc-details:${caseId}`;

export const sealDetails = (deps: Deps, caseId: string, d: KycDetails): string =>
  deps.keyring.seal(JSON.stringify({ legalName: d.legalName, dateOfBirth: d.dateOfBirth, country: d.country, documentNumber: d.documentNumber } satisfies SealedDetails), detailsContext(caseId));

export const openDetails = (deps: Deps, c: KycCase): SealedDetails | null =>
  c.details_sealed === null ? null : (JSON.parse(deps.keyring.openText(c.details_sealed, detailsContext(c.id))) as SealedDetails);

/**
 * The keyed hash of a normalised document number (what search and the duplicate check compare),
 * under a key of its own derived from the server secret (HKDF), not the secret itself. It is kept
 * after the documents are erased: a pseudonym that still flags the same document on another account.
 */
export function documentNumberHash(deps: Deps, number: string): string {
  const key = Buffer.from(hkdfSync('sha256', deps.config.sessionSecret, '', 'bastion kyc-document-number', 32));
  return createHmac('sha256', key).update(number, 'utf8').digest('hex');
}

export const parseItems = (json: string): KycItem[] => JSON.parse(json) as KycItem[];

export function latestCase(db: Db | Tx, userId: string): Promise<KycCase | undefined> {
  return db.selectFrom('kyc_cases').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
}

export function findCase(db: Db | Tx, caseId: string): Promise<KycCase | undefined> {
  return db.selectFrom('kyc_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

/** The case's photos that count now (not replaced by a resubmission, not erased). */
export function currentFiles(db: Db | Tx, caseId: string): Promise<KycFile[]> {
  return db.selectFrom('kyc_files').selectAll().where('case_id', '=', caseId).where('superseded_at', 'is', null).where('erased_at', 'is', null).orderBy('created_at').execute();
}

/**
 * For each case, the other accounts with the same document (number and issuing country) verified
 * or under review, worked out when the case is read: a document sent to two accounts at once, or
 * verified on one after the other was sent, is flagged on both.
 */
export async function sameDocumentElsewhere(db: Db | Tx, cases: KycCase[]): Promise<Map<string, string[]>> {
  const hashes = [...new Set(cases.map((c) => c.number_hash).filter((h): h is string => h !== null))];
  const others = hashes.length
    ? await db.selectFrom('kyc_cases').select(['user_id', 'number_hash', 'issuing_country']).where('number_hash', 'in', hashes).where('status', 'in', ['pending', 'resubmission_requested', 'verified']).execute()
    : [];
  return new Map(
    cases.map((c) => [c.id, [...new Set(others.filter((o) => o.number_hash === c.number_hash && o.issuing_country === c.issuing_country && o.user_id !== c.user_id).map((o) => o.user_id))]]),
  );
}

/** Photos written to the vault, not yet in the database: `rows` to insert, `discard` if the transaction fails. */
export interface WrittenPhotos {
  rows: KycFile[];
  discard: () => Promise<void>;
}

/** Encrypts and writes each photo before the transaction that records them (all or none are kept). */
export async function writePhotos(deps: Deps, caseId: string, photos: Map<KycFileItem, CleanPhoto>): Promise<WrittenPhotos> {
  const rows: KycFile[] = [];
  const discard = async () => {
    await Promise.all(rows.map((r) => deps.vault.remove(r.storage_name)));
  };
  try {
    for (const [item, photo] of photos) {
      const id = randomUUID();
      const stored = await deps.vault.put(id, photo.bytes);
      rows.push({ id, case_id: caseId, item, storage_name: stored.storageName, key_sealed: stored.keySealed, width: photo.width, height: photo.height, bytes: photo.bytes.length, created_at: deps.clock.now(), superseded_at: null, erased_at: null });
    }
  } catch (error) {
    await discard();
    throw error;
  }
  return { rows, discard };
}

/** Deletes files whose keys a committed transaction shredded; a failure is logged (nothing opens them any more). */
export async function removeFiles(deps: Deps, names: string[]): Promise<void> {
  const results = await Promise.allSettled(names.map((name) => deps.vault.remove(name)));
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed > 0) deps.log.warn({ failed }, 'could not delete shredded identity-document files; their keys are gone');
}

/** Runs the transaction that records written photos; if it fails, the files go too (nothing half-stored). */
export async function keepingPhotos<T>(written: WrittenPhotos, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // A file left behind opens nothing (its key was never committed); the caller hears the real failure.
    await written.discard().catch(() => undefined);
    throw error;
  }
}

/**
 * Crypto-shreds photos in the caller's transaction: their wrapped keys are erased, so no copy of
 * the files opens again. Returns the file names to delete once the transaction has committed.
 */
export async function shredFiles(tx: Tx, files: KycFile[], now: number): Promise<string[]> {
  if (files.length === 0) return [];
  await tx.updateTable('kyc_files').set({ key_sealed: null, erased_at: now }).where('id', 'in', files.map((f) => f.id)).execute();
  return files.map((f) => f.storage_name);
}
