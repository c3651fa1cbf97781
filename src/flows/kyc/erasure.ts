/**
 * Erasing identity documents by crypto-shredding: the photos' wrapped keys and the sealed details
 * are erased in one transaction (no copy of the storage directory opens again), then the files are
 * deleted. Two ways in: an admin erasing one applicant's documents on request, and the retention
 * sweep (KYC_RETENTION after a verification, KYC_REJECTED_RETENTION after a rejection); the selfies
 * of closed 2FA reset requests go the same way (two-factor-reset/selfies.ts). The account's
 * status and level stay: the decision was made and is on record in the audit chain.
 */
import { sendAlert } from '../../account/alerts.ts';
import { findUserById, lockUser } from '../../account/users.ts';
import { actorId, SYSTEM, type Actor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { conflict, forbidden, notFound } from '../../errors/app-error.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { removeFiles, shredFiles, type KycCase } from './cases.ts';
import { hasPendingRequest, shredDecidedSelfies, shredExpiredSelfies } from '../two-factor-reset/selfies.ts';

/** Shreds the cases' photos and details in `tx`, emails the owner, records it; returns files to delete after commit. */
async function eraseCases(deps: Deps, tx: Tx, userId: string, cases: KycCase[], actor: Actor, reason: string, client: ClientInfo | null, selfies = 0): Promise<string[]> {
  const now = deps.clock.now();
  const ids = cases.map((c) => c.id);
  const files = ids.length ? await tx.selectFrom('kyc_files').selectAll().where('case_id', 'in', ids).where('erased_at', 'is', null).execute() : [];
  const names = await shredFiles(tx, files, now);
  // The document number's keyed hash stays: a pseudonym that still flags the document on another account.
  if (ids.length) await tx.updateTable('kyc_cases').set({ details_sealed: null, erased_at: now, updated_at: now }).where('id', 'in', ids).execute();
  const user = await findUserById(tx, userId);
  if (user) await sendAlert(deps, tx, user, 'kyc_documents_erased', { at: now });
  await deps.audit.record(tx, { type: 'kyc.documents_erased', actor, subject: userId, client, data: { reason, cases: ids, files: files.length, ...(selfies ? { resetSelfies: selfies } : {}) } });
  return names;
}

/**
 * An admin erases one applicant's documents (on the applicant's request). A case still open (under
 * review, or waiting for items sent again) is decided first: erasing under it would leave a case to
 * approve on nothing. Nobody erases their own. Returns how many photos went.
 */
export async function eraseApplicant(deps: Deps, actor: Actor, userId: string, reason: string, client: ClientInfo): Promise<number> {
  if (actorId(actor) === userId) throw forbidden('staff_own_account', 'You cannot erase your own identity documents. Ask another admin.');
  const names = await inTransaction(deps.store.db, async (tx) => {
    const cases = await tx.selectFrom('kyc_cases').selectAll().where('user_id', '=', userId).where('erased_at', 'is', null).execute();
    if (cases.some((c) => c.status === 'pending' || c.status === 'resubmission_requested')) {
      throw conflict('kyc_in_progress', 'This applicant has a case under review: decide it (reject it) first, then erase.');
    }
    if (await hasPendingRequest(tx, userId)) throw conflict('kyc_in_progress', 'This applicant has a 2FA reset request waiting for review: decide it first, then erase.');
    // The selfies of decided 2FA reset requests go with the documents.
    const selfies = await shredDecidedSelfies(tx, userId);
    if (cases.length === 0 && selfies.length === 0) throw notFound('not_found', 'This account has no identity documents to erase.');
    return [...(await eraseCases(deps, tx, userId, cases, actor, reason, client, selfies.length)), ...selfies];
  });
  await removeFiles(deps, names);
  return names.length;
}

/** Erases every case past its retention; returns how many cases this call erased. */
export async function sweepKycRetention(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const { verifiedRetentionMs, rejectedRetentionMs } = deps.config.kyc;
  const due = await deps.store.db
    .selectFrom('kyc_cases')
    .selectAll()
    .where('erased_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'rejected'), eb('decided_at', '<=', now - rejectedRetentionMs)]),
        eb.and([eb('status', '=', 'verified'), eb('decided_at', '<=', now - verifiedRetentionMs)]),
      ]),
    )
    .execute();
  const byUser = new Map<string, KycCase[]>();
  for (const c of due) byUser.set(c.user_id, [...(byUser.get(c.user_id) ?? []), c]);
  let erased = 0;
  for (const [userId, cases] of byUser) {
    // Another sweep at the same time (another node's, or `bastion kyc sweep`) may have erased them
    // since: under the account's lock, only the cases still there, so each is erased, mailed and
    // audited once.
    const done = await inTransaction(deps.store.db, async (tx) => {
      await lockUser(tx, deps.store.dialect, userId);
      const still = await tx.selectFrom('kyc_cases').selectAll().where('id', 'in', cases.map((c) => c.id)).where('erased_at', 'is', null).execute();
      return { count: still.length, names: still.length ? await eraseCases(deps, tx, userId, still, SYSTEM, 'retention', null) : [] };
    });
    erased += done.count;
    await removeFiles(deps, done.names);
  }
  await removeFiles(deps, await inTransaction(deps.store.db, (tx) => shredExpiredSelfies(deps, tx)));
  return erased;
}
