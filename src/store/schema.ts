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
  /** Numbered by the database in the writer's transaction (no lock shared by writers). */
  seq: Generated<number>;
  at: number;
  type: string;
  /** The subject: whose account the event concerns. */
  user_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object with event-specific details (never secrets). */
  data: string;
  /** Who acted: user, staff, system or anonymous; null on rows from before actors were recorded. */
  actor_kind: 'user' | 'staff' | 'system' | 'anonymous' | null;
  /** The acting user's or staff member's id. */
  actor_id: string | null;
}

/** Events not yet sealed into the chain (audit/seal.ts empties it). */
export interface AuditPendingTable {
  /** The event's seq (a foreign key to audit_events). */
  seq: number;
  /** The event's MAC (audit/chain.ts eventMac), written by record(); null only on rows from before migration 016. */
  mac: string | null;
}

/**
 * The sealer's verdict on an event it could not vouch for: `no_mac`, waiting from before events had
 * MACs (migration 016, up to `audit_legacy.max_unmac_seq`), sealed unchecked; `bad_mac`, its MAC is
 * wrong or, recorded after 016, missing (added by hand: forged); `missing`, removed while it waited;
 * `dequeued`, its row in the sealer's queue was deleted before it was sealed.
 */
export type AuditFlag = 'no_mac' | 'bad_mac' | 'missing' | 'dequeued';

/** One row, written by migration 016: only events up to this seq waited without a MAC (sealed `no_mac`). Append-only. */
export interface AuditLegacyTable {
  id: Generated<number>;
  max_unmac_seq: number;
}

/** The keyed hash chain over the events, in the order they were sealed. Append-only. */
export interface AuditChainTable {
  position: number;
  seq: number;
  /** HMAC-SHA256 (AUDIT_KEY) over the previous entry's hash and this event's content (and its flag). */
  hash: string;
  /** Null for an event the sealer vouched for (its MAC was right, or sealed before MACs). */
  flag: AuditFlag | null;
  /** The signed checkpoint of the batch this entry ends (audit/checkpoint.ts); null on the others. */
  checkpoint: string | null;
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
  /** Attempts reserved and still being checked (not failures), until in_flight_until. */
  in_flight: Generated<number>;
  /** When the current group of reservations lapses: RESERVATION_LEASE_MS after its first. */
  in_flight_until: number | null;
}

export interface Database extends AccountTables, OidcTables {
  outbox: OutboxTable;
  dev_mail: DevMailTable;
  audit_events: AuditEventsTable;
  audit_pending: AuditPendingTable;
  audit_chain: AuditChainTable;
  audit_legacy: AuditLegacyTable;
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
  /** Set while the owner has frozen the account ("lock my account"). */
  frozen_at: number | null;
  /** The WebAuthn user handle (base64url of 32 random bytes), made at the first passkey. */
  webauthn_user_id: string | null;
  kyc_status: 'none' | 'pending' | 'verified' | 'rejected' | 'resubmission_requested';
  /** support or admin: a staff member (the staff console); null for customers. */
  staff_role: 'support' | 'admin' | null;
  /** Set while staff have locked the account; only staff lift it. */
  staff_locked_at: number | null;
  staff_lock_reason: string | null;
  staff_locked_by: string | null;
  /** The terms of service accepted (TERMS_VERSION) and when; null: none yet (accounts from before they were recorded). */
  terms_version: string | null;
  terms_accepted_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface LoginFlowsTable {
  /** SHA-256 of the flow id handed to the client. */
  id_hash: string;
  user_id: string;
  /** SHA-256 of the flow cookie: the flow works only in the browser that started it. */
  binding_hash: string;
  state: 'second_factor' | 'enroll' | 'confirm_device';
  failed_attempts: number;
  created_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
  /** New-device confirmation (its emailed code and link are single-use tokens): expiry, and when confirmed. */
  device_expires_at: number | null;
  device_confirmed_at: number | null;
  /** The second factor that was shown before the confirmation was asked for. */
  pending_method: string | null;
  /** 1 when the sign-in began with a passkey alone (both factors at once). */
  passwordless: number;
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
  purpose:
    | 'password_reset'
    | 'unlock'
    | 'freeze'
    | 'device_link'
    | 'device_code'
    | 'email_code'
    | 'email_verification'
    | 'email_verification_code'
    | 'email_change_code'
    | 'email_change_cancel'
    | 'two_factor_reset_status'
    | 'two_factor_reset_cancel'
    | 'withdrawal_address_confirm'
    | 'withdrawal_confirm';
  /** SHA-256 of a link token, or the peppered HMAC of a code (crypto/tokens.ts). */
  token_hash: string;
  /** What asked for it ("flow:<id hash>" …); null when only the account matters. */
  bound_to: string | null;
  expires_at: number;
  used_at: number | null;
  /** Wrong guesses of a code typed for an account (it dies at its purpose's limit). */
  failed_attempts: number;
  created_at: number;
}

export interface LoginActivityTable {
  id: string;
  user_id: string;
  at: number;
  ip: string;
  user_agent: string;
  /** "Chrome 126 on macOS", parsed from the user agent. */
  device: string;
  country: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  method: string | null;
  result: 'success' | 'wrong_password' | 'locked' | 'wrong_code' | 'device_pending' | 'frozen' | 'passkey_refused' | 'known_device_required';
  /** JSON array of the risk signals that fired. */
  risk_signals: string;
  /** What it was for: a sign-in, or a proof for something else (factors/types.ts Purpose). */
  purpose: 'sign_in' | 'step_up' | 'password_reset' | 'password_change' | 'recovery';
}

export interface KnownDevicesTable {
  id: string;
  user_id: string;
  /** SHA-256 of the long-lived device cookie. */
  device_hash: string;
  label: string;
  created_at: number;
  last_seen_at: number;
  last_ip: string | null;
  last_location: string | null;
}

export interface WithdrawalHoldsTable {
  id: string;
  user_id: string;
  reason: string;
  created_at: number;
  until: number;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  /** base64url credential id, as the browser reports it. */
  credential_id: string;
  /** base64url COSE public key (public: not sealed). */
  public_key: string;
  /** The authenticator's signature counter (0 for authenticators that do not count). */
  counter: number;
  /** JSON array of transports ("internal", "hybrid", "usb", …). */
  transports: string;
  aaguid: string;
  name: string;
  /** 1 when the credential is synced (backed up) by its provider. */
  backed_up: number;
  created_at: number;
  last_used_at: number | null;
  /** When the challenge of the last accepted use was issued: older challenges are stale. */
  last_challenge_at: number | null;
  /** Set when the credential may not be used any more (e.g. its counter went backwards). */
  disabled_at: number | null;
  disabled_reason: string | null;
}

export interface WebauthnChallengesTable {
  /** SHA-256 of the challenge: single-use, looked up from the signed client data. */
  challenge_hash: string;
  purpose: 'register' | 'second_factor' | 'passwordless' | 'step_up' | 'reset';
  /** What the ceremony belongs to: "session:<id>", "flow:<id hash>", "browser:<cookie hash>", "reset:<token id>". */
  bound_to: string;
  user_id: string | null;
  created_at: number;
  expires_at: number;
}

export interface KycCasesTable {
  id: string;
  user_id: string;
  status: 'pending' | 'verified' | 'rejected' | 'resubmission_requested';
  /** Sealed JSON {legalName, dateOfBirth, country, documentNumber}; null once erased. */
  details_sealed: string | null;
  document_type: 'passport' | 'national_id' | 'driving_licence';
  issuing_country: string;
  /** Keyed hash of the document number (search, duplicates); kept after erasure. */
  number_hash: string | null;
  /** JSON array of the items the reviewer asked to be sent again. */
  requested_items: string;
  /** The reviewer's message to the user (rejection reason, what to send again). */
  message: string | null;
  /** The staff member who decided last. */
  reviewed_by: string | null;
  /** The latest (re)submission: the queue is ordered by it. */
  submitted_at: number;
  decided_at: number | null;
  erased_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface TwoFactorResetsTable {
  id: string;
  user_id: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled' | 'completed';
  /** The new selfie holding the ID document: its vault id, file name and sealed key (null once shredded). */
  selfie_file_id: string;
  selfie_storage_name: string;
  selfie_key_sealed: string | null;
  selfie_width: number;
  selfie_height: number;
  /** The KYC case sent with the request, when the identity was not verified yet. */
  kyc_case_id: string | null;
  ip: string;
  device: string;
  place: string | null;
  /** JSON array of the request's risk signals. */
  risk_signals: string;
  submitted_at: number;
  /** When a staff member first opened it ("in review"). */
  viewed_at: number | null;
  reviewed_by: string | null;
  decided_at: number | null;
  /** The reviewer's reason, which the user sees. */
  reason: string | null;
  /** An approved reset is carried out at this time. */
  effective_at: number | null;
  completed_at: number | null;
  cancelled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface KycFilesTable {
  id: string;
  case_id: string;
  item: 'documentFront' | 'documentBack' | 'selfie';
  /** The file's name under KYC_STORAGE_DIR (random). */
  storage_name: string;
  /** The file's AES-256-GCM key, sealed by the keyring; null once crypto-shredded. */
  key_sealed: string | null;
  width: number;
  height: number;
  bytes: number;
  created_at: number;
  /** Set when a resubmission replaced it. */
  superseded_at: number | null;
  erased_at: number | null;
}

export interface LedgerAccountsTable {
  id: string;
  /** A user's id, or "platform". */
  owner: string;
  asset: string;
  kind: 'available' | 'held' | 'world' | 'fees' | 'market';
  /** Decimal integer string in the asset's smallest unit; equals the sum of the account's postings. */
  balance: string;
  version: number;
  created_at: number;
}

export interface JournalEntriesTable {
  id: string;
  kind: 'deposit' | 'trade' | 'withdrawal_hold' | 'withdrawal_post' | 'withdrawal_void' | 'reversal';
  user_id: string | null;
  reference: string;
  /** JSON object: what the entry is about (txid, quote, withdrawal); never a secret. */
  data: string;
  created_at: number;
}

export interface PostingsTable {
  id: string;
  entry_id: string;
  account_id: string;
  asset: string;
  /** Signed decimal integer string: a credit to the account is positive. */
  amount: string;
}

export interface LedgerHoldsTable {
  id: string;
  user_id: string;
  asset: string;
  amount: string;
  status: 'pending' | 'posted' | 'voided';
  pending_entry_id: string;
  resolved_entry_id: string | null;
  created_at: number;
  resolved_at: number | null;
}

export interface PricesTable {
  asset: string;
  /** USD per whole unit, a decimal string ("97000.12"). */
  usd: string;
  updated_at: number;
  updated_by: string;
}

export interface QuotesTable {
  id: string;
  user_id: string;
  from_asset: string;
  to_asset: string;
  /** What the user pays (from_asset units), the fee within it, and what they receive (to_asset units). */
  amount: string;
  fee: string;
  receive: string;
  /** The prices the quote was made at. */
  from_usd: string;
  to_usd: string;
  expires_at: number;
  accepted_at: number | null;
  created_at: number;
}

export interface DepositIndexesTable {
  user_id: string;
  idx: number;
  created_at: number;
}

export interface WithdrawalAddressesTable {
  id: string;
  user_id: string;
  asset: string;
  network: string;
  /** Canonical form: bech32 in lower case, EVM in EIP-55. */
  address: string;
  label: string;
  /** Set when the emailed link confirmed it; usable from `usable_from` (WHITELIST_ADDRESS_DELAY later). */
  confirmed_at: number | null;
  usable_from: number | null;
  created_at: number;
}

export interface WithdrawalSettingsTable {
  user_id: string;
  whitelist_only: number;
  /** Whitelist-only is being turned off: it takes effect at this time (cancellable until then). */
  off_effective_at: number | null;
  updated_at: number;
}

export type WithdrawalStatus = 'awaiting_confirmation' | 'queued' | 'sending' | 'broadcast' | 'completed' | 'cancelled' | 'expired' | 'failed';

export interface WithdrawalsTable {
  id: string;
  user_id: string;
  asset: string;
  network: string;
  /** Canonical form; `address_id` is the address-book entry it goes to, if any. */
  address: string;
  address_id: string | null;
  label: string | null;
  /** What arrives and the fee on top, in the asset's smallest unit (both held until it is sent or stops). */
  amount: string;
  fee: string;
  /** The USD value at the request, in cents (counted against the daily limit). */
  usd_cents: number;
  hold_id: string;
  status: WithdrawalStatus;
  idempotency_key: string | null;
  confirm_expires_at: number;
  confirmed_at: number | null;
  txid: string | null;
  broadcast_at: number | null;
  completed_at: number | null;
  ended_at: number | null;
  end_reason: string | null;
  created_at: number;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  claim_id: string;
  request_hash: string;
  status_code: number | null;
  /** The first answer's JSON body. */
  response: string | null;
  created_at: number;
}

export interface AccountTables {
  idempotency_keys: IdempotencyKeysTable;
  withdrawals: WithdrawalsTable;
  withdrawal_addresses: WithdrawalAddressesTable;
  withdrawal_settings: WithdrawalSettingsTable;
  ledger_accounts: LedgerAccountsTable;
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
  ledger_holds: LedgerHoldsTable;
  prices: PricesTable;
  quotes: QuotesTable;
  deposit_indexes: DepositIndexesTable;
  kyc_cases: KycCasesTable;
  kyc_files: KycFilesTable;
  two_factor_resets: TwoFactorResetsTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  login_activity: LoginActivityTable;
  known_devices: KnownDevicesTable;
  withdrawal_holds: WithdrawalHoldsTable;
  users: UsersTable;
  login_flows: LoginFlowsTable;
  sessions: SessionsTable;
  totp_credentials: TotpCredentialsTable;
  backup_codes: BackupCodesTable;
  one_time_tokens: OneTimeTokensTable;
}

/** Bastion as an OpenID Connect provider (migration 017, flows/oidc/). */
export interface OidcClientsTable {
  id: string;
  name: string;
  /** SHA-256 hex of a confidential client's secret; null for a public client (PKCE, no secret). */
  secret_hash: string | null;
  /** JSON arrays of exact URIs. */
  redirect_uris: string;
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string | null;
  /** JSON array: authorization_code, refresh_token, client_credentials. */
  grant_types: string;
  /** 1: a first-party app, which skips the consent screen. */
  first_party: number;
  created_at: number;
}

export interface OidcPayloadsTable {
  model: string;
  id: string;
  /** The provider's JSON payload. */
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  account_id: string | null;
  client_id: string | null;
  /** Milliseconds on the provider's clock; null: no expiry. */
  expires_at: number | null;
  consumed_at: number | null;
  /** The provider session (its uid) a token was issued through. */
  session_uid: string | null;
}

export interface OidcSigningKeysTable {
  kid: string;
  alg: 'ES256' | 'RS256';
  /** The private JWK, sealed with the keyring (context oidc_signing_key:<kid>). */
  private_jwk_sealed: string;
  created_at: number;
  retired_at: number | null;
}

/** A back-channel logout notice to send (or sent) to an app. */
export interface OidcLogoutsTable {
  id: string;
  client_id: string;
  /** The `sub` of the logout token. */
  account_id: string;
  sid: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  last_error: string | null;
}

/** The Bastion session a provider session (by its uid) rides on. */
export interface OidcSessionLinksTable {
  uid: string;
  account_id: string;
  bastion_session_id: string;
  created_at: number;
}

export interface OidcTables {
  oidc_logouts: OidcLogoutsTable;
  oidc_session_links: OidcSessionLinksTable;
  oidc_clients: OidcClientsTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_signing_keys: OidcSigningKeysTable;
}
