/**
 * Two-phase amounts (TigerBeetle's pending transfers): a hold moves an amount from the user's
 * available balance to their held balance in one entry; later it is either posted (the held amount
 * leaves: to the network and the fee account) or voided (it returns to available) — exactly once,
 * by a conditional update of the hold's status in the same transaction as the entry.
 */
import { randomUUID } from 'node:crypto';
import { conflict } from '../errors/app-error.ts';
import type { Tx } from '../store/database.ts';
import type { LedgerHoldsTable } from '../store/schema.ts';
import { stored, units } from './amounts.ts';
import { available, held, platform, post, type Leg } from './ledger.ts';

export type Hold = LedgerHoldsTable;

/** Holds `amount` of the user's available balance (409 insufficient_funds when it is not there); returns the hold's id. */
export async function holdFunds(tx: Tx, now: number, input: { userId: string; asset: string; amount: bigint; reference: string; data?: Record<string, unknown> }): Promise<string> {
  const { userId, asset, amount } = input;
  const { entryId, existed } = await post(tx, now, {
    kind: 'withdrawal_hold',
    userId,
    reference: input.reference,
    ...(input.data ? { data: input.data } : {}),
    legs: [
      { account: available(userId, asset), amount: -amount },
      { account: held(userId, asset), amount },
    ],
  });
  // The same reference again (a retried request): the hold it made, nothing held twice.
  if (existed) return (await tx.selectFrom('ledger_holds').select('id').where('pending_entry_id', '=', entryId).executeTakeFirstOrThrow()).id;
  const id = randomUUID();
  await tx.insertInto('ledger_holds').values({ id, user_id: userId, asset, amount: stored(amount), status: 'pending', pending_entry_id: entryId, resolved_entry_id: null, created_at: now, resolved_at: null }).execute();
  return id;
}

async function resolve(tx: Tx, now: number, holdId: string, status: 'posted' | 'voided', legsFor: (hold: Hold) => Leg[], data?: Record<string, unknown>): Promise<Hold> {
  // The status changes once: of two racing resolutions, the second finds it resolved. The claim is the
  // transaction's first statement, so SQLite takes its write lock before anything is read.
  const claimed = await tx.updateTable('ledger_holds').set({ status, resolved_at: now }).where('id', '=', holdId).where('status', '=', 'pending').executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw conflict('hold_resolved', 'These funds were released or sent already.');
  const hold = (await tx.selectFrom('ledger_holds').selectAll().where('id', '=', holdId).executeTakeFirst())!;
  const { entryId } = await post(tx, now, { kind: status === 'posted' ? 'withdrawal_post' : 'withdrawal_void', userId: hold.user_id, reference: hold.id, ...(data ? { data } : {}), legs: legsFor(hold) });
  await tx.updateTable('ledger_holds').set({ resolved_entry_id: entryId }).where('id', '=', holdId).execute();
  return { ...hold, resolved_entry_id: entryId };
}

/** Sends a held amount out: `fee` of it to the platform's fees, the rest to the network. */
export function postHold(tx: Tx, now: number, holdId: string, fee: bigint, data?: Record<string, unknown>): Promise<Hold> {
  return resolve(
    tx,
    now,
    holdId,
    'posted',
    (hold) => {
      const amount = units(hold.amount);
      if (fee < 0n || fee >= amount) throw new Error('a withdrawal fee outside the held amount');
      return [
        { account: held(hold.user_id, hold.asset), amount: -amount },
        { account: platform('world', hold.asset), amount: amount - fee },
        ...(fee > 0n ? [{ account: platform('fees', hold.asset), amount: fee }] : []),
      ];
    },
    data,
  );
}

/** Returns a held amount to the user's available balance. */
export function voidHold(tx: Tx, now: number, holdId: string, data?: Record<string, unknown>): Promise<Hold> {
  return resolve(
    tx,
    now,
    holdId,
    'voided',
    (hold) => [
      { account: held(hold.user_id, hold.asset), amount: -units(hold.amount) },
      { account: available(hold.user_id, hold.asset), amount: units(hold.amount) },
    ],
    data,
  );
}
