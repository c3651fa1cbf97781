/**
 * One entry of the keyed chain: its hash is HMAC-SHA256 (the chain key) over the previous entry's
 * hash and this entry's position and event. The position is covered, so entries cannot be dropped
 * and renumbered; every field of the event is covered, actor included.
 */
import { createHmac } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from '../store/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

export type StoredEvent = Selectable<AuditEventsTable>;

export function entryHash(key: Buffer, prevHash: string, position: number, event: StoredEvent): string {
  const content = JSON.stringify([
    position,
    Number(event.seq),
    Number(event.at),
    event.type,
    event.user_id,
    event.ip,
    event.user_agent,
    event.data,
    event.actor_kind,
    event.actor_id,
  ]);
  return createHmac('sha256', key).update(prevHash).update('\n').update(content).digest('hex');
}
