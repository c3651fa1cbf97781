/**
 * The operator's steps of a withdrawal (no blockchain is touched by Bastion itself): a queued
 * withdrawal is first taken to be sent (from then on neither its owner nor a lock can cancel it, so
 * what went out on the network is never also returned; an account that may not withdraw now is not
 * taken), then broadcast with the network's transaction id, then completed — its hold posted, the
 * amount to the network and the fee to the platform — or it fails and its funds return. Each step
 * moves the status forward by a conditional update (never twice) and is recorded; the owner is
 * emailed when it goes out, completes or fails.
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
import { withdrawalAvailability } from './withdrawal-lock.ts';

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

/**
 * `bastion withdrawal take [--id …]`: the queued withdrawal (or every queued one, oldest first) is
 * taken to be sent; one whose account may not withdraw now stays queued, with the reason.
 */
export async function takeWithdrawals(deps: Deps, id?: string): Promise<{ taken: WithdrawalsTable[]; held: { row: WithdrawalsTable; reason: string }[] }> {
  const ids = id !== undefined ? [id] : (await deps.store.db.selectFrom('withdrawals').select('id').where('status', '=', 'queued').orderBy('created_at').limit(500).execute()).map((r) => r.id);
  const taken: WithdrawalsTable[] = [];
  const held: { row: WithdrawalsTable; reason: string }[] = [];
  for (const one of ids) {
    await step(deps, one, async (tx, row, owner, now) => {
      const user = (await findUserById(tx, owner.id))!;
      const availability = await withdrawalAvailability(deps, user, tx);
      if (row.status === 'queued' && !availability.allowed) return held.push({ row, reason: availability.message ?? 'withdrawals are stopped on this account' });
      if (!(await advance(tx, row, 'queued', { status: 'sending' }))) throw wrongState(row, 'taken to be sent', 'queued');
      await deps.audit.record(tx, { type: 'withdrawal.sending', actor: SYSTEM, subject: row.user_id, client: null, data: { withdrawalId: row.id, via: 'cli', at: now } });
      return taken.push({ ...row, status: 'sending' });
    });
  }
  return { taken, held };
}

/** `bastion withdrawal broadcast --id … --txid …`: a withdrawal taken to be sent went out on the network. */
export function broadcastWithdrawal(deps: Deps, id: string, txidText: string): Promise<WithdrawalsTable> {
  return step(deps, id, async (tx, row, owner, now) => {
    const txid = canonicalTxid(row.network as Network, txidText);
    if (!(await advance(tx, row, 'sending', { status: 'broadcast', txid, broadcast_at: now }))) throw wrongState(row, 'broadcast', 'sending (taken)');
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

/**
 * `bastion withdrawal fail --id … [--reason …]`: it could not be sent (queued or taken), or the
 * network dropped it (broadcast: only with `dropped`, since returning funds that did go out loses
 * them for the platform); the funds return.
 */
export function failWithdrawal(deps: Deps, id: string, reason: string, options: { dropped?: boolean } = {}): Promise<WithdrawalsTable> {
  return step(deps, id, async (tx, row, owner, now) => {
    if (row.status === 'broadcast' && !options.dropped) throw new AppError(409, 'withdrawal_state', `Withdrawal ${row.id} was broadcast (txid ${row.txid}): fail it only if that transaction was dropped by the network, with --dropped.`);
    const stopped = await stopWithdrawal(deps, tx, { row, email: owner.email, outcome: 'failed', reason, actor: SYSTEM, from: ['queued', 'sending', 'broadcast'] });
    if (!stopped) throw wrongState(row, 'failed', 'queued, taken or broadcast');
    return { ...row, status: 'failed', ended_at: now, end_reason: reason };
  });
}
