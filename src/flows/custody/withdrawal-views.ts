/** Withdrawals as the API shows them, and GET /api/withdrawals: newest first, with an opaque cursor and the daily limit. */
import { amountText } from '../../account/open-withdrawals.ts';
import type { User } from '../../account/users.ts';
import { isoTime } from '../../clock.ts';
import type { WithdrawalEntry, WithdrawalsBody } from '../../contracts/withdrawals.ts';
import type { Deps } from '../../deps.ts';
import { formatUsd } from '../../ledger/prices.ts';
import { decodeCursor, pageOf } from '../../store/cursor.ts';
import type { WithdrawalsTable } from '../../store/schema.ts';
import { expireDueWithdrawals } from './withdrawal-expiry.ts';
import { limitBody, limitUse } from './withdrawal-limits.ts';

const PAGE = 25;

export function withdrawalView(deps: Deps, row: WithdrawalsTable): WithdrawalEntry {
  return {
    id: row.id,
    asset: row.asset,
    network: row.network,
    address: row.address,
    label: row.label,
    amount: amountText(deps, row.asset, row.amount),
    fee: amountText(deps, row.asset, row.fee),
    total: amountText(deps, row.asset, (BigInt(row.amount) + BigInt(row.fee)).toString()),
    usdValue: formatUsd(BigInt(row.usd_cents)),
    status: row.status,
    createdAt: isoTime(row.created_at)!,
    confirmBy: isoTime(row.confirm_expires_at)!,
    confirmedAt: isoTime(row.confirmed_at),
    txid: row.txid,
    broadcastAt: isoTime(row.broadcast_at),
    completedAt: isoTime(row.completed_at),
    endedAt: isoTime(row.ended_at),
    endReason: row.end_reason,
  };
}

export async function listWithdrawals(deps: Deps, user: User, query: { cursor?: string | undefined }): Promise<WithdrawalsBody> {
  // A link that ran out is shown as expired (its funds back), not as waiting.
  await expireDueWithdrawals(deps, user.id);
  const db = deps.store.db;
  let q = db.selectFrom('withdrawals').selectAll().where('user_id', '=', user.id);
  if (query.cursor) {
    const { position, id } = decodeCursor(query.cursor);
    q = q.where((eb) => eb.or([eb('created_at', '<', position), eb.and([eb('created_at', '=', position), eb('id', '<', id)])]));
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(PAGE + 1).execute();
  const { page, nextCursor } = pageOf(rows, PAGE, (w) => [w.created_at, w.id]);
  return { withdrawals: page.map((w) => withdrawalView(deps, w)), nextCursor, limit: limitBody(await limitUse(deps, db, user)) };
}
