/**
 * Erasing identity documents by crypto-shredding: the photos' wrapped keys and the sealed details
 * are erased in one transaction (no copy of the storage directory opens again), then the files are
 * deleted. Two ways in: an admin erasing one applicant's documents on request, and the retention
 * sweep (KYC_RETENTION after a verification, KYC_REJECTED_RETENTION after a rejection). The account's
 * status and level stay: the decision was made and is on record in the audit chain.
 */
import { sendAlert } from '../../account/alerts.ts';
import { findUserById } from '../../account/users.ts';
import { SYSTEM, type Actor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../../errors/app-error.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { shredFiles, type KycCase } from './cases.ts';

/** Shreds the cases' photos and details in `tx`, emails the owner, records it; returns files to delete after commit. */
async function eraseCases(deps: Deps, tx: Tx, userId: string, cases: KycCase[], actor: Actor, reason: string, client: ClientInfo | null): Promise<string[]> {
  const now = deps.clock.now();
  const ids = cases.map((c) => c.id);
  const files = await tx.selectFrom('kyc_files').selectAll().where('case_id', 'in', ids).where('erased_at', 'is', null).execute();
  const names = await shredFiles(tx, files, now);
  await tx.updateTable('kyc_cases').set({ details_sealed: null, number_hash: null, erased_at: now, updated_at: now }).where('id', 'in', ids).execute();
  const user = await findUserById(tx, userId);
  if (user) await sendAlert(deps, tx, user, 'kyc_documents_erased', { at: now });
  await deps.audit.record(tx, { type: 'kyc.documents_erased', actor, subject: userId, client, data: { reason, cases: ids, files: files.length } });
  return names;
}

async function deleteFiles(deps: Deps, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => deps.vault.remove(name)));
}

/** An admin erases one applicant's documents (on the applicant's request). Returns how many photos went. */
export async function eraseApplicant(deps: Deps, actor: Actor, userId: string, reason: string, client: ClientInfo): Promise<number> {
  const names = await inTransaction(deps.store.db, async (tx) => {
    const cases = await tx.selectFrom('kyc_cases').selectAll().where('user_id', '=', userId).where('erased_at', 'is', null).execute();
    if (cases.length === 0) throw notFound('not_found', 'This account has no identity documents to erase.');
    return eraseCases(deps, tx, userId, cases, actor, reason, client);
  });
  await deleteFiles(deps, names);
  return names.length;
}

/** Erases every case past its retention; returns how many cases went. */
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
  for (const [userId, cases] of byUser) {
    const names = await inTransaction(deps.store.db, (tx) => eraseCases(deps, tx, userId, cases, SYSTEM, 'retention', null));
    await deleteFiles(deps, names);
  }
  return due.length;
}
