/**
 * `bastion ledger check`: proves the ledger's invariants from the rows themselves —
 * 1. every entry's postings sum to zero per asset;
 * 2. every account's balance equals the sum of its postings, and no user account is below zero;
 * 3. every hold is open (pending, no resolving entry) or resolved once (posted or voided, by one
 *    entry of the matching kind that no other hold claims), and each user's held balance is the sum
 *    of their open holds.
 * The first violation is named; reading is paged, so a large ledger does not fill memory.
 */
import type { Db, Dialect, Tx } from '../store/database.ts';
import { accountId, PLATFORM } from './ledger.ts';

export type LedgerReport = { ok: true; entries: number; accounts: number; holds: number } | { ok: false; violation: string };

const PAGE = 5000;

/** A stored amount in its one spelling ("0", "-25", "1500"), or null: anything else is itself a violation. */
const strict = (text: string): bigint | null => (/^(0|-?[1-9]\d*)$/.test(text) ? BigInt(text) : null);

async function entriesBalance(db: Tx): Promise<string | number> {
  let after = '';
  let entries = 0;
  for (;;) {
    const ids = await db.selectFrom('journal_entries').select('id').where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (ids.length === 0) return entries;
    const postings = await db.selectFrom('postings').select(['entry_id', 'asset', 'amount']).where('entry_id', 'in', ids.map((e) => e.id)).execute();
    const sums = new Map<string, bigint>();
    const count = new Map<string, number>();
    for (const p of postings) {
      const key = `${p.entry_id} ${p.asset}`;
      const amount = strict(p.amount);
      if (amount === null || amount === 0n) return `entry ${p.entry_id}: a posting of ${JSON.stringify(p.amount)}`;
      sums.set(key, (sums.get(key) ?? 0n) + amount);
      count.set(p.entry_id, (count.get(p.entry_id) ?? 0) + 1);
    }
    for (const [key, sum] of sums) if (sum !== 0n) return `entry ${key.split(' ')[0]}: its ${key.split(' ')[1]} postings sum to ${sum}, not zero`;
    for (const { id } of ids) if (!count.get(id)) return `entry ${id} has no postings`;
    entries += ids.length;
    after = ids.at(-1)!.id;
  }
}

async function accountsBalance(db: Tx): Promise<string | number> {
  let after = '';
  let accounts = 0;
  for (;;) {
    const rows = await db.selectFrom('ledger_accounts').selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (rows.length === 0) return accounts;
    const postings = await db.selectFrom('postings').select(['account_id', 'asset', 'amount']).where('account_id', 'in', rows.map((a) => a.id)).execute();
    const assetOf = new Map(rows.map((a) => [a.id, a.asset]));
    const sums = new Map<string, bigint>();
    for (const p of postings) {
      if (p.asset !== assetOf.get(p.account_id)) return `account ${p.account_id}: a posting of ${p.asset} on an account of ${assetOf.get(p.account_id)}`;
      sums.set(p.account_id, (sums.get(p.account_id) ?? 0n) + (strict(p.amount) ?? 0n));
    }
    for (const a of rows) {
      const sum = sums.get(a.id) ?? 0n;
      if (strict(a.balance) !== sum) return `account ${a.id}: balance ${a.balance} but its postings sum to ${sum}`;
      if (a.owner !== PLATFORM && sum < 0n) return `account ${a.id}: a user balance below zero (${sum})`;
      if (a.id !== accountId(a)) return `account ${a.id}: its id does not name its owner, asset and kind`;
    }
    accounts += rows.length;
    after = rows.at(-1)!.id;
  }
}

async function holdsResolvedOnce(db: Tx): Promise<string | number> {
  const holds = await db.selectFrom('ledger_holds').selectAll().execute();
  const kinds = new Map((await db.selectFrom('journal_entries').select(['id', 'kind']).where('kind', 'in', ['withdrawal_hold', 'withdrawal_post', 'withdrawal_void']).execute()).map((e) => [e.id, e.kind]));
  const claimed = new Set<string>();
  const open = new Map<string, bigint>();
  for (const h of holds) {
    if (kinds.get(h.pending_entry_id) !== 'withdrawal_hold') return `hold ${h.id}: its pending entry is missing or not a hold`;
    if (h.status === 'pending') {
      if (h.resolved_entry_id !== null) return `hold ${h.id}: pending, yet resolved by ${h.resolved_entry_id}`;
      const key = `${h.user_id}:${h.asset}:held`;
      const amount = strict(h.amount);
      if (amount === null || amount <= 0n) return `hold ${h.id}: an amount of ${JSON.stringify(h.amount)}`;
      open.set(key, (open.get(key) ?? 0n) + amount);
      continue;
    }
    const expected = h.status === 'posted' ? 'withdrawal_post' : 'withdrawal_void';
    if (h.resolved_entry_id === null || kinds.get(h.resolved_entry_id) !== expected) return `hold ${h.id}: ${h.status} without one ${expected} entry`;
    if (claimed.has(h.resolved_entry_id)) return `hold ${h.id}: its resolving entry resolves another hold too`;
    claimed.add(h.resolved_entry_id);
  }
  const heldAccounts = await db.selectFrom('ledger_accounts').select(['id', 'balance']).where('kind', '=', 'held').execute();
  for (const a of heldAccounts) if (strict(a.balance) !== (open.get(a.id) ?? 0n)) return `account ${a.id}: held ${a.balance} but its open holds sum to ${open.get(a.id) ?? 0n}`;
  return holds.length;
}

/** Reads everything in one snapshot (REPEATABLE READ on PostgreSQL; one read transaction on SQLite): movements during the check never look like a violation. */
export async function checkLedger(db: Db, dialect: Dialect): Promise<LedgerReport> {
  const run = async (tx: Tx): Promise<LedgerReport> => {
    const entries = await entriesBalance(tx);
    if (typeof entries === 'string') return { ok: false, violation: entries };
    const accounts = await accountsBalance(tx);
    if (typeof accounts === 'string') return { ok: false, violation: accounts };
    const holds = await holdsResolvedOnce(tx);
    if (typeof holds === 'string') return { ok: false, violation: holds };
    return { ok: true, entries, accounts, holds };
  };
  return dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read').execute(run) : db.transaction().execute(run);
}
