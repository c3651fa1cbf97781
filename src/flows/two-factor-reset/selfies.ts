/**
 * The retention of reset selfies (a face next to an ID document, kept only as long as the decision
 * needs it): crypto-shredded with the applicant's identity documents when an admin erases them, and
 * by the retention sweep — KYC_RETENTION after a reset was carried out, KYC_REJECTED_RETENTION after
 * a request was rejected or cancelled. A request still waiting for its review keeps its selfie.
 */
import { bySystem } from '../../audit/audit.ts';
import type { Deps } from '../../deps.ts';
import type { Tx } from '../../store/database.ts';

/** Shreds the selfies of the account's decided requests in `tx`; returns the files to delete after commit. */
export async function shredDecidedSelfies(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('two_factor_resets')
    .select(['id', 'selfie_storage_name'])
    .where('user_id', '=', userId)
    .where('status', '!=', 'pending')
    .where('selfie_key_sealed', 'is not', null)
    .execute();
  if (rows.length === 0) return [];
  await tx.updateTable('two_factor_resets').set({ selfie_key_sealed: null }).where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => r.selfie_storage_name);
}

/** Whether the account has a request waiting for review (its selfie is evidence for the decision to come). */
export async function hasPendingRequest(tx: Tx, userId: string): Promise<boolean> {
  return (await tx.selectFrom('two_factor_resets').select('id').where('user_id', '=', userId).where('status', '=', 'pending').executeTakeFirst()) !== undefined;
}

/** Shreds every selfie past its retention in `tx`, each recorded; returns the files to delete after commit. */
export async function shredExpiredSelfies(deps: Deps, tx: Tx): Promise<string[]> {
  const now = deps.clock.now();
  const { verifiedRetentionMs, rejectedRetentionMs } = deps.config.kyc;
  const rows = await tx
    .selectFrom('two_factor_resets')
    .select(['id', 'user_id', 'selfie_storage_name'])
    .where('selfie_key_sealed', 'is not', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'completed'), eb('completed_at', '<=', now - verifiedRetentionMs)]),
        eb.and([eb('status', '=', 'rejected'), eb('decided_at', '<=', now - rejectedRetentionMs)]),
        eb.and([eb('status', '=', 'cancelled'), eb('cancelled_at', '<=', now - rejectedRetentionMs)]),
      ]),
    )
    .limit(1000)
    .execute();
  if (rows.length === 0) return [];
  // Only the ones still sealed when updated: a sweep running at the same time (another node's, or
  // `bastion kyc sweep`) that shredded one first records it, and this one does not again.
  const shredded = await tx
    .updateTable('two_factor_resets')
    .set({ selfie_key_sealed: null })
    .where('id', 'in', rows.map((r) => r.id))
    .where('selfie_key_sealed', 'is not', null)
    .returning(['id', 'user_id', 'selfie_storage_name'])
    .execute();
  for (const r of shredded) await deps.audit.record(tx, { type: 'mfa_reset.selfie_erased', ...bySystem(r.user_id), client: null, data: { requestId: r.id, reason: 'retention' } });
  return shredded.map((r) => r.selfie_storage_name);
}
