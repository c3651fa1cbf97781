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

export interface Database extends AccountTables {
  outbox: OutboxTable;
  dev_mail: DevMailTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  rate_windows: RateWindowsTable;
  lockouts: LockoutsTable;
}

export type { Generated };

export interface UsersTable {
  id: string;
  /** Trimmed and lower-cased: unique regardless of case. */
  email: string;
  password_hash: string;
  email_verified_at: number | null;
  password_changed_at: number | null;
  kyc_level: number;
  /** Sealed anti-phishing code (security center), null when not set. */
  anti_phishing_sealed: string | null;
  created_at: number;
  updated_at: number;
}

export interface EmailVerificationsTable {
  id: string;
  user_id: string;
  token_hash: string;
  code_hash: string;
  link_expires_at: number;
  code_expires_at: number;
  code_attempts: number;
  created_at: number;
}

export interface LoginFlowsTable {
  /** SHA-256 of the flow id handed to the client. */
  id_hash: string;
  user_id: string;
  /** SHA-256 of the flow cookie: the flow works only in the browser that started it. */
  binding_hash: string;
  state: 'second_factor' | 'enroll';
  failed_attempts: number;
  email_code_hash: string | null;
  email_code_expires_at: number | null;
  created_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  /** 1 while the account has no second factor: the session may only enroll one. */
  restricted: number;
  /** How the session was established: password+totp, password+email_code, … */
  auth_method: string;
  /** Last time a strong factor (TOTP, passkey) was shown in this session. */
  step_up_at: number | null;
  created_at: number;
  last_active_at: number;
  expires_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface TotpCredentialsTable {
  id: string;
  user_id: string;
  secret_sealed: string;
  /** Highest time step accepted: a code is never accepted twice. */
  last_used_step: number | null;
  confirmed_at: number | null;
  created_at: number;
}

export interface BackupCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

export interface OneTimeTokensTable {
  id: string;
  user_id: string;
  purpose: 'password_reset' | 'unlock';
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface AccountTables {
  users: UsersTable;
  email_verifications: EmailVerificationsTable;
  login_flows: LoginFlowsTable;
  sessions: SessionsTable;
  totp_credentials: TotpCredentialsTable;
  backup_codes: BackupCodesTable;
  one_time_tokens: OneTimeTokensTable;
}
