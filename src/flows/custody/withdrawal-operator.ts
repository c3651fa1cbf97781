/**
 * The operator's steps of a withdrawal (no blockchain is touched by Bastion itself): a queued
 * withdrawal is broadcast with the network's transaction id, then completed — its hold posted, the
 * amount to the network and the fee to the platform — or it fails and its funds return. Each step
 * moves the status forward by a conditional update (never twice), emails the owner and is recorded.
 */
import { amountText, stopWithdrawal } from '../../account/open-withdrawals.ts';
import { findUserById, lockUser } from '../../account/users.ts';
import { SYSTEM } from '../../audit/audit.ts';
import type { Deps } from '../../deps.ts';
import { AppError, badRequest, notFound } from '../../errors/app-error.ts';
import type { Network } from '../../ledger/assets.ts';
import { postHold } from '../../ledger/holds.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import type { WithdrawalStatus, WithdrawalsTable } from '../../store/schema.ts';
import { canonicalTxid } from './deposits.ts';

const wrongState = (row: WithdrawalsTable, step: string, from: string) => new AppError(409, 'withdrawal_state', `Withdrawal ${row.id} is ${row.status}: only a ${from} withdrawal can be ${step}.`);

/** Runs one step on the withdrawal under its owner's lock. */
async function step<T>(deps: Deps, id: string, work: (tx: Tx, row: WithdrawalsTable, owner: { id: string; email: string }, now: number) => Promise<T>): Promise<T> {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw badRequest('invalid_request', 'id: is not a withdrawal id.');
  const first = await deps.store.db.selectFrom('withdrawals').select('user_id').where('id', '=', id).executeTakeFirst();
  if (!first) throw notFound('not_found', `No withdrawal ${id}.`);
  return inTransaction(deps.store.db, async (tx) => {
    await lockUser(tx, deps.store.dialect, first.user_id);
    const row = (await tx.selectFrom('withdrawals').selectAll().where('id', '=', id).executeTakeFirst())!;
    const owner = (await findUserById(tx, row.user_id))!;
    return work(tx, row, owner, deps.clock.now());
  });
}

async function advance(tx: Tx, row: WithdrawalsTable, from: WithdrawalStatus, set: Partial<WithdrawalsTable>): Promise<boolean> {
  const claimed = await tx.updateTable('withdrawals').set(set).where('id', '=', row.id).where('status', '=', from).executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** `bastion withdrawal broadcast --id … --txid …`: a queued withdrawal went out on the network. */
export function broadcastWithdrawal(deps: Deps, id: string, txidText: string): Promise<WithdrawalsTable> {
  return step(deps, id, async (tx, row, owner, now) => {
    const txid = canonicalTxid(row.network as Network, txidText);
    if (!(await advance(tx, row, 'queued', { status: 'broadcast', txid, broadcast_at: now }))) throw wrongState(row, 'broadcast', 'queued');
    await deps.mail.send(tx, 'withdrawal_broadcast', owner.email, { amount: amountText(deps, row.asset, row.amount), asset: row.asset, address: row.address, txid, at: now });
    await deps.audit.record(tx, { type: 'withdrawal.broadcast', actor: SYSTEM, subject: row.user_id, client: null, data: { withdrawalId: row.id, txid, via: 'cli' } });
    return { ...row, status: 'broadcast', txid, broadcast_at: now };
  });
}

/** `bastion withdrawal complete --id …`: the network confirmed it; the held amount leaves, the fee to the platform. */
export function completeWithdrawal(deps: Deps, id: string): Promise<WithdrawalsTable> {
  return step(deps, id, async (tx, row, owner, now) => {
    if (!(await advance(tx, row, 'broadcast', { status: 'completed', completed_at: now }))) throw wrongState(row, 'completed', 'broadcast');
    await postHold(tx, now, row.hold_id, BigInt(row.fee), { withdrawalId: row.id, txid: row.txid });
    await deps.mail.send(tx, 'withdrawal_completed', owner.email, { amount: amountText(deps, row.asset, row.amount), asset: row.asset, address: row.address, txid: row.txid!, at: now });
    await deps.audit.record(tx, { type: 'withdrawal.completed', actor: SYSTEM, subject: row.user_id, client: null, data: { withdrawalId: row.id, txid: row.txid, via: 'cli' } });
    return { ...row, status: 'completed', completed_at: now };
  });
}

/** `bastion withdrawal fail --id … [--reason …]`: it could not be sent (queued) or the network dropped it (broadcast); the funds return. */
export function failWithdrawal(deps: Deps, id: string, reason: string): Promise<WithdrawalsTable> {
  return step(deps, id, async (tx, row, owner, now) => {
    const stopped = await stopWithdrawal(deps, tx, { row, email: owner.email, outcome: 'failed', reason, actor: SYSTEM, from: ['queued', 'broadcast'] });
    if (!stopped) throw wrongState(row, 'failed', 'queued or broadcast');
    return { ...row, status: 'failed', ended_at: now, end_reason: reason };
  });
}
