/**
 * The double-entry ledger (the guarantees of TigerBeetle and Formance, on SQL): every movement is
 * one journal entry whose postings sum to zero per asset, written in the caller's transaction and
 * never changed after (a correction is a reversing entry). Each account keeps its balance beside its
 * postings; the only writer is `post` below, which takes the accounts' row locks first — an UPDATE,
 * so PostgreSQL locks the rows and SQLite takes its write lock before anything is read — in one
 * order (no deadlocks), then reads the balances and refuses a user account going below zero. The
 * check is made under the lock, inside the transaction that moves the money, never before it.
 */
import { randomUUID } from 'node:crypto';
import { conflict } from '../errors/app-error.ts';
import type { Db, Tx } from '../store/database.ts';
import type { JournalEntriesTable, LedgerAccountsTable } from '../store/schema.ts';
import { stored, units } from './amounts.ts';

export type AccountKind = LedgerAccountsTable['kind'];
export type EntryKind = JournalEntriesTable['kind'];

export interface AccountRef {
  /** A user's id, or "platform". */
  owner: string;
  asset: string;
  kind: AccountKind;
}

export const PLATFORM = 'platform';
export const available = (userId: string, asset: string): AccountRef => ({ owner: userId, asset, kind: 'available' });
export const held = (userId: string, asset: string): AccountRef => ({ owner: userId, asset, kind: 'held' });
/** The platform's side: `world` (money that came in or went out on a network), `fees`, `market` (the other side of trades). */
export const platform = (kind: 'world' | 'fees' | 'market', asset: string): AccountRef => ({ owner: PLATFORM, asset, kind });

export const accountId = (a: AccountRef): string => `${a.owner}:${a.asset}:${a.kind}`;

/** One leg of an entry: a signed amount (a credit to the account is positive). */
export interface Leg {
  account: AccountRef;
  amount: bigint;
}

export interface Entry {
  kind: EntryKind;
  /** Whose money it is (history); null for platform-only entries. */
  userId: string | null;
  /** What it answers for: at most one entry of a kind per reference (a deposit's txid, a quote). */
  reference: string;
  data?: Record<string, unknown>;
  legs: Leg[];
}

export interface Posted {
  entryId: string;
  /** An entry with this kind and reference was recorded before: nothing was moved now. */
  existed: boolean;
}

export const insufficientFunds = (asset: string) => conflict('insufficient_funds', `Not enough ${asset} available for this.`);

/** Every asset's legs must sum to zero: an entry that does not is a bug, never written. */
function assertBalanced(legs: Leg[]): void {
  const sums = new Map<string, bigint>();
  for (const leg of legs) {
    if (leg.amount === 0n) throw new Error('a posting of zero');
    sums.set(leg.account.asset, (sums.get(leg.account.asset) ?? 0n) + leg.amount);
  }
  for (const [asset, sum] of sums) if (sum !== 0n) throw new Error(`an entry whose ${asset} postings sum to ${sum}, not zero`);
}

/** Locks the accounts (creating those that do not exist yet), in id order; returns their balances. */
async function lockAccounts(tx: Tx, refs: AccountRef[], now: number): Promise<Map<string, bigint>> {
  const byId = new Map(refs.map((r) => [accountId(r), r]));
  const ids = [...byId.keys()].sort();
  await tx
    .insertInto('ledger_accounts')
    .values(ids.map((id) => ({ id, owner: byId.get(id)!.owner, asset: byId.get(id)!.asset, kind: byId.get(id)!.kind, balance: '0', version: 0, created_at: now })))
    // No target: the id and the (owner, asset, kind) index are the same key, and either may be the one a racing insert hits.
    .onConflict((oc) => oc.doNothing())
    .execute();
  for (const id of ids) await tx.updateTable('ledger_accounts').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', id).execute();
  const rows = await tx.selectFrom('ledger_accounts').select(['id', 'balance']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, units(r.balance)]));
}

/**
 * Writes one entry in `tx`: the accounts locked, a user account that would go below zero refused
 * (409 insufficient_funds), the postings and the new balances written. An entry of the same kind and
 * reference recorded before is answered as it was (`existed`), and nothing moves.
 */
export async function post(tx: Tx, now: number, entry: Entry): Promise<Posted> {
  assertBalanced(entry.legs);
  const balances = await lockAccounts(tx, entry.legs.map((l) => l.account), now);
  const before = await tx.selectFrom('journal_entries').select('id').where('kind', '=', entry.kind).where('reference', '=', entry.reference).executeTakeFirst();
  if (before) return { entryId: before.id, existed: true };
  const next = new Map(balances);
  for (const leg of entry.legs) next.set(accountId(leg.account), next.get(accountId(leg.account))! + leg.amount);
  for (const leg of entry.legs) {
    if (leg.account.owner !== PLATFORM && next.get(accountId(leg.account))! < 0n) throw insufficientFunds(leg.account.asset);
  }
  const entryId = randomUUID();
  await tx.insertInto('journal_entries').values({ id: entryId, kind: entry.kind, user_id: entry.userId, reference: entry.reference, data: JSON.stringify(entry.data ?? {}), created_at: now }).execute();
  await tx
    .insertInto('postings')
    .values(entry.legs.map((leg) => ({ id: randomUUID(), entry_id: entryId, account_id: accountId(leg.account), asset: leg.account.asset, amount: stored(leg.amount) })))
    .execute();
  for (const [id, balance] of next) if (balance !== balances.get(id)) await tx.updateTable('ledger_accounts').set({ balance: stored(balance) }).where('id', '=', id).execute();
  return { entryId, existed: false };
}

/** A user's balances: available and held per asset (assets never touched are absent). */
export async function balancesOf(db: Db | Tx, userId: string): Promise<Map<string, { available: bigint; held: bigint }>> {
  const rows = await db.selectFrom('ledger_accounts').select(['asset', 'kind', 'balance']).where('owner', '=', userId).execute();
  const result = new Map<string, { available: bigint; held: bigint }>();
  for (const row of rows) {
    const entry = result.get(row.asset) ?? { available: 0n, held: 0n };
    if (row.kind === 'available') entry.available = units(row.balance);
    if (row.kind === 'held') entry.held = units(row.balance);
    result.set(row.asset, entry);
  }
  return result;
}
