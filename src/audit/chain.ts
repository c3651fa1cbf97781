/**
 * What the audit log's MACs cover. An event's canonical content is its fields in a fixed order,
 * seq included (an event copied to another seq does not carry its MAC along).
 * - Its MAC (`record()` writes it beside the seq in `audit_pending`): HMAC-SHA256 with the event
 *   key over that content. The sealer checks it before the event goes into the chain.
 * - A chain entry's hash: HMAC-SHA256 (the chain key) over the previous entry's hash and this
 *   entry's position and event. The position is covered, so entries cannot be dropped and
 *   renumbered; every field of the event is covered, actor included; and so is the sealer's
 *   verdict (`flag`) on an event it could not vouch for, so it cannot be turned into a genuine one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../store/database.ts';
import type { AuditEventsTable, AuditFlag } from '../store/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

export type StoredEvent = Selectable<AuditEventsTable>;
/** An event as a left join reads it: every field null when the event is gone. */
export type EventContent = { [K in keyof StoredEvent]: StoredEvent[K] | null };

/** An event's columns, read from `audit_events as e`: what its MAC and its chain entry cover. */
export const EVENT_COLUMNS = ['e.seq', 'e.at', 'e.type', 'e.user_id', 'e.ip', 'e.user_agent', 'e.data', 'e.actor_kind', 'e.actor_id'] as const;

const fields = (event: EventContent) => [
  event.seq === null ? null : Number(event.seq),
  event.at === null ? null : Number(event.at),
  event.type,
  event.user_id,
  event.ip,
  event.user_agent,
  event.data,
  event.actor_kind,
  event.actor_id,
];

const hmac = (key: Buffer, ...parts: string[]) => parts.reduce((h, part) => h.update(part), createHmac('sha256', key)).digest('hex');

/** The MAC `record()` writes for an event (seq as the database numbered it). */
export function eventMac(key: Buffer, event: EventContent): string {
  return hmac(key, JSON.stringify(fields(event)));
}

/** True when a stored MAC is the event's (in constant time). */
export function macMatches(key: Buffer, event: EventContent, mac: string): boolean {
  const expected = Buffer.from(eventMac(key, event));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A genuine entry's content is unchanged since chains began; a flagged one's ends with its flag. */
export function entryHash(key: Buffer, prevHash: string, position: number, event: EventContent, flag: AuditFlag | null = null): string {
  const content = [position, ...fields(event), ...(flag === null ? [] : [flag])];
  return hmac(key, prevHash, '\n', JSON.stringify(content));
}

/** The last seq that waited without a MAC when migration 016 ran: no event after it may be sealed unchecked. */
export async function lastUnmacSeq(db: Db): Promise<number> {
  const legacy = await db.selectFrom('audit_legacy').select('max_unmac_seq').executeTakeFirst();
  return Number(legacy?.max_unmac_seq ?? 0);
}
