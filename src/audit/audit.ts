/**
 * Security events: `record(tx, event)` appends to an append-only table in the caller's transaction.
 * Each row carries SHA-256(previous hash + this row's content): a hash chain. Changing or removing
 * a row breaks the chain from that row on, which `verifyChain` reports.
 *
 * Every event says who acted (the actor: the account's user, a staff member, the system, or someone
 * who has not proved who they are) apart from whose account it concerns (the subject, `user_id`).
 * The hash covers both. Rows written before actors were recorded have no actor and keep the hash
 * they were written with, so chains from before still verify.
 */
import { createHash } from 'node:crypto';
import type { ClientInfo } from '../client/client-info.ts';
import type { Clock } from '../clock.ts';
import { inTransaction, type Db, type Tx } from '../store/database.ts';
import type { AuditEventsTable } from '../store/schema.ts';

/** Who did it. `anonymous`: a request that has not proved whose it is (a wrong password, a reset request). */
export type Actor = { kind: 'user'; id: string } | { kind: 'staff'; id: string } | { kind: 'system' } | { kind: 'anonymous' };

export interface AuditEvent {
  type: string;
  actor: Actor;
  /** Whose account the event concerns; null when there is none (a sign-in for an unknown address). */
  subject: string | null;
  /** The request's client (IP and user agent), when a request caused it. */
  client?: ClientInfo | null;
  /** Event details. Never put secrets here (passwords, tokens, codes). */
  data?: Record<string, unknown>;
}

/** A staff member as the actor (the staff console). */
export type StaffActor = Extract<Actor, { kind: 'staff' }>;

/** The acting user's or staff member's id; null for the system or someone unknown. */
export const actorId = (actor: Actor): string | null => ('id' in actor ? actor.id : null);

/** A signed-in (or inbox-proven) user as the actor. */
export const userActor = (userId: string): Actor => ({ kind: 'user', id: userId });
export const SYSTEM: Actor = { kind: 'system' };
export const ANONYMOUS: Actor = { kind: 'anonymous' };

/** The account's own user acting on it. */
export const self = (userId: string) => ({ actor: userActor(userId), subject: userId });
/** Someone who has not proved who they are, about an account (or none). */
export const anonymous = (subject: string | null) => ({ actor: ANONYMOUS, subject });
/** Bastion itself (a lock after failed attempts, a passkey disabled as a copy). */
export const bySystem = (subject: string | null) => ({ actor: SYSTEM, subject });

/** A row's content: everything the hash covers. */
export type AuditRow = Omit<AuditEventsTable, 'prev_hash' | 'hash'>;

export const GENESIS_HASH = '0'.repeat(64);

export function rowHash(prevHash: string, row: AuditRow): string {
  const fields: unknown[] = [row.seq, row.at, row.type, row.user_id, row.ip, row.user_agent, row.data];
  // A row from before actors were recorded is hashed as it was written; any actor field is covered.
  if (row.actor_kind !== null || row.actor_id !== null) fields.push(row.actor_kind, row.actor_id);
  const content = JSON.stringify(fields);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export interface Audit {
  record(tx: Tx, event: AuditEvent): Promise<void>;
}

export function createAudit(clock: Clock): Audit {
  return {
    async record(tx, event) {
      // Advancing the head first takes its row lock (PostgreSQL): concurrent writers queue here,
      // so each sees the hash the previous one wrote. SQLite transactions are serial already.
      const head = await tx
        .updateTable('audit_head')
        .set((eb) => ({ seq: eb('seq', '+', 1) }))
        .where('id', '=', 1)
        .returning(['seq', 'hash'])
        .executeTakeFirstOrThrow();
      const row: AuditRow = {
        seq: Number(head.seq),
        at: clock.now(),
        type: event.type,
        user_id: event.subject,
        ip: event.client?.ip ?? null,
        user_agent: event.client?.userAgent ? event.client.userAgent.slice(0, 512) : null,
        data: JSON.stringify(event.data ?? {}),
        actor_kind: event.actor.kind,
        actor_id: actorId(event.actor),
      };
      const hash = rowHash(head.hash, row);
      await tx.insertInto('audit_events').values({ ...row, prev_hash: head.hash, hash }).execute();
      await tx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
    },
  };
}

/** Records an event that changes nothing else (a read: staff looking at an account or a document) in a transaction of its own. */
export function recordAlone(db: Db, audit: Audit, event: AuditEvent): Promise<void> {
  return inTransaction(db, (tx) => audit.record(tx, event));
}

export type ChainReport =
  | { intact: true; rows: number }
  | { intact: false; rows: number; firstBadSeq: number; reason: string };

/** Walks the whole chain in order, a page at a time, and reports the first row that does not fit. */
export async function verifyChain(db: Db, pageSize = 1000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  let actorsSince: number | null = null;
  for (;;) {
    const page = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const stored of page) {
      const seq = Number(stored.seq);
      if (seq !== expectedSeq) {
        return { intact: false, rows, firstBadSeq: expectedSeq, reason: `row ${expectedSeq} is missing` };
      }
      if (stored.prev_hash !== prevHash) {
        return { intact: false, rows, firstBadSeq: seq, reason: `row ${seq} does not follow row ${seq - 1}` };
      }
      const expected = rowHash(prevHash, { ...stored, seq, at: Number(stored.at) });
      if (expected !== stored.hash) {
        return { intact: false, rows, firstBadSeq: seq, reason: `row ${seq} was changed` };
      }
      // Once actors are recorded, every later row has one: a row without is passed off as older.
      if (stored.actor_kind === null && actorsSince !== null) {
        return { intact: false, rows, firstBadSeq: seq, reason: `row ${seq} has no actor, though rows before it have` };
      }
      if (stored.actor_kind !== null) actorsSince ??= seq;
      prevHash = stored.hash;
      expectedSeq = seq + 1;
      rows++;
    }
    if (page.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  if (Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash) {
    return { intact: false, rows, firstBadSeq: expectedSeq, reason: `rows after ${expectedSeq - 1} were removed` };
  }
  return { intact: true, rows };
}
