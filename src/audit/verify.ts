/**
 * Verifying the audit log: walks the keyed chain in order, a page at a time, and reports the first
 * entry that does not fit (a missing entry, an event removed, an event or entry changed, an event
 * without an actor after events with one); then every event not in the chain must still be
 * waiting for the sealer; then each checkpoint given (from the log) must be on the chain, or its
 * tail was removed or the chain rewritten.
 */
import type { Db } from '../store/database.ts';
import { entryHash, GENESIS_HASH, type StoredEvent } from './chain.ts';
import type { AuditKeys } from './chain-keys.ts';
import type { Checkpoint } from './checkpoint.ts';

export type ChainReport =
  | { intact: true; rows: number; pending: number }
  /** firstBadSeq: the event where it breaks, or null when no one event is (a missing entry, a removed tail). */
  | { intact: false; rows: number; pending: number; firstBadSeq: number | null; reason: string };

const broken = (rows: number, pending: number, firstBadSeq: number | null, reason: string): ChainReport => ({ intact: false, rows, pending, firstBadSeq, reason });

export async function verifyChain(db: Db, keys: AuditKeys, checkpoints: Checkpoint[] = [], pageSize = 1000): Promise<ChainReport> {
  const wanted = new Map(checkpoints.map((cp) => [cp.position, cp.hash]));
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let actorsSince: number | null = null;
  const pending = await db.selectFrom('audit_pending').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const waiting = Number(pending.n);
  for (;;) {
    const page = await db
      .selectFrom('audit_chain as c')
      .leftJoin('audit_events as e', 'e.seq', 'c.seq')
      .select(['c.position', 'c.seq as chain_seq', 'c.hash as chain_hash', 'e.seq', 'e.at', 'e.type', 'e.user_id', 'e.ip', 'e.user_agent', 'e.data', 'e.actor_kind', 'e.actor_id'])
      .where('c.position', '>=', expected)
      .orderBy('c.position')
      .limit(pageSize)
      .execute();
    for (const entry of page) {
      const position = Number(entry.position);
      const seq = Number(entry.chain_seq);
      const rows = expected - 1;
      if (position !== expected) return broken(rows, waiting, null, `chain entry ${expected} is missing`);
      if (entry.seq === null || entry.type === null) return broken(rows, waiting, seq, `event ${seq} (chain entry ${position}) was removed`);
      if (entryHash(keys.chain, prevHash, position, entry as StoredEvent) !== entry.chain_hash) {
        return broken(rows, waiting, seq, `event ${seq} (chain entry ${position}) was changed`);
      }
      // Once actors are recorded, every later event has one: an event without is passed off as older.
      if (entry.actor_kind === null && actorsSince !== null) return broken(rows, waiting, seq, `event ${seq} has no actor, though events before it have`);
      if (entry.actor_kind !== null) actorsSince ??= position;
      const pinned = wanted.get(position);
      if (pinned !== undefined && pinned !== entry.chain_hash) {
        return broken(rows, waiting, seq, `chain entry ${position} differs from the checkpoint: the chain was rewritten from there or before`);
      }
      prevHash = entry.chain_hash;
      expected = position + 1;
    }
    if (page.length < pageSize) break;
  }
  const rows = expected - 1;
  const beyond = Math.max(0, ...wanted.keys());
  if (beyond > rows) return broken(rows, waiting, null, `the chain ends at entry ${rows}, before the checkpoint's entry ${beyond}: entries were removed from its tail`);
  const unsealed = await db
    .selectFrom('audit_events as e')
    .leftJoin('audit_chain as c', 'c.seq', 'e.seq')
    .leftJoin('audit_pending as p', 'p.seq', 'e.seq')
    .select('e.seq')
    .where('c.seq', 'is', null)
    .where('p.seq', 'is', null)
    .orderBy('e.seq')
    .limit(1)
    .executeTakeFirst();
  if (unsealed) return broken(rows, waiting, Number(unsealed.seq), `event ${unsealed.seq} is in no chain entry and not waiting for one`);
  return { intact: true, rows, pending: waiting };
}
