/**
 * The staff side of lost-2FA resets: the queue (oldest first); a request with the new selfie beside
 * the identity it is compared with (the verified KYC case, or the one sent with the request), the
 * account's second factors, recent login activity and the request's risk signals; and the decision.
 * Approving needs the identity verified and starts the wait: nothing changes until it is over
 * (carry-out.ts); every address on file is told the date with a cancel link. Rejecting changes
 * nothing but the request. Staff never decide on their own account; every look is audited.
 */
import { findUserById } from '../../account/users.ts';
import { recordAlone, type StaffActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { isoTime } from '../../clock.ts';
import type { ResetDecisionBody, ResetDetail, ResetState, ResetSummary } from '../../contracts/two-factor-reset.ts';
import type { Deps } from '../../deps.ts';
import { conflict, forbidden, notFound } from '../../errors/app-error.ts';
import { factorById, secondFactorSummary } from '../../factors/registry.ts';
import { decodeCursor, pageOf } from '../../store/cursor.ts';
import { inTransaction, type Db } from '../../store/database.ts';
import { currentFiles, findCase, latestCase, openDetails } from '../kyc/cases.ts';
import { recentActivity } from '../staff/users.ts';
import { findRequest, signalsOf, tellEveryAddress, timesOf, type ResetRequest } from './requests.ts';

const PAGE = 50;

async function summarize(db: Db, requests: ResetRequest[]): Promise<ResetSummary[]> {
  const ids = [...new Set(requests.map((r) => r.user_id))];
  const users = ids.length ? await db.selectFrom('users').select(['id', 'email', 'kyc_status']).where('id', 'in', ids).execute() : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  return requests.map((r) => {
    const { submittedAt, decidedAt, effectiveAt } = timesOf(r);
    return {
      id: r.id,
      userId: r.user_id,
      email: byId.get(r.user_id)?.email ?? '',
      state: r.status,
      submittedAt,
      decidedAt,
      effectiveAt,
      riskSignals: signalsOf(r),
      kycStatus: byId.get(r.user_id)?.kyc_status ?? 'none',
      kycCaseId: r.kyc_case_id,
    };
  });
}

export async function resetQueue(deps: Deps, status: ResetState, cursor: string | undefined): Promise<{ requests: ResetSummary[]; nextCursor: string | null }> {
  const db = deps.store.db;
  let query = db.selectFrom('two_factor_resets').selectAll().where('status', '=', status);
  if (cursor) {
    const { position, id } = decodeCursor(cursor);
    query = query.where((eb) => eb.or([eb('submitted_at', '>', position), eb.and([eb('submitted_at', '=', position), eb('id', '>', id)])]));
  }
  const rows = await query.orderBy('submitted_at').orderBy('id').limit(PAGE + 1).execute();
  const { page, nextCursor } = pageOf(rows, PAGE, (r) => [r.submitted_at, r.id]);
  return { requests: await summarize(db, page), nextCursor };
}

async function requestOrThrow(deps: Deps, id: string): Promise<ResetRequest> {
  const found = await findRequest(deps.store.db, id);
  if (!found) throw notFound('not_found', 'No such 2FA reset request.');
  return found;
}

/** The identity the selfie is compared with: the verified case, else the one sent with the request, else the latest. */
async function identityOf(deps: Deps, request: ResetRequest): Promise<ResetDetail['kyc']> {
  const db = deps.store.db;
  const verified = await db.selectFrom('kyc_cases').selectAll().where('user_id', '=', request.user_id).where('status', '=', 'verified').orderBy('decided_at', 'desc').executeTakeFirst();
  const kycCase = verified ?? (request.kyc_case_id ? await findCase(db, request.kyc_case_id) : await latestCase(db, request.user_id));
  if (!kycCase) return null;
  const files = await currentFiles(db, kycCase.id);
  return {
    caseId: kycCase.id,
    status: kycCase.status,
    legalName: openDetails(deps, kycCase)?.legalName ?? null,
    documentType: kycCase.document_type,
    issuingCountry: kycCase.issuing_country,
    photos: files.filter((f) => f.key_sealed !== null).map((f) => ({ item: f.item, width: f.width, height: f.height, url: `/api/staff/kyc/${kycCase.id}/files/${f.item}` })),
  };
}

/** A request for review (the look is audited; the first look puts it "in review" for the user). */
export async function reviewRequest(deps: Deps, reviewer: StaffActor, id: string, client: ClientInfo): Promise<ResetDetail> {
  const db = deps.store.db;
  const found = await requestOrThrow(deps, id);
  const now = deps.clock.now();
  await inTransaction(db, async (tx) => {
    if (found.status === 'pending' && found.user_id !== reviewer.id) await tx.updateTable('two_factor_resets').set({ viewed_at: now }).where('id', '=', id).where('viewed_at', 'is', null).execute();
    await deps.audit.record(tx, { type: 'mfa_reset.viewed', actor: reviewer, subject: found.user_id, client, data: { requestId: id } });
  });
  const request = (await findRequest(db, id))!;
  const user = await findUserById(db, request.user_id);
  const [summary] = await summarize(db, [request]);
  const [kyc, factors, activity] = await Promise.all([identityOf(deps, request), secondFactorSummary(db, request.user_id), recentActivity(deps, request.user_id, 30)]);
  return {
    ...summary!,
    selfie: request.selfie_key_sealed === null ? null : { url: `/api/staff/2fa-resets/${request.id}/selfie`, width: request.selfie_width, height: request.selfie_height },
    origin: { ip: request.ip, device: request.device, place: request.place },
    kyc,
    // What an approved reset removes (the inbox stays: it is the account's address).
    factors: factors.filter((f) => f.count > 0 && factorById(f.id).removeAll !== undefined).map((f) => ({ method: f.id, name: f.label, count: f.count })),
    activity,
    reason: request.reason,
    reviewedBy: request.reviewed_by,
    cancelledAt: timesOf(request).cancelledAt,
    completedAt: isoTime(request.completed_at),
    own: request.user_id === reviewer.id,
    kycVerified: user?.kyc_status === 'verified',
  };
}

/** The request's new selfie, decrypted (the read is audited). */
export async function reviewSelfie(deps: Deps, reviewer: StaffActor, id: string, client: ClientInfo): Promise<Buffer> {
  const request = await requestOrThrow(deps, id);
  if (request.selfie_key_sealed === null) throw notFound('not_found', 'This request’s selfie was erased.');
  const bytes = await deps.vault.get(request.selfie_file_id, { storageName: request.selfie_storage_name, keySealed: request.selfie_key_sealed }).catch(() => {
    throw notFound('not_found', 'This request’s selfie was just erased.');
  });
  await recordAlone(deps.store.db, deps.audit, { type: 'mfa_reset.selfie_viewed', actor: reviewer, subject: request.user_id, client, data: { requestId: id } });
  return bytes;
}

export async function decideRequest(deps: Deps, reviewer: StaffActor, id: string, body: ResetDecisionBody, client: ClientInfo): Promise<ResetSummary> {
  const found = await requestOrThrow(deps, id);
  if (found.user_id === reviewer.id) throw forbidden('staff_own_account', 'You cannot decide on a reset of your own account. Ask another staff member.');
  const approve = body.decision === 'approve';
  const decided = await inTransaction(deps.store.db, async (tx) => {
    const now = deps.clock.now();
    const user = await findUserById(tx, found.user_id);
    if (!user) throw notFound('not_found', 'No such 2FA reset request.');
    // A reset of a staff account hands its console to whoever signs in next: an admin decides it.
    if (user.staff_role !== null && (await findUserById(tx, reviewer.id))?.staff_role !== 'admin') {
      throw forbidden('staff_permission_denied', 'This account has a staff role: only an admin may decide on its 2FA reset.');
    }
    if (approve && user.kyc_status !== 'verified') {
      throw conflict('two_factor_reset_kyc_unverified', 'The account’s identity is not verified: decide its KYC case first, then compare the selfie with the verified document.');
    }
    const effectiveAt = approve ? now + deps.config.twoFactorReset.delayMs : null;
    const changed = await tx
      .updateTable('two_factor_resets')
      .set({ status: approve ? 'approved' : 'rejected', reviewed_by: reviewer.id, reason: body.reason, decided_at: now, effective_at: effectiveAt, viewed_at: found.viewed_at ?? now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw conflict('two_factor_reset_closed', 'This request is not waiting for a decision: it was decided or cancelled already.');
    const request = (await findRequest(tx, id))!;
    if (approve) await tellEveryAddress(deps, tx, user, request, 'two_factor_reset_approved', { at: now, effectiveAt: effectiveAt! });
    else await tellEveryAddress(deps, tx, user, request, 'two_factor_reset_rejected', { at: now, reason: body.reason });
    await deps.audit.record(tx, {
      type: approve ? 'mfa_reset.approved' : 'mfa_reset.rejected',
      actor: reviewer,
      subject: user.id,
      client,
      data: { requestId: id, reason: body.reason, ...(approve ? { effectiveAt: isoTime(effectiveAt) } : {}) },
    });
    return request;
  });
  return (await summarize(deps.store.db, [decided]))[0]!;
}
