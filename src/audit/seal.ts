/**
 * The sealer: moves events waiting in `audit_pending` into the keyed chain, oldest first, a batch
 * per transaction. Writers never wait for it and never touch the chain, so audited transactions
 * run side by side; one sealer at a time (on PostgreSQL whoever takes the advisory lock, on any
 * node: the others skip that round) keeps the chain from forking, and `audit_chain`'s unique
 * position and seq would refuse a fork anyway. Each node runs it every SEAL_INTERVAL_MS
 * (server.ts), so an event is in the chain within about a second of its commit.
 *
 * The chain's order is the order events were sealed in. On PostgreSQL an event can commit after a
 * later-numbered one was sealed; it is sealed in the next round, so seq and position may differ.
 */
import { takeTurn } from '../store/turns.ts';
import type { Logger } from 'pino';
import type { Store } from '../store/database.ts';
import { inTransaction } from '../store/database.ts';
import { entryHash, GENESIS_HASH } from './chain.ts';
import type { AuditKeys } from './chain-keys.ts';
import { signCheckpoint, type Checkpoint } from './checkpoint.ts';

export const SEAL_INTERVAL_MS = 500;
/** Any constant: the key of the PostgreSQL advisory lock the sealers take turns on. */
const SEAL_LOCK_KEY = 0x6175_6474;
const BATCH = 1000;

/** Seals one batch; the new head, or null when nothing was waiting (or another node was sealing). */
async function sealBatch(store: Store, keys: AuditKeys): Promise<{ head: Checkpoint; sealed: number } | null> {
  return inTransaction(store.db, async (tx) => {
    if (!(await takeTurn(tx, store.dialect, SEAL_LOCK_KEY))) return null;
    // A waiting seq already in the chain (written there by hand) would stop every later seal.
    await tx.deleteFrom('audit_pending').where('seq', 'in', (eb) => eb.selectFrom('audit_chain').select('seq').where('audit_chain.seq', '=', eb.ref('audit_pending.seq'))).execute();
    const waiting = await tx
      .selectFrom('audit_pending as p')
      .innerJoin('audit_events as e', 'e.seq', 'p.seq')
      .selectAll('e')
      .orderBy('p.seq')
      .limit(BATCH)
      .execute();
    if (waiting.length === 0) return null;
    const last = await tx.selectFrom('audit_chain').select(['position', 'hash']).orderBy('position', 'desc').limit(1).executeTakeFirst();
    let position = last ? Number(last.position) : 0;
    let hash = last?.hash ?? GENESIS_HASH;
    const entries = waiting.map((event) => {
      position += 1;
      hash = entryHash(keys.chain, hash, position, event);
      return { position, seq: Number(event.seq), hash };
    });
    await tx.insertInto('audit_chain').values(entries).execute();
    await tx.deleteFrom('audit_pending').where('seq', 'in', entries.map((e) => e.seq)).execute();
    return { head: { position, hash }, sealed: entries.length };
  });
}

/**
 * Seals everything waiting. Each batch's checkpoint goes to the log (field `auditCheckpoint`):
 * keep the log where the database's administrators cannot rewrite it. Returns the last one.
 */
export async function sealPending(store: Store, keys: AuditKeys, log: Logger): Promise<string | null> {
  let latest: string | null = null;
  for (;;) {
    const result = await sealBatch(store, keys);
    if (!result) return latest;
    latest = signCheckpoint(keys, result.head);
    log.info({ auditCheckpoint: latest, position: result.head.position, sealed: result.sealed }, 'audit events sealed');
    if (result.sealed < BATCH) return latest;
  }
}
