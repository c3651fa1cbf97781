/**
 * Security events: `record(tx, event)` appends to an append-only table in the caller's transaction,
 * with a MAC (a key kept out of the database) beside its place in the sealer's queue. A sealer
 * (seal.ts) then chains them with another such key and logs a signed checkpoint (checkpoint.ts);
 * `verifyChain` (verify.ts) reports an event changed, removed or added by hand, and, held to a
 * checkpoint, a tail removed.
 *
 * Every event says who acted (the actor: the account's user, a staff member, the system, or someone
 * who has not proved who they are) apart from whose account it concerns (the subject, `user_id`).
 * The chain covers both. Rows written before actors were recorded have no actor.
 */
import type { Logger } from 'pino';
import type { ClientInfo } from '../client/client-info.ts';
import type { Clock } from '../clock.ts';
import { inTransaction, type Db, type Store, type Tx } from '../store/database.ts';
import type { AuditKeys } from './chain-keys.ts';
import { eventMac } from './chain.ts';
import { createSealer } from './seal.ts';

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

export interface Audit {
  /** Appends the event in the caller's transaction; it waits there for the sealer (seal.ts). */
  record(tx: Tx, event: AuditEvent): Promise<void>;
  /** Seals every event waiting into the chain; the latest signed checkpoint, or null when none was waiting. Throws SealRefused (seal.ts) when the chain does not extend the last checkpoint. */
  seal(): Promise<string | null>;
  readonly keys: AuditKeys;
}

export function createAudit(options: { clock: Clock; store: Store; keys: AuditKeys; log: Logger }): Audit {
  const { clock, store, keys, log } = options;
  return {
    keys,
    async record(tx, event) {
      // As the database gives them back, so the MAC over them holds (data is JSON: escaped already).
      const row = {
        at: clock.now(),
        type: wellFormed(event.type),
        user_id: wellFormed(event.subject),
        ip: wellFormed(event.client?.ip ?? null),
        user_agent: event.client?.userAgent ? wellFormed(event.client.userAgent.slice(0, 512)) : null,
        data: JSON.stringify(event.data ?? {}),
        actor_kind: event.actor.kind,
        actor_id: wellFormed(actorId(event.actor)),
      };
      // No shared row is touched: writers on every node append side by side.
      const { seq } = await tx.insertInto('audit_events').values(row).returning('seq').executeTakeFirstOrThrow();
      await tx.insertInto('audit_pending').values({ seq: Number(seq), mac: eventMac(keys.event, { ...row, seq }) }).execute();
    },
    seal: createSealer(store, keys, log),
  };
}

/** Text as the database gives it back: UTF-8, a lone surrogate turned U+FFFD. */
function wellFormed<T extends string | null>(text: T): T {
  return (text === null ? null : Buffer.from(text, 'utf8').toString('utf8')) as T;
}

/** Records an event that changes nothing else (a read: staff looking at an account or a document) in a transaction of its own. */
export function recordAlone(db: Db, audit: Audit, event: AuditEvent): Promise<void> {
  return inTransaction(db, (tx) => audit.record(tx, event));
}
