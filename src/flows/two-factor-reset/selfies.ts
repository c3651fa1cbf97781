/**
 * The retention of reset selfies (a face next to an ID document, kept only as long as the decision
 * needs it): crypto-shredded with the applicant's identity documents when an admin erases them, and
 * by the retention sweep — KYC_RETENTION after a reset was carried out, KYC_REJECTED_RETENTION after
 * a request was rejected or cancelled. A request still open keeps its selfie.
 */
import type { Deps } from '../../deps.ts';
import type { Tx } from '../../store/database.ts';

/** Shreds the selfies of the account's closed requests in `tx`; returns the files to delete after commit. */
export async function shredClosedSelfies(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('two_factor_resets')
    .select(['id', 'selfie_storage_name'])
    .where('user_id', '=', userId)
    .where('status', 'in', ['rejected', 'cancelled', 'completed'])
    .where('selfie_key_sealed', 'is not', null)
    .execute();
  if (rows.length === 0) return [];
  await tx.updateTable('two_factor_resets').set({ selfie_key_sealed: null }).where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => r.selfie_storage_name);
}

/** Whether the account has a request still open (its selfie is evidence for a decision to come). */
export async function hasOpenRequest(tx: Tx, userId: string): Promise<boolean> {
  return (await tx.selectFrom('two_factor_resets').select('id').where('user_id', '=', userId).where('status', 'in', ['pending', 'approved']).executeTakeFirst()) !== undefined;
}

/** Shreds every selfie past its retention in `tx`; returns the files to delete after commit. */
export async function shredExpiredSelfies(deps: Deps, tx: Tx): Promise<string[]> {
  const now = deps.clock.now();
  const { verifiedRetentionMs, rejectedRetentionMs } = deps.config.kyc;
  const rows = await tx
    .selectFrom('two_factor_resets')
    .select(['id', 'selfie_storage_name'])
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
  await tx.updateTable('two_factor_resets').set({ selfie_key_sealed: null }).where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => r.selfie_storage_name);
}
