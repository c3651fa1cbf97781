/**
 * Verifying the audit log. The checkpoints given (from the log) must agree: one per position and
 * one after each, or the sealer was made to sign two histories. Then it walks the keyed chain in
 * order, a page at a time, and reports the first entry that does not fit (a missing entry, an
 * event removed, an event or entry changed, an event without an actor after events with one, a
 * checkpoint stored on an entry or given for it that is not the chain's, or does not follow the
 * checkpoint before it); then an event the sealer flagged (added by hand, or removed while it
 * waited); then every row of the sealer's queue must name an event that exists, is not in the
 * chain yet and carries its MAC; then every event not in the chain must be waiting; and each
 * checkpoint given must be on the chain, or its tail was removed.
 */
import type { Db } from '../store/database.ts';
import type { AuditFlag } from '../store/schema.ts';
import { entryHash, EVENT_COLUMNS, GENESIS_HASH, macMatches } from './chain.ts';
import type { AuditKeys } from './chain-keys.ts';
import { checkpointDigest, storedCheckpoint, type ChainedCheckpoint, type Checkpoint } from './checkpoint.ts';

export type ChainReport =
  /** unverified: events sealed without a MAC check, having waited from before migration 016 (absent when none). */
  | { intact: true; rows: number; pending: number; unverified?: number }
  /** firstBadSeq: the event where it breaks, or null when no one event is (a missing entry, a removed tail). */
  | { intact: false; rows: number; pending: number; firstBadSeq: number | null; reason: string };

type Finding = { firstBadSeq: number | null; reason: string };

const TWO_HISTORIES = 'the sealer was made to sign two histories';

/** The checkpoints given, one per position; or why they cannot all be true. */
function pinsOf(checkpoints: Checkpoint[]): Map<number, Checkpoint> | Finding {
  const pins = new Map<number, Checkpoint>();
  const after = new Map<string, Checkpoint>();
  for (const cp of checkpoints) {
    const same = pins.get(cp.position);
    if (same && (same.hash !== cp.hash || (same.prev !== undefined && cp.prev !== undefined && same.prev !== cp.prev))) {
      return { firstBadSeq: null, reason: `two signed checkpoints for chain entry ${cp.position} differ: ${TWO_HISTORIES}` };
    }
    if (cp.prev === undefined) {
      if (!same) pins.set(cp.position, cp);
      continue;
    }
    const sibling = after.get(cp.prev);
    if (sibling && sibling.position !== cp.position) {
      return { firstBadSeq: null, reason: `the signed checkpoints for chain entries ${sibling.position} and ${cp.position} follow the same one: ${TWO_HISTORIES}` };
    }
    after.set(cp.prev, cp);
    pins.set(cp.position, cp);
  }
  return pins;
}

interface Walked {
  rows: number;
  unverified: number;
  flagged: { seq: number; position: number; flag: Exclude<AuditFlag, 'no_mac'>; count: number } | null;
}

const FLAG_REASONS: Record<Exclude<AuditFlag, 'no_mac'>, string> = {
  bad_mac: 'was not recorded by Bastion: its MAC was wrong when it was sealed (added to the database by hand)',
  missing: 'was removed while it waited to be sealed',
};

async function walkChain(db: Db, keys: AuditKeys, pins: Map<number, Checkpoint>, pageSize: number): Promise<Walked | (Finding & { rows: number })> {
  let prevHash = GENESIS_HASH;
  let lastCheckpoint: { position: number; digest: string } | null = null;
  let expected = 1;
  let actorsSince: number | null = null;
  let unverified = 0;
  let flagged: Walked['flagged'] = null;
  for (;;) {
    const page = await db
      .selectFrom('audit_chain as c')
      .leftJoin('audit_events as e', 'e.seq', 'c.seq')
      .select(['c.position', 'c.seq as chain_seq', 'c.hash as chain_hash', 'c.flag', 'c.checkpoint', ...EVENT_COLUMNS])
      .where('c.position', '>=', expected)
      .orderBy('c.position')
      .limit(pageSize)
      .execute();
    for (const { position: rawPosition, chain_seq, chain_hash, flag, checkpoint: stored, ...event } of page) {
      const position = Number(rawPosition);
      const seq = Number(chain_seq);
      const broken = (firstBadSeq: number | null, reason: string) => ({ rows: expected - 1, firstBadSeq, reason });
      if (position !== expected) return broken(null, `chain entry ${expected} is missing`);
      if (flag !== 'missing' && (event.seq === null || event.type === null)) return broken(seq, `event ${seq} (chain entry ${position}) was removed`);
      if (entryHash(keys.chain, prevHash, position, { ...event, seq }, flag) !== chain_hash) return broken(seq, `event ${seq} (chain entry ${position}) was changed`);
      if (flag === null) {
        // Once actors are recorded, every later event has one: an event without is passed off as older.
        if (event.actor_kind === null && actorsSince !== null) return broken(seq, `event ${seq} has no actor, though events before it have`);
        if (event.actor_kind !== null) actorsSince ??= position;
      } else if (flag === 'no_mac') {
        unverified += 1;
      } else {
        if (flagged) flagged.count += 1;
        else flagged = { seq, position, flag, count: 1 };
      }
      const pinned = pins.get(position);
      if (pinned !== undefined && pinned.hash !== chain_hash) return broken(seq, `chain entry ${position} differs from the checkpoint: the chain was rewritten from there or before`);
      let here: ChainedCheckpoint | null = pinned?.prev === undefined ? null : (pinned as ChainedCheckpoint);
      if (stored !== null) {
        const found = storedCheckpoint(keys, stored, { position, hash: chain_hash });
        if (!found) return broken(seq, `the checkpoint stored on chain entry ${position} is not one this installation signed for it`);
        if (here && here.prev !== found.prev) return broken(seq, `the checkpoint given for chain entry ${position} differs from the one stored there: ${TWO_HISTORIES}`);
        here = found;
      }
      if (here) {
        if (here.prev !== (lastCheckpoint?.digest ?? GENESIS_HASH)) {
          const before = lastCheckpoint ? `the one on entry ${lastCheckpoint.position}` : 'none (the first one)';
          return broken(seq, `the checkpoint on chain entry ${position} does not follow the checkpoint before it, ${before}: a checkpoint was removed, or ${TWO_HISTORIES}`);
        }
        lastCheckpoint = { position, digest: checkpointDigest(here) };
      }
      prevHash = chain_hash;
      expected = position + 1;
    }
    if (page.length < pageSize) return { rows: expected - 1, unverified, flagged };
  }
}

/** Every row of the sealer's queue names an event that exists, is not sealed yet and carries its MAC. */
async function checkQueue(db: Db, keys: AuditKeys, pageSize: number): Promise<Finding | null> {
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_pending as p')
      .leftJoin('audit_events as e', 'e.seq', 'p.seq')
      .leftJoin('audit_chain as c', 'c.seq', 'p.seq')
      .select(['p.seq as pending_seq', 'p.mac', 'c.position', ...EVENT_COLUMNS])
      .where('p.seq', '>', after)
      .orderBy('p.seq')
      .limit(pageSize)
      .execute();
    for (const { pending_seq, mac, position, ...event } of page) {
      const seq = Number(pending_seq);
      if (event.seq === null) return { firstBadSeq: seq, reason: `event ${seq} waits to be sealed but is gone: it was removed while it waited` };
      if (position !== null) return { firstBadSeq: seq, reason: `event ${seq} waits to be sealed but is in chain entry ${position} already: a queue row written by hand` };
      if (mac !== null && !macMatches(keys.event, event, mac)) return { firstBadSeq: seq, reason: `event ${seq}, waiting to be sealed, was not recorded by Bastion: its MAC is wrong (added to the database by hand)` };
      after = seq;
    }
    if (page.length < pageSize) return null;
  }
}

export async function verifyChain(db: Db, keys: AuditKeys, checkpoints: Checkpoint[] = [], pageSize = 1000): Promise<ChainReport> {
  const pending = await db.selectFrom('audit_pending').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const waiting = Number(pending.n);
  const broken = (rows: number, finding: Finding): ChainReport => ({ intact: false, rows, pending: waiting, ...finding });
  const pins = pinsOf(checkpoints);
  if (!(pins instanceof Map)) return broken(0, pins);
  const walked = await walkChain(db, keys, pins, pageSize);
  if ('reason' in walked) return broken(walked.rows, walked);
  const { rows, flagged, unverified } = walked;
  const beyond = Math.max(0, ...pins.keys());
  if (beyond > rows) return broken(rows, { firstBadSeq: null, reason: `the chain ends at entry ${rows}, before the checkpoint's entry ${beyond}: entries were removed from its tail` });
  if (flagged) {
    const others = flagged.count > 1 ? ` (${flagged.count} events flagged in all)` : '';
    return broken(rows, { firstBadSeq: flagged.seq, reason: `event ${flagged.seq} (chain entry ${flagged.position}) ${FLAG_REASONS[flagged.flag]}${others}` });
  }
  const queue = await checkQueue(db, keys, pageSize);
  if (queue) return broken(rows, queue);
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
  if (unsealed) return broken(rows, { firstBadSeq: Number(unsealed.seq), reason: `event ${unsealed.seq} is in no chain entry and not waiting for one` });
  return unverified > 0 ? { intact: true, rows, pending: waiting, unverified } : { intact: true, rows, pending: waiting };
}
