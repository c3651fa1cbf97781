/**
 * Stopping a withdrawal that has not been sent: its status moves to cancelled, expired or failed
 * by a conditional update (of two racing stops, one wins), its held funds return in the same
 * transaction (the hold voided once), its confirmation link dies, and the owner is emailed and the
 * event recorded. Here because the account's own rules use it too: a security change that ends
 * every session (a reset, a lock, a copied passkey) stops every withdrawal still on its way.
 */
import type { Actor } from '../audit/audit.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { Deps } from '../deps.ts';
import { formatDecimal, units } from '../ledger/amounts.ts';
import { voidHold } from '../ledger/holds.ts';
import type { Tx } from '../store/database.ts';
import type { WithdrawalStatus, WithdrawalsTable } from '../store/schema.ts';

/** Not yet taken to be sent: waiting for the email link, or queued for the operator (who takes it, `sending`, before sending it). */
export const OPEN_STATUSES = ['awaiting_confirmation', 'queued'] as const satisfies WithdrawalStatus[];
export type StopOutcome = 'cancelled' | 'expired' | 'failed';

export const confirmBinding = (withdrawalId: string) => `wd:${withdrawalId}`;

/** An amount of the withdrawal's asset in words ("0.5"). */
export function amountText(deps: Deps, asset: string, amount: string): string {
  const decimals = deps.config.custody.assets.find((a) => a.symbol === asset)?.decimals ?? 0;
  return formatDecimal(units(amount), decimals);
}

/**
 * Stops `row` if its status is still one of `from`; returns whether this call stopped it. `reason`
 * completes "the withdrawal stopped: …" (the email and the page).
 */
export async function stopWithdrawal(
  deps: Deps,
  tx: Tx,
  input: { row: WithdrawalsTable; email: string; outcome: StopOutcome; reason: string; actor: Actor; from: readonly WithdrawalStatus[]; client?: ClientInfo | null },
): Promise<boolean> {
  const { row, outcome } = input;
  const now = deps.clock.now();
  const claimed = await tx
    .updateTable('withdrawals')
    .set({ status: outcome, ended_at: now, end_reason: input.reason })
    .where('id', '=', row.id)
    .where('status', 'in', [...input.from])
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return false;
  await voidHold(tx, now, row.hold_id, { withdrawalId: row.id, outcome });
  await tx.deleteFrom('one_time_tokens').where('purpose', '=', 'withdrawal_confirm').where('bound_to', '=', confirmBinding(row.id)).execute();
  await deps.mail.send(tx, 'withdrawal_stopped', input.email, { amount: amountText(deps, row.asset, row.amount), asset: row.asset, address: row.address, outcome, reason: input.reason, at: now });
  await deps.audit.record(tx, {
    type: `withdrawal.${outcome}`,
    actor: input.actor,
    subject: row.user_id,
    client: input.client ?? null,
    data: { withdrawalId: row.id, asset: row.asset, amount: row.amount, address: row.address, reason: input.reason },
  });
  return true;
}

/** Stops every withdrawal of the account not yet taken to be sent (`reason` as in stopWithdrawal); returns how many. */
export async function stopOpenWithdrawals(deps: Deps, tx: Tx, subject: { id: string; email: string }, actor: Actor, reason: string, client: ClientInfo | null = null): Promise<number> {
  // By asset, so the ledger accounts are locked in the order a trade locks them (no deadlock).
  const rows = await tx.selectFrom('withdrawals').selectAll().where('user_id', '=', subject.id).where('status', 'in', [...OPEN_STATUSES]).orderBy('asset').orderBy('created_at').execute();
  let stopped = 0;
  for (const row of rows) if (await stopWithdrawal(deps, tx, { row, email: subject.email, outcome: 'cancelled', reason, actor, from: OPEN_STATUSES, client })) stopped += 1;
  return stopped;
}
