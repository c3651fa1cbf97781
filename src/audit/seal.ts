/**
 * The sealer: moves events waiting in `audit_pending` into the keyed chain, oldest first, a batch
 * per transaction. Writers never wait for it and never touch the chain, so audited transactions
 * run side by side; one sealer at a time (on PostgreSQL whoever takes the advisory lock, on any
 * node: the others skip that round) keeps the chain from forking, and `audit_chain`'s unique
 * position and seq would refuse a fork anyway. Each node runs it every SEAL_INTERVAL_MS
 * (server.ts), so an event is in the chain within about a second of its commit.
 *
 * It vouches only for what Bastion recorded: an event whose MAC is wrong or missing (added by
 * hand), that was removed while it waited, or whose queue row was deleted, is sealed flagged
 * (`audit_chain.flag`, covered by the chain's HMAC) and logged at error, never as genuine. And it signs only a head that extends the last checkpoint
 * signed: the one on the chain's head entry and the last this node signed itself. A chain whose
 * tail was cut or rewritten, or with entries after the last checkpoint, is not sealed: it throws
 * and logs at error until someone looks.
 *
 * The chain's order is the order events were sealed in. On PostgreSQL an event can commit after a
 * later-numbered one was sealed; it is sealed in the next round, so seq and position may differ.
 */
import { takeTurn } from '../store/turns.ts';
import type { Logger } from 'pino';
import type { Store, Tx } from '../store/database.ts';
import { inTransaction } from '../store/database.ts';
import type { AuditFlag } from '../store/schema.ts';
import { entryHash, EVENT_COLUMNS, GENESIS_HASH, lastUnmacSeq, macMatches, type EventContent } from './chain.ts';
import type { AuditKeys } from './chain-keys.ts';
import { checkpointDigest, signCheckpoint, storedCheckpoint, type ChainedCheckpoint } from './checkpoint.ts';

export const SEAL_INTERVAL_MS = 500;
/** Any constant: the key of the PostgreSQL advisory lock the sealers take turns on. */
const SEAL_LOCK_KEY = 0x6175_6474;
const BATCH = 1000;

/** The sealer would not sign: the chain does not extend the last checkpoint. */
export class SealRefused extends Error {
  override name = 'SealRefused';
}

interface Sealed {
  checkpoint: ChainedCheckpoint;
  text: string;
  sealed: number;
  flagged: { seq: number; position: number; flag: AuditFlag }[];
  stale: number[];
}

type Head = { position: number; hash: string; checkpoint: string | null };

/** The checkpoint the next one follows (null: none yet), or why the chain does not extend what was signed. */
async function lastSigned(tx: Tx, keys: AuditKeys, head: Head | undefined, mine: ChainedCheckpoint | null): Promise<ChainedCheckpoint | null | { refused: string }> {
  if (mine) {
    if (!head || head.position < mine.position) return { refused: `the chain ends at entry ${head?.position ?? 0}, before entry ${mine.position} this node signed: entries were removed from its tail` };
    const at = head.position === mine.position ? head : await tx.selectFrom('audit_chain').select('hash').where('position', '=', mine.position).executeTakeFirst();
    if (at?.hash !== mine.hash) return { refused: `chain entry ${mine.position} differs from the checkpoint this node signed: the chain was rewritten` };
  }
  if (!head) return null;
  if (head.checkpoint === null) {
    const earlier = await tx.selectFrom('audit_chain').select('position').where('checkpoint', 'is not', null).orderBy('position', 'desc').limit(1).executeTakeFirst();
    // Before migration 016 no entry held a checkpoint: the first seal since starts the checkpoint chain.
    if (!earlier && !mine) return null;
    return { refused: `chain entries after ${earlier ? Number(earlier.position) : mine!.position} up to ${head.position} are under no checkpoint: they were not sealed here` };
  }
  return storedCheckpoint(keys, head.checkpoint, head) ?? { refused: `the checkpoint on chain entry ${head.position} is not one this installation signed for it` };
}

/**
 * Events after the chain's last sealed seq that are in no entry and not waiting: their queue row was
 * deleted (the servers' role may delete from it). Bounded: through `upTo` (the batch's last waiting
 * seq when more wait; the rest are looked at with later batches), at most a batch, on the seq index.
 * An event committed after a later one was sealed (PostgreSQL) and then taken out is behind that
 * bound: verify names it.
 */
async function dequeuedEvents(tx: Tx, upTo: number | null) {
  let query = tx
    .selectFrom('audit_events as e')
    .leftJoin('audit_pending as p', 'p.seq', 'e.seq')
    .where('p.seq', 'is', null)
    .where('e.seq', '>', (eb) => eb.selectFrom('audit_chain').select(eb.fn.coalesce(eb.fn.max('seq'), eb.lit(0)).as('last')))
    .select(EVENT_COLUMNS)
    .orderBy('e.seq')
    .limit(BATCH);
  if (upTo !== null) query = query.where('e.seq', '<=', upTo);
  return query.execute();
}

/** Null for an event Bastion recorded (its MAC holds); else why not. */
function verdict(keys: AuditKeys, content: EventContent, row: { mac: string | null; taken: boolean; gone: boolean; unmacUpTo: number }): AuditFlag | null {
  if (row.taken) return 'dequeued';
  if (row.gone) return 'missing';
  // Only events waiting when migration 016 ran may lack a MAC.
  if (row.mac === null) return Number(content.seq) <= row.unmacUpTo ? 'no_mac' : 'bad_mac';
  return macMatches(keys.event, content, row.mac) ? null : 'bad_mac';
}

/** Seals one batch; null when nothing was waiting (or another node was sealing). */
async function sealBatch(store: Store, keys: AuditKeys, mine: ChainedCheckpoint | null): Promise<Sealed | { refused: string } | null> {
  return inTransaction(store.db, async (tx) => {
    if (!(await takeTurn(tx, store.dialect, SEAL_LOCK_KEY))) return null;
    // Left join: an event removed while it waited is sealed as missing, not left waiting for ever.
    const waiting = await tx
      .selectFrom('audit_pending as p')
      .leftJoin('audit_events as e', 'e.seq', 'p.seq')
      .leftJoin('audit_chain as c', 'c.seq', 'p.seq')
      .where('c.seq', 'is', null)
      .select(['p.seq as pending_seq', 'p.mac', ...EVENT_COLUMNS])
      .orderBy('p.seq')
      .limit(BATCH)
      .execute();
    const dequeued = await dequeuedEvents(tx, waiting.length === BATCH ? Number(waiting.at(-1)!.pending_seq) : null);
    if (waiting.length === 0 && dequeued.length === 0) return null;
    const last = await tx.selectFrom('audit_chain').select(['position', 'hash', 'checkpoint']).orderBy('position', 'desc').limit(1).executeTakeFirst();
    const head = last && { position: Number(last.position), hash: last.hash, checkpoint: last.checkpoint };
    const base = await lastSigned(tx, keys, head, mine);
    if (base && 'refused' in base) return base;
    // A waiting seq already in the chain (written there by hand) is dropped, and said.
    const stale = await tx.selectFrom('audit_pending as p').innerJoin('audit_chain as c', 'c.seq', 'p.seq').select('p.seq').execute();
    if (stale.length > 0) await tx.deleteFrom('audit_pending').where('seq', 'in', stale.map((row) => row.seq)).execute();
    // Read only when an event lacks a MAC.
    const unmacUpTo = waiting.some((w) => w.mac === null) ? await lastUnmacSeq(tx) : 0;
    let position = head?.position ?? 0;
    let hash = head?.hash ?? GENESIS_HASH;
    const flagged: Sealed['flagged'] = [];
    const batch = [...waiting.map((row) => ({ ...row, dequeued: false })), ...dequeued.map((event) => ({ ...event, pending_seq: event.seq, mac: null, dequeued: true }))]
      .sort((a, b) => Number(a.pending_seq) - Number(b.pending_seq))
      .slice(0, BATCH);
    const entries = batch.map(({ pending_seq, mac, dequeued: taken, ...event }) => {
      const seq = Number(pending_seq);
      const content = { ...event, seq };
      const flag = verdict(keys, content, { mac, taken, gone: event.seq === null, unmacUpTo });
      position += 1;
      hash = entryHash(keys.chain, hash, position, content, flag);
      if (flag) flagged.push({ seq, position, flag });
      return { position, seq, hash, flag, checkpoint: null as string | null };
    });
    const checkpoint = { position, hash, prev: base ? checkpointDigest(base) : GENESIS_HASH };
    const text = signCheckpoint(keys, checkpoint);
    entries.at(-1)!.checkpoint = text;
    await tx.insertInto('audit_chain').values(entries).execute();
    await tx.deleteFrom('audit_pending').where('seq', 'in', entries.map((e) => e.seq)).execute();
    return { checkpoint, text, sealed: entries.length, flagged, stale: stale.map((s) => Number(s.seq)) };
  });
}

const FLAGGED: Record<AuditFlag, string> = {
  bad_mac: 'an audit event was not recorded by Bastion (its MAC is wrong, or missing after migration 016: added to the database by hand); sealed flagged as forged',
  missing: 'an audit event was removed from the database while it waited to be sealed; sealed flagged as missing',
  no_mac: 'an audit event from before per-event MACs (migration 016) was sealed unchecked',
  dequeued: 'an audit event was taken out of the sealer\'s queue (its audit_pending row deleted) before it was sealed; sealed flagged as dequeued',
};

function report(log: Logger, result: Sealed): void {
  // Warn: the checkpoint is the anchor kept outside the database, so it must survive LOG_LEVEL=warn.
  log.warn({ auditCheckpoint: result.text, position: result.checkpoint.position, sealed: result.sealed }, 'audit events sealed');
  if (result.stale.length > 0) log.error({ seqs: result.stale }, 'audit_pending named events already in the chain (written there by hand); removed');
  for (const { seq, position, flag } of result.flagged) {
    if (flag === 'no_mac') log.warn({ seq, position, flag }, FLAGGED[flag]);
    else log.error({ seq, position, flag }, FLAGGED[flag]);
  }
}

/**
 * A sealer for this node: `seal()` seals everything waiting. Each batch's checkpoint goes to the log
 * (field `auditCheckpoint`, at warn): keep the log where the database's administrators cannot
 * rewrite it. Returns the last one; throws SealRefused when the chain does not extend what was signed.
 */
export function createSealer(store: Store, keys: AuditKeys, log: Logger): () => Promise<string | null> {
  let mine: ChainedCheckpoint | null = null;
  let refusedFor: string | null = null;
  return async () => {
    let latest: string | null = null;
    for (;;) {
      const result = await sealBatch(store, keys, mine);
      if (!result) return latest;
      if ('refused' in result) {
        // Once per cause: the server tries again every half second.
        if (refusedFor !== result.refused) log.error({ reason: result.refused }, 'audit chain does not extend the last signed checkpoint: not sealing');
        refusedFor = result.refused;
        throw new SealRefused(`not sealing: ${result.refused}`);
      }
      refusedFor = null;
      mine = result.checkpoint;
      latest = result.text;
      report(log, result);
      if (result.sealed < BATCH) return latest;
    }
  };
}
