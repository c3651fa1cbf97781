/**
 * Sending identity documents: the first submission (details, the document's photos, a selfie) and
 * a resubmission of only what the reviewer asked for. Every photo is checked and cleaned before
 * anything is written; the files are encrypted to the vault, then one transaction records the case,
 * its photos, the account's status, the audit event and the owner's email. If that transaction
 * fails, the files are deleted: nothing is half-stored. Photos a resubmission replaces are
 * crypto-shredded at once (data minimisation).
 */
import { randomUUID } from 'node:crypto';
import { sendAlert } from '../../account/alerts.ts';
import { findUserById, type User } from '../../account/users.ts';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { filesFor, KYC_FILE_ITEMS, type DocumentType, type KycDetails, type KycFileItem, type KycItem, type KycStatusBody } from '../../contracts/kyc.ts';
import type { Deps } from '../../deps.ts';
import { cleanPhoto, type CleanPhoto } from '../../documents/photos.ts';
import { badRequest, conflict, forbidden } from '../../errors/app-error.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { currentFiles, documentNumberHash, keepingPhotos, latestCase, parseItems, removeFiles, sealDetails, shredFiles, writePhotos, type KycCase, type WrittenPhotos } from './cases.ts';
import { parseDetails } from './details.ts';
import { describeKyc } from './status.ts';

/** A multipart body, read by the HTTP layer: text fields and whole files by field name. */
export interface KycUpload {
  fields: Record<string, string>;
  files: Map<string, Buffer>;
}

const ITEM_NAMES: Record<KycFileItem, string> = { documentFront: 'the front of your document', documentBack: 'the back of your document', selfie: 'a selfie' };

/** Checks and cleans exactly the photos `needed`; a missing one or one more is a 400 naming it. */
export async function cleanPhotos(upload: KycUpload, needed: KycFileItem[], notAsked: (field: string) => Error): Promise<Map<KycFileItem, CleanPhoto>> {
  for (const field of upload.files.keys()) {
    if (!(needed as string[]).includes(field)) throw notAsked(field);
  }
  const photos = new Map<KycFileItem, CleanPhoto>();
  for (const item of needed) {
    const file = upload.files.get(item);
    if (!file || file.length === 0) throw badRequest('file_missing', `${item}: send a photo of ${ITEM_NAMES[item]}.`, { field: item });
    photos.set(item, await cleanPhoto(item, file));
  }
  return photos;
}

/** The account's verification as it stands after the change (what the upload routes answer). */
async function statusNow(deps: Deps, user: User): Promise<KycStatusBody> {
  return describeKyc(deps, (await findUserById(deps.store.db, user.id)) ?? user);
}

async function notifySubmitted(deps: Deps, tx: Tx, user: User, kycCase: { id: string }, client: ClientInfo, resubmitted: KycItem[] | null): Promise<void> {
  const at = deps.clock.now();
  await sendAlert(deps, tx, user, 'kyc_submitted', { at, resubmission: resubmitted !== null });
  await deps.audit.record(tx, {
    type: resubmitted ? 'kyc.resubmitted' : 'kyc.submitted',
    ...self(user.id),
    client,
    data: { caseId: kycCase.id, ...(resubmitted ? { items: resubmitted } : {}) },
  });
}

/** Marks the account pending, once: a second submission racing this one finds it pending already. */
async function markPending(tx: Tx, user: User, from: User['kyc_status'], now: number): Promise<void> {
  const result = await tx.updateTable('users').set({ kyc_status: 'pending', updated_at: now }).where('id', '=', user.id).where('kyc_status', '=', from).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict('kyc_in_progress', 'Your identity verification is already under review.');
}

function refuseState(kycCase: KycCase | undefined, user: User): void {
  if (user.kyc_status === 'none') return;
  if (user.kyc_status === 'rejected') throw conflict('kyc_case_closed', 'Your identity verification was declined, and that decision is final. Contact support if you think it is a mistake.');
  if (user.kyc_status === 'resubmission_requested') throw conflict('kyc_in_progress', 'Send only what the reviewer asked for again (POST /api/kyc/resubmit).');
  throw conflict('kyc_in_progress', kycCase?.status === 'verified' || user.kyc_status === 'verified' ? 'Your identity is verified already.' : 'Your identity verification is already under review.');
}

export async function submitKyc(deps: Deps, user: User, upload: KycUpload, client: ClientInfo): Promise<KycStatusBody> {
  if (user.email_verified_at === null) throw forbidden('email_not_verified', 'Verify your email address first.');
  refuseState(await latestCase(deps.store.db, user.id), user);
  const details = parseDetails(upload.fields, deps.clock.now());
  const needed = filesFor(details.documentType);
  const photos = await cleanPhotos(upload, needed, (field) =>
    (KYC_FILE_ITEMS as readonly string[]).includes(field)
      ? badRequest('invalid_request', `${field}: a ${details.documentType.replace('_', ' ')} has no back page; send only ${needed.join(', ')}.`)
      : badRequest('invalid_request', `Unknown file field: ${field}.`),
  );
  const caseId = randomUUID();
  const written = await writePhotos(deps, caseId, photos);
  await keepingPhotos(written, () => inTransaction(deps.store.db, (tx) => recordSubmission(deps, tx, user, { caseId, details, written, client })));
  return statusNow(deps, user);
}

/** A first submission's rows, in the caller's transaction (its photos are in the vault already). */
export async function recordSubmission(deps: Deps, tx: Tx, user: User, input: { caseId: string; details: KycDetails; written: WrittenPhotos; client: ClientInfo }): Promise<void> {
  const { caseId, details, written, client } = input;
  const now = deps.clock.now();
  await markPending(tx, user, 'none', now);
  await tx
    .insertInto('kyc_cases')
    .values({
      id: caseId,
      user_id: user.id,
      status: 'pending',
      details_sealed: sealDetails(deps, caseId, details),
      document_type: details.documentType,
      issuing_country: details.issuingCountry,
      number_hash: documentNumberHash(deps, details.documentNumber),
      requested_items: '[]',
      message: null,
      reviewed_by: null,
      submitted_at: now,
      decided_at: null,
      erased_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await tx.insertInto('kyc_files').values(written.rows).execute();
  await notifySubmitted(deps, tx, user, { id: caseId }, client, null);
}

/** The details of a resubmission: the document type is the one under review (a new document is a new set of photos the reviewer asks for). */
export function resubmittedDetails(upload: KycUpload, documentType: DocumentType, now: number): KycDetails {
  const details = parseDetails(upload.fields, now);
  if (details.documentType !== documentType) throw badRequest('invalid_request', `documentType: stays ${documentType} in a resubmission.`);
  return details;
}

export async function resubmitKyc(deps: Deps, user: User, upload: KycUpload, client: ClientInfo): Promise<KycStatusBody> {
  const kycCase = await latestCase(deps.store.db, user.id);
  if (!kycCase || kycCase.status !== 'resubmission_requested') throw conflict('kyc_no_resubmission', 'Nothing was asked to be sent again.');
  const requested = parseItems(kycCase.requested_items);
  const notAsked = (field: string) => badRequest('kyc_no_resubmission', `${field}: was not asked for; send only ${requested.join(', ')}.`, { field });
  const detailsSent = Object.keys(upload.fields).length > 0;
  if (detailsSent && !requested.includes('details')) throw notAsked(Object.keys(upload.fields)[0]!);
  const details = requested.includes('details') ? resubmittedDetails(upload, kycCase.document_type, deps.clock.now()) : null;
  const photos = await cleanPhotos(upload, requested.filter((i): i is KycFileItem => i !== 'details'), notAsked);
  const written = await writePhotos(deps, kycCase.id, photos);
  const shredded = await keepingPhotos(written, () => inTransaction(deps.store.db, (tx) => recordResubmission(deps, tx, user, { kycCase, requested, details, photos, written, client })));
  await removeFiles(deps, shredded);
  return statusNow(deps, user);
}

/**
 * A resubmission's rows, in the caller's transaction: the photos it brings replace the case's (their
 * keys shredded), the details too when sent. Returns the replaced files' names, to delete once committed.
 */
export async function recordResubmission(
  deps: Deps,
  tx: Tx,
  user: User,
  input: { kycCase: KycCase; requested: KycItem[]; details: KycDetails | null; photos: Map<KycFileItem, CleanPhoto>; written: WrittenPhotos; client: ClientInfo },
): Promise<string[]> {
  const { kycCase, requested, details, photos, written, client } = input;
  const now = deps.clock.now();
  await markPending(tx, user, 'resubmission_requested', now);
  const replaced = (await currentFiles(tx, kycCase.id)).filter((f) => photos.has(f.item));
  if (replaced.length) await tx.updateTable('kyc_files').set({ superseded_at: now }).where('id', 'in', replaced.map((f) => f.id)).execute();
  const names = await shredFiles(tx, replaced, now);
  await tx
    .updateTable('kyc_cases')
    .set({
      status: 'pending',
      requested_items: '[]',
      submitted_at: now,
      updated_at: now,
      ...(details
        ? {
            details_sealed: sealDetails(deps, kycCase.id, details),
            issuing_country: details.issuingCountry,
            number_hash: documentNumberHash(deps, details.documentNumber),
          }
        : {}),
    })
    .where('id', '=', kycCase.id)
    .execute();
  if (written.rows.length) await tx.insertInto('kyc_files').values(written.rows).execute();
  await notifySubmitted(deps, tx, user, kycCase, client, requested);
  return names;
}
