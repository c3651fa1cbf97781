/**
 * Verifying the audit log. Every check runs, and the report gives each finding in this order
 * (the first is where it breaks). The checkpoints given (from the log) must agree: one per
 * position and one after each, or the sealer was made to sign two histories. Then it walks the
 * keyed chain in order, a page at a time: each entry that does not fit (a missing entry, an event
 * removed, an event or entry changed, an event without an actor after events with one, a
 * checkpoint stored on an entry or given for it that is not the chain's, or does not follow the
 * checkpoint before it); each checkpoint given must be on the chain, or its tail was removed;
 * then each event the sealer flagged (added by hand, removed while it waited, taken out of its
 * queue); then every row of the sealer's queue must name an event that exists, is not in the
 * chain yet and carries its MAC; and every event not in the chain must be waiting.
 */
import type { Db } from '../store/database.ts';
import type { AuditFlag } from '../store/schema.ts';
import { entryHash, EVENT_COLUMNS, GENESIS_HASH, lastUnmacSeq, macMatches } from './chain.ts';
import type { AuditKeys } from './chain-keys.ts';
import { checkpointDigest, storedCheckpoint, type ChainedCheckpoint, type Checkpoint } from './checkpoint.ts';

export type ChainReport =
  /** unverified: events sealed without a MAC check, having waited from before migration 016 (absent when none). */
  | { intact: true; rows: number; pending: number; unverified?: number }
  /**
   * firstBadSeq, reason: the first finding, where it breaks (null when no one event is: a missing
   * entry, a removed tail); also: every other finding, in the order checked (at most MAX_FINDINGS).
   */
  | { intact: false; rows: number; pending: number; firstBadSeq: number | null; reason: string; also: Finding[] };

export type Finding = { firstBadSeq: number | null; reason: string };

/** How many findings a report holds; past them it says how many more. */
const MAX_FINDINGS = 100;

/** The findings of one verify, kept in order and bounded. */
class Findings {
  readonly list: Finding[] = [];
  more = 0;
  add(firstBadSeq: number | null, reason: string): void {
    if (this.list.length < MAX_FINDINGS) this.list.push({ firstBadSeq, reason });
    else this.more += 1;
  }
}

const TWO_HISTORIES = 'the sealer was made to sign two histories';

/** The checkpoints given, one per position (the first given where two differ); findings where they cannot all be true. */
function pinsOf(checkpoints: Checkpoint[], findings: Findings): Map<number, Checkpoint> {
  const pins = new Map<number, Checkpoint>();
  const after = new Map<string, Checkpoint>();
  for (const cp of checkpoints) {
    const same = pins.get(cp.position);
    if (same && (same.hash !== cp.hash || (same.prev !== undefined && cp.prev !== undefined && same.prev !== cp.prev))) {
      findings.add(null, `two signed checkpoints for chain entry ${cp.position} differ: ${TWO_HISTORIES}`);
      continue;
    }
    if (cp.prev === undefined) {
      if (!same) pins.set(cp.position, cp);
      continue;
    }
    const sibling = after.get(cp.prev);
    if (sibling && sibling.position !== cp.position) {
      findings.add(null, `the signed checkpoints for chain entries ${sibling.position} and ${cp.position} follow the same one: ${TWO_HISTORIES}`);
      continue;
    }
    after.set(cp.prev, cp);
    pins.set(cp.position, cp);
  }
  return pins;
}

interface Walked {
  /** Entries verified before the first finding (all when none). */
  rows: number;
  /** The chain's last position. */
  end: number;
  unverified: number;
  /** The entries the sealer flagged (the first MAX_FINDINGS), and how many in all. */
  flagged: { seq: number; position: number; reason: string }[];
  flaggedCount: number;
}

const FLAG_REASONS: Record<AuditFlag, string> = {
  bad_mac: 'was not recorded by Bastion: its MAC was wrong when it was sealed (added to the database by hand)',
  missing: 'was removed while it waited to be sealed',
  dequeued: 'was taken out of the sealer\'s queue (deleted from audit_pending) before it was sealed',
  // Only as a no_mac flag on an event after the last one waiting when migration 016 ran (audit_legacy).
  no_mac: 'was not recorded by Bastion: it was sealed without a MAC, though recorded after migration 016 (added to the database by hand)',
};

/** Walks the whole chain, adding a finding for each entry that does not fit; returns those the sealer flagged. */
async function walkChain(db: Db, keys: AuditKeys, pins: Map<number, Checkpoint>, pageSize: number, findings: Findings): Promise<Walked> {
  const unmacUpTo = await lastUnmacSeq(db);
  let rows: number | null = null;
  let prevHash = GENESIS_HASH;
  let lastCheckpoint: { position: number; digest: string } | null = null;
  let expected = 1;
  let actorsSince: number | null = null;
  let unverified = 0;
  const flagged: Walked['flagged'] = [];
  let flaggedCount = 0;
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
      const broken = (firstBadSeq: number | null, reason: string) => {
        rows ??= expected - 1;
        findings.add(firstBadSeq, reason);
      };
      if (position !== expected) broken(null, expected === position - 1 ? `chain entry ${expected} is missing` : `chain entries ${expected} to ${position - 1} are missing`);
      const gone = flag !== 'missing' && (event.seq === null || event.type === null);
      if (gone) broken(seq, `event ${seq} (chain entry ${position}) was removed`);
      else if (entryHash(keys.chain, prevHash, position, { ...event, seq }, flag) !== chain_hash) broken(seq, `event ${seq} (chain entry ${position}) was changed`);
      if (gone) {
        // Nothing more to say of it.
      } else if (flag === null) {
        // Once actors are recorded, every later event has one: an event without is passed off as older.
        if (event.actor_kind === null && actorsSince !== null) broken(seq, `event ${seq} has no actor, though events before it have`);
        if (event.actor_kind !== null) actorsSince ??= position;
      } else if (flag === 'no_mac' && seq <= unmacUpTo) {
        unverified += 1;
      } else {
        flaggedCount += 1;
        if (flagged.length < MAX_FINDINGS) flagged.push({ seq, position, reason: FLAG_REASONS[flag] });
      }
      const pinned = pins.get(position);
      if (pinned !== undefined && pinned.hash !== chain_hash) broken(seq, `chain entry ${position} differs from the checkpoint: the chain was rewritten from there or before`);
      let here: ChainedCheckpoint | null = pinned?.prev === undefined ? null : (pinned as ChainedCheckpoint);
      if (stored !== null) {
        const signed = storedCheckpoint(keys, stored, { position, hash: chain_hash });
        if (!signed) broken(seq, `the checkpoint stored on chain entry ${position} is not one this installation signed for it`);
        else if (here && here.prev !== signed.prev) broken(seq, `the checkpoint given for chain entry ${position} differs from the one stored there: ${TWO_HISTORIES}`);
        else here = signed;
      }
      if (here) {
        if (here.prev !== (lastCheckpoint?.digest ?? GENESIS_HASH)) {
          const before = lastCheckpoint ? `the one on entry ${lastCheckpoint.position}` : 'none (the first one)';
          broken(seq, `the checkpoint on chain entry ${position} does not follow the checkpoint before it, ${before}: a checkpoint was removed, or ${TWO_HISTORIES}`);
        }
        lastCheckpoint = { position, digest: checkpointDigest(here) };
      }
      prevHash = chain_hash;
      expected = position + 1;
    }
    if (page.length < pageSize) break;
  }
  return { rows: rows ?? expected - 1, end: expected - 1, unverified, flagged, flaggedCount };
}

/** Every row of the sealer's queue names an event that exists, is not sealed yet and carries its MAC. */
async function checkQueue(db: Db, keys: AuditKeys, pageSize: number, findings: Findings): Promise<void> {
  const unmacUpTo = await lastUnmacSeq(db);
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
      after = seq;
      if (event.seq === null) findings.add(seq, `event ${seq} waits to be sealed but is gone: it was removed while it waited`);
      else if (position !== null) findings.add(seq, `event ${seq} waits to be sealed but is in chain entry ${position} already: a queue row written by hand`);
      else if (mac === null && seq > unmacUpTo) findings.add(seq, `event ${seq}, waiting to be sealed, has no MAC though it was recorded after migration 016: added to the database by hand`);
      else if (mac !== null && !macMatches(keys.event, event, mac)) findings.add(seq, `event ${seq}, waiting to be sealed, was not recorded by Bastion: its MAC is wrong (added to the database by hand)`);
    }
    if (page.length < pageSize) return;
  }
}

/** Events in no chain entry and not waiting for one (their queue row deleted before the sealer saw it). */
async function checkUnsealed(db: Db, findings: Findings): Promise<void> {
  const unsealed = await db
    .selectFrom('audit_events as e')
    .leftJoin('audit_chain as c', 'c.seq', 'e.seq')
    .leftJoin('audit_pending as p', 'p.seq', 'e.seq')
    .select('e.seq')
    .where('c.seq', 'is', null)
    .where('p.seq', 'is', null)
    .orderBy('e.seq')
    .limit(MAX_FINDINGS)
    .execute();
  for (const { seq } of unsealed) findings.add(Number(seq), `event ${seq} is in no chain entry and not waiting for one`);
}

/** Runs every check; a broken report gives the first finding and then all the others. */
export async function verifyChain(db: Db, keys: AuditKeys, checkpoints: Checkpoint[] = [], pageSize = 1000): Promise<ChainReport> {
  const pending = await db.selectFrom('audit_pending').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const waiting = Number(pending.n);
  const findings = new Findings();
  const pins = pinsOf(checkpoints, findings);
  const pinsDisagree = findings.list.length > 0;
  const walked = await walkChain(db, keys, pins, pageSize, findings);
  // A loop, not Math.max(...keys): a whole log's checkpoints overflow the call stack as arguments.
  let beyond = 0;
  for (const position of pins.keys()) if (position > beyond) beyond = position;
  if (beyond > walked.end) findings.add(null, `the chain ends at entry ${walked.end}, before the checkpoint's entry ${beyond}: entries were removed from its tail`);
  walked.flagged.forEach(({ seq, position, reason }, i) => {
    const inAll = i === 0 && walked.flaggedCount > 1 ? ` (${walked.flaggedCount} events flagged in all)` : '';
    findings.add(seq, `event ${seq} (chain entry ${position}) ${reason}${inAll}`);
  });
  await checkQueue(db, keys, pageSize, findings);
  await checkUnsealed(db, findings);
  const [first, ...also] = findings.list;
  if (!first) return walked.unverified > 0 ? { intact: true, rows: walked.rows, pending: waiting, unverified: walked.unverified } : { intact: true, rows: walked.rows, pending: waiting };
  if (findings.more > 0) also.push({ firstBadSeq: null, reason: `and ${findings.more} more finding(s)` });
  // Checkpoints that disagree say nothing of the entries: none is counted verified.
  return { intact: false, rows: pinsDisagree ? 0 : walked.rows, pending: waiting, ...first, also };
}
