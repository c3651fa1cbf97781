/**
 * GET /api/history: the user's journal entries, newest first, each with what it moved on their
 * available balances (a withdrawal shows when it was requested: the amount left the available
 * balance then), filterable by asset, with an opaque cursor.
 */
import type { HistoryBody } from '../../contracts/custody.ts';
import type { Deps } from '../../deps.ts';
import { decodeCursor, pageOf } from '../../store/cursor.ts';
import { formatDecimal, units } from '../../ledger/amounts.ts';
import type { JournalEntriesTable } from '../../store/schema.ts';
import { isoTime } from '../../clock.ts';

const PAGE = 25;
/** The entries a user sees: a withdrawal is shown once, when its funds were held (its later steps move nothing available). */
const SHOWN: JournalEntriesTable['kind'][] = ['deposit', 'trade', 'withdrawal_hold', 'withdrawal_void'];

function titleOf(entry: JournalEntriesTable): { kind: HistoryBody['entries'][number]['kind']; title: string } {
  const data = JSON.parse(entry.data) as { from?: string; to?: string };
  if (entry.kind === 'deposit') return { kind: 'deposit', title: 'Deposit' };
  if (entry.kind === 'trade') return { kind: 'trade', title: `Bought ${data.to} with ${data.from}` };
  if (entry.kind === 'withdrawal_void') return { kind: 'withdrawal', title: 'Withdrawal cancelled: funds returned' };
  return { kind: 'withdrawal', title: 'Withdrawal' };
}

export async function listHistory(deps: Deps, userId: string, query: { asset?: string | undefined; cursor?: string | undefined }): Promise<HistoryBody> {
  const db = deps.store.db;
  let q = db.selectFrom('journal_entries').selectAll().where('user_id', '=', userId).where('kind', 'in', SHOWN);
  if (query.asset) {
    const asset = query.asset;
    q = q.where((eb) => eb.exists(eb.selectFrom('postings').select('postings.id').whereRef('postings.entry_id', '=', 'journal_entries.id').where('postings.asset', '=', asset)));
  }
  if (query.cursor) {
    const { position, id } = decodeCursor(query.cursor);
    q = q.where((eb) => eb.or([eb('created_at', '<', position), eb.and([eb('created_at', '=', position), eb('id', '<', id)])]));
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(PAGE + 1).execute();
  const { page, nextCursor } = pageOf(rows, PAGE, (e) => [e.created_at, e.id]);
  const ids = page.map((e) => e.id);
  const postings = ids.length
    ? await db.selectFrom('postings').select(['entry_id', 'asset', 'amount']).where('entry_id', 'in', ids).where('account_id', 'like', `${userId}:%:available`).execute()
    : [];
  const decimals = new Map(deps.config.custody.assets.map((a) => [a.symbol, a.decimals]));
  return {
    entries: page.map((e) => ({
      id: e.id,
      at: isoTime(e.created_at)!,
      ...titleOf(e),
      movements: postings.filter((p) => p.entry_id === e.id).map((p) => ({ asset: p.asset, amount: formatDecimal(units(p.amount), decimals.get(p.asset) ?? 0) })),
      txid: (JSON.parse(e.data) as { txid?: string }).txid ?? null,
    })),
    nextCursor,
  };
}
