/**
 * The shape of every table, as Kysely sees it. Columns are in snake_case, as in the migrations.
 * Timestamps: integer milliseconds since the epoch. Flags: 0/1.
 */
import type { Generated } from 'kysely';

export interface OutboxTable {
  id: string;
  template: string;
  recipient: string;
  subject: string;
  /** Sealed JSON {html, text}: mail often carries one-time links. Cleared once delivered. */
  body_sealed: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  /** Set while one worker is sending it, so two nodes never send the same message. */
  claimed_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface DevMailTable {
  id: string;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  created_at: number;
}

export interface AuditEventsTable {
  seq: number;
  at: number;
  type: string;
  user_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object with event-specific details (never secrets). */
  data: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface RateWindowsTable {
  key: string;
  window_start: number;
  count: number;
  expires_at: number;
}

export interface LockoutsTable {
  key: string;
  attempts: number;
  lock_count: number;
  locked_until: number | null;
  updated_at: number;
}

export interface Database {
  outbox: OutboxTable;
  dev_mail: DevMailTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  rate_windows: RateWindowsTable;
  lockouts: LockoutsTable;
}

export type { Generated };
