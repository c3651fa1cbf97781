/**
 * The reviewer's side of a case (the staff console): the queue, oldest first; a case with its
 * details and photos (each look at a photo or the details is audited: staff reads of identity
 * documents leave a trace); and the decision: approve (the account becomes verified, level 1),
 * reject (final, with a reason the user sees) or ask for chosen items again with a message. Staff
 * never decide on their own case. The decision, the account's status, the email and the audit
 * event commit together, and only once (a second decision finds the case decided).
 */
import { sendAlert } from '../../account/alerts.ts';
import { findUserById } from '../../account/users.ts';
import { recordAlone, type StaffActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { filesFor, type KycFileItem, type KycItem, type KycStatus } from '../../contracts/kyc.ts';
import type { DecisionBody, KycCaseDetail, KycCaseSummary } from '../../contracts/staff.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors/app-error.ts';
import { decodeCursor, pageOf } from '../../store/cursor.ts';
import { inTransaction, type Db } from '../../store/database.ts';
import { currentFiles, findCase, openDetails, parseItems, sameDocumentElsewhere, type KycCase } from './cases.ts';
import { isoTime } from '../../clock.ts';

const ITEM_LABELS: Record<KycItem, string> = { documentFront: 'Front of document', documentBack: 'Back of document', selfie: 'Selfie', details: 'Typed details' };
const PAGE = 50;

async function emailsOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

export async function summarize(db: Db, cases: KycCase[]): Promise<KycCaseSummary[]> {
  const elsewhere = await sameDocumentElsewhere(db, cases);
  const duplicates = cases.map((c) => elsewhere.get(c.id) ?? []);
  const emails = await emailsOf(db, [...new Set([...cases.map((c) => c.user_id), ...duplicates.flat()])]);
  return cases.map((c, i) => ({
    id: c.id,
    userId: c.user_id,
    email: emails.get(c.user_id) ?? '',
    status: c.status,
    documentType: c.document_type,
    issuingCountry: c.issuing_country,
    submittedAt: isoTime(c.submitted_at)!,
    decidedAt: isoTime(c.decided_at),
    duplicateOf: duplicates[i]!.map((userId) => ({ userId, email: emails.get(userId) ?? '' })),
    erased: c.erased_at !== null,
  }));
}

/** Cases in one status, oldest (re)submission first. */
export async function reviewQueue(deps: Deps, status: KycStatus, cursor: string | undefined): Promise<{ cases: KycCaseSummary[]; nextCursor: string | null }> {
  const db = deps.store.db;
  if (status === 'none') return { cases: [], nextCursor: null };
  let query = db.selectFrom('kyc_cases').selectAll().where('status', '=', status);
  if (cursor) {
    const { position, id } = decodeCursor(cursor);
    query = query.where((eb) => eb.or([eb('submitted_at', '>', position), eb.and([eb('submitted_at', '=', position), eb('id', '>', id)])]));
  }
  const rows = await query.orderBy('submitted_at').orderBy('id').limit(PAGE + 1).execute();
  const { page, nextCursor } = pageOf(rows, PAGE, (c) => [c.submitted_at, c.id]);
  return { cases: await summarize(db, page), nextCursor };
}

async function caseOrThrow(deps: Deps, caseId: string): Promise<KycCase> {
  const found = await findCase(deps.store.db, caseId);
  if (!found) throw notFound('not_found', 'No such identity-verification case.');
  return found;
}

/** A case for review: its details opened and its photos listed (the look is audited). */
export async function reviewCase(deps: Deps, reviewer: StaffActor, caseId: string, client: ClientInfo): Promise<KycCaseDetail> {
  const kycCase = await caseOrThrow(deps, caseId);
  const details = openDetails(deps, kycCase);
  const files = await currentFiles(deps.store.db, kycCase.id);
  const [summary] = await summarize(deps.store.db, [kycCase]);
  await recordAlone(deps.store.db, deps.audit, { type: 'kyc.case_viewed', actor: reviewer, subject: kycCase.user_id, client, data: { caseId } });
  return {
    ...summary!,
    details: details ? { legalName: details.legalName, dateOfBirth: details.dateOfBirth, country: details.country, documentNumber: details.documentNumber } : null,
    files: files.map((f) => ({ item: f.item, width: f.width, height: f.height, bytes: f.bytes, uploadedAt: isoTime(f.created_at)!, url: `/api/staff/kyc/${kycCase.id}/files/${f.item}` })),
    requestedItems: parseItems(kycCase.requested_items),
    message: kycCase.message,
    reviewedBy: kycCase.reviewed_by,
    own: kycCase.user_id === reviewer.id,
  };
}

/** One photo of a case, decrypted (the read is audited). */
export async function reviewPhoto(deps: Deps, reviewer: StaffActor, caseId: string, item: KycFileItem, client: ClientInfo): Promise<Buffer> {
  const kycCase = await caseOrThrow(deps, caseId);
  const file = (await currentFiles(deps.store.db, kycCase.id)).find((f) => f.item === item);
  if (!file || file.key_sealed === null) throw notFound('not_found', `This case has no ${item} photo (it was never sent, or it was erased).`);
  // Replaced or erased a moment ago (the file is gone, or its key): as if it had never been there.
  const bytes = await deps.vault.get(file.id, { storageName: file.storage_name, keySealed: file.key_sealed }).catch(() => {
    throw notFound('not_found', `This case's ${item} photo was just replaced or erased.`);
  });
  await recordAlone(deps.store.db, deps.audit, { type: 'kyc.file_viewed', actor: reviewer, subject: kycCase.user_id, client, data: { caseId, item, fileId: file.id } });
  return bytes;
}

const DECIDED: Record<DecisionBody['decision'], { status: KycCase['status']; audit: string }> = {
  approve: { status: 'verified', audit: 'kyc.approved' },
  reject: { status: 'rejected', audit: 'kyc.rejected' },
  resubmit: { status: 'resubmission_requested', audit: 'kyc.resubmission_requested' },
};

export async function decideCase(deps: Deps, reviewer: StaffActor, caseId: string, body: DecisionBody, client: ClientInfo): Promise<KycCaseSummary> {
  const kycCase = await caseOrThrow(deps, caseId);
  if (kycCase.user_id === reviewer.id) throw forbidden('staff_own_account', 'You cannot decide on your own identity verification. Ask another staff member.');
  const items = [...new Set(body.items ?? [])];
  const possible: KycItem[] = [...filesFor(kycCase.document_type), 'details'];
  const impossible = items.find((i) => !possible.includes(i));
  if (impossible) throw badRequest('invalid_request', `items: a ${kycCase.document_type.replace('_', ' ')} has no ${impossible}.`);
  if (body.decision === 'approve') {
    const present = new Set((await currentFiles(deps.store.db, kycCase.id)).map((f) => f.item));
    const missing = filesFor(kycCase.document_type).filter((i) => !present.has(i));
    if (kycCase.details_sealed === null || missing.length > 0) throw conflict('kyc_case_closed', 'This case has no documents left to approve on (they were erased).');
  }
  const outcome = DECIDED[body.decision];
  const decided = await inTransaction(deps.store.db, async (tx) => {
    const now = deps.clock.now();
    const changed = await tx
      .updateTable('kyc_cases')
      .set({ status: outcome.status, requested_items: JSON.stringify(items), message: body.decision === 'approve' ? null : body.reason, reviewed_by: reviewer.id, decided_at: now, updated_at: now })
      .where('id', '=', kycCase.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw conflict('kyc_case_closed', 'This case is not waiting for a decision: it was decided already, or the user has not sent what was asked yet.');
    await tx
      .updateTable('users')
      .set({ kyc_status: outcome.status, ...(body.decision === 'approve' ? { kyc_level: 1 } : {}), updated_at: now })
      .where('id', '=', kycCase.user_id)
      .execute();
    const user = (await findUserById(tx, kycCase.user_id))!;
    if (body.decision === 'approve') await sendAlert(deps, tx, user, 'kyc_approved', { at: now });
    if (body.decision === 'reject') await sendAlert(deps, tx, user, 'kyc_rejected', { at: now, reason: body.reason });
    if (body.decision === 'resubmit') {
      await sendAlert(deps, tx, user, 'kyc_resubmission_requested', { at: now, items: items.map((i) => ITEM_LABELS[i]).join(', '), message: body.reason, kycUrl: `${deps.config.baseUrl}/kyc` });
    }
    await deps.audit.record(tx, { type: outcome.audit, actor: reviewer, subject: kycCase.user_id, client, data: { caseId, reason: body.reason, ...(items.length ? { items } : {}) } });
    return (await findCase(tx, kycCase.id))!;
  });
  return (await summarize(deps.store.db, [decided]))[0]!;
}
