/**
 * Human messages for every error code (used by every page through errors.ts): one map typed over the
 * server's list of codes (src/errors/codes.ts), so a server code without a message here fails
 * `tsc -p web`, and one for the codes the web app raises itself (no server answer behind them).
 * Pure data and string functions, no browser APIs.
 */
import type { ErrorCode } from '../../src/errors/codes.ts';

/** Codes raised in the browser: an unreachable server (api.ts) and passkey ceremonies (passkeys.ts). */
export type ClientErrorCode = 'network_error' | 'passkey_unsupported' | 'passkey_cancelled' | 'passkey_unsuitable' | 'passkey_aborted' | 'passkey_failed';

/** What a message needs to know about a failed API call (ApiError has this shape). */
export interface ErrorDetails {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** The whole error body, for details such as retryAfter, lockedUntil or rule. */
  readonly body: Record<string, unknown>;
  /** Seconds to wait before trying again, when the server said. */
  readonly retryAfter?: number | undefined;
}

export type Describe = (error: ErrorDetails) => string;

const FIELD_NAMES: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  newPassword: 'New password',
  currentPassword: 'Current password',
  newEmail: 'New email address',
  code: 'Code',
  emailCode: 'Code from your email',
  token: 'Link',
  // Identity verification (the multipart fields of POST /api/kyc)
  legalName: 'Legal name',
  dateOfBirth: 'Date of birth',
  country: 'Country of residence',
  documentType: 'Document type',
  documentNumber: 'Document number',
  issuingCountry: 'Issuing country',
  documentFront: 'Front of your document',
  documentBack: 'Back of your document',
  selfie: 'Selfie',
  // Money (quotes, test money)
  amount: 'Amount',
  from: 'Pay with',
  to: 'Receive',
  asset: 'Asset',
  // The staff console
  reason: 'Reason',
  items: 'What to send again',
  query: 'Search',
};

/** "5 seconds", "3 minutes", "2 hours". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return plural(Math.ceil(seconds / 60), 'minute');
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.ceil((seconds % 3600) / 60);
  return minutes ? `${plural(hours, 'hour')} ${plural(minutes, 'minute')}` : plural(hours, 'hour');
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A message that names its field first ("selfie: is not an image"), with the field in words. */
function withFieldName(serverMessage: string): string {
  const match = /^([A-Za-z]+): (.+)$/.exec(serverMessage);
  const name = match?.[1] ? FIELD_NAMES[match[1]] : undefined;
  return name && match?.[2] ? `${name}: ${match[2]}` : serverMessage;
}

/** The server names the field first ("email: must be a valid email address."); say it in words. */
function describeInvalidRequest(serverMessage: string): string {
  const match = /^([A-Za-z]+)(?:\.[\w.]+)?: (.+)$/.exec(serverMessage);
  if (match?.[1] && match[2]) return `${FIELD_NAMES[match[1]] ?? match[1]} ${match[2]}`;
  return `Please check what you entered. ${serverMessage}`;
}

/** Every code the API answers with (src/errors/codes.ts). */
const SERVER_MESSAGES: Record<ErrorCode, string | Describe> = {
  invalid_request: (e) => describeInvalidRequest(e.message),
  invalid_json: 'The app sent a request the server could not read. Reload the page and try again.',
  payload_too_large: 'What you entered is too long.',
  unsupported_media_type: 'The app sent a request in a format the server does not accept. Reload the page and try again.',
  not_found: 'That was not found.',
  internal_error: 'Something went wrong on our side. Please try again in a moment.',
  terms_not_accepted: 'Please accept the Terms of Service to continue.',
  terms_version_outdated: 'The Terms of Service changed meanwhile. Please read and accept the current version.',
  not_ready: 'Bastion is starting up or under maintenance. Please try again in a moment.',
  metrics_token_required: 'The metrics need their access token.',
  csrf_rejected: 'This request was blocked because it did not come from the Bastion site. Reload the page and try again.',
  not_authenticated: 'Your session has ended. Please sign in again.',
  enroll_2fa_required: 'Set up two-factor authentication before you continue.',
  step_up_required: 'For your security, confirm it is you with your passkey or a code from your authenticator app.',
  weak_password: (e) => e.message || 'Choose a stronger password.',
  invalid_credentials: 'The email or password is not right.',
  email_not_verified: 'Verify your email address before you sign in. We can send you a new verification email.',
  attempt_in_progress: 'Other attempts with these details are still being checked. Try again in a moment.',
  account_locked: (e) => {
    const until = typeof e.body.lockedUntil === 'string' ? new Date(e.body.lockedUntil) : null;
    return until && !Number.isNaN(until.getTime())
      ? `Your account is locked until ${until.toLocaleString()} after too many failed attempts.`
      : 'Your account is locked after too many failed attempts. Try again later.';
  },
  known_device_required: 'This device has not signed in to your account before, so an emailed code is not enough here. Use your passkey, your authenticator app or a backup code.',
  factor_locked:
    'This way of confirming it is you is locked after too many wrong attempts in a row. Use another of your methods (your passkey or authenticator app lifts the lock), or use “Lost your 2FA device?”.',
  too_many_requests: (e) =>
    e.retryAfter !== undefined
      ? `Too many attempts. Please wait ${formatWait(e.retryAfter)} and try again.`
      : 'Too many attempts. Please wait a while and try again.',
  invalid_verification: 'That verification link or code is not valid. It may have expired, been used already, or been replaced by a newer email.',
  flow_expired: 'Your sign-in attempt expired. Please enter your email and password again.',
  invalid_code: 'That code is not right. Check it and try again.',
  invalid_token: 'This link is not valid. It may have expired or been used already.',
  second_factor_required: 'Confirm it is you with your passkey, a code from your authenticator app or a backup code to continue.',
  no_pending_setup: 'The authenticator setup expired. Start again to get a new QR code.',
  no_second_factor: 'Set up a passkey or an authenticator app first.',
  account_frozen: (e) => {
    const after = typeof e.body.unlockableAfter === 'string' ? new Date(e.body.unlockableAfter) : null;
    return after && !Number.isNaN(after.getTime())
      ? `You locked this account yourself. You can unlock it after ${after.toLocaleString()} by signing in with your password and authenticator app.`
      : 'You locked this account yourself. You can unlock it later by signing in with your password and authenticator app.';
  },
  strong_factor_required: 'To unlock your account, use your passkey or a code from your authenticator app. Emailed and backup codes do not work for this.',
  device_not_confirmed: 'This device is not confirmed yet. Open the link in the email we sent, or enter the code from it.',
  invalid_anti_phishing_code: 'Use 4 to 20 letters, digits, _ or - for your anti-phishing code.',
  invalid_cursor: 'That list could not be continued from where it left off. Reload the page to see it from the start.',
  account_locked_by_staff: 'Support has locked this account. Contact support to have it unlocked.',
  account_not_locked: (e) => e.message,
  email_unavailable: 'That email address cannot be used. Choose another one.',
  message_already_sent: 'That email was delivered already.',
  file_missing: (e) => withFieldName(e.message),
  file_not_image: (e) => withFieldName(e.message),
  file_too_large: (e) => withFieldName(e.message),
  image_too_small: (e) => withFieldName(e.message),
  image_too_large: (e) => withFieldName(e.message),
  image_corrupt: (e) => withFieldName(e.message),
  underage: 'You must be 18 or older to verify your identity.',
  kyc_in_progress: 'Your identity verification is already under review or complete.',
  kyc_no_resubmission: (e) => withFieldName(e.message),
  kyc_case_closed: 'This case has already been decided. Reload to see its outcome.',
  staff_only: 'This page is for staff only.',
  staff_step_up_required: 'Confirm it is you with your passkey or authenticator app to use the staff console.',
  staff_permission_denied: 'Your staff role does not allow this action.',
  staff_own_account: 'You cannot decide on your own case or unlock your own account. Ask another staff member.',
  kyc_set_required: 'Your identity is not verified yet: add your document details and photos to this request.',
  two_factor_not_enrolled: 'Your account has no second factor to reset. Sign in and set one up.',
  two_factor_reset_open: 'You already have a reset request open. Follow it from the link in our email.',
  two_factor_reset_limit: (e) => {
    const at = typeof e.body.retryAt === 'string' ? new Date(e.body.retryAt) : null;
    if (at && !Number.isNaN(at.getTime())) return `This account has asked for 3 resets in 30 days. You can ask for another after ${at.toLocaleString()}.`;
    return e.retryAfter !== undefined
      ? `This account has asked for 3 resets in 30 days. You can ask for another in ${formatWait(e.retryAfter)}.`
      : e.message || 'This account has asked for 3 resets in 30 days. Please wait before asking again.';
  },
  two_factor_reset_closed: 'This request has already been decided, cancelled or carried out. Reload to see where it stands.',
  insufficient_funds: (e) => e.message,
  hold_resolved: 'These funds were already released or sent. Reload to see where they stand.',
  unknown_asset: 'That asset is not available here.',
  invalid_amount: (e) => withFieldName(e.message),
  price_unavailable: 'Prices are not available right now. Try again in a moment.',
  quote_expired: 'That price has expired. Get a new quote.',
  quote_used: 'That quote was already used. Get a new one.',
  idempotency_key_reused: 'That request was already sent with different details. Start again.',
  idempotency_in_progress: 'Your previous attempt is still being processed. Wait a moment and reload.',
  deposit_mismatch: (e) => e.message,
  invalid_address: (e) => withFieldName(e.message),
  address_exists: 'That address is already in your address book for this asset.',
  strength_unavailable: 'The strength meter is busy. It will update in a moment.',
  request_timeout: 'The connection was too slow. Check your network and try again.',
  headers_too_large: 'Your browser sent too much data (often too many cookies). Clear this site’s cookies and try again.',
  uri_too_long: 'That address is too long.',
  withdrawals_locked: (e) => e.message,
  withdrawal_limit_exceeded: (e) => e.message,
  address_not_whitelisted: 'Whitelist-only withdrawals are on: choose a usable address from your address book.',
  address_not_usable: (e) => e.message,
  withdrawal_not_cancellable: 'This withdrawal can no longer be cancelled: it was sent already or has ended.',
  withdrawal_state: (e) => e.message,
  two_factor_reset_kyc_unverified: 'Verify this applicant’s identity in the KYC queue before approving the reset.',

  // Passkeys
  passkey_rejected: 'That passkey could not be added. Try again, or use another device or security key.',
  passkey_exists: 'This passkey is already added to your account.',
  passkey_not_found: 'That passkey was not found. It may have been deleted already.',
  last_strong_factor:
    'This is your last way to confirm it is you (no other passkey and no authenticator app), so it cannot be deleted. Add another passkey or an authenticator app first.',
  challenge_expired: 'The passkey request expired. Please try again.',
  invalid_passkey: 'That passkey was not accepted. Try again, or choose another way to confirm it is you.',
  no_passkey: 'This account has no passkey. Choose another way to confirm it is you.',
  passkeys_unavailable: 'Passkeys are not available on this site (it is not served securely on a domain name). Choose another way.',
  reauthentication_required: 'For your safety, sign out and sign in again before adding a passkey or an authenticator app.',
  password_required: 'You locked this account. To unlock it, sign in with your email and password, then your passkey or authenticator app.',
  invalid_client_metadata: 'This app could not be registered as given.',
  oidc_interaction_expired: 'This sign-in request has expired. Go back to the app and sign in again.',
  oidc_client_not_found: 'That app is not connected to your account any more.',
};

/** The codes the web app raises itself. */
const CLIENT_MESSAGES: Record<ClientErrorCode, string | Describe> = {
  network_error: 'Cannot reach Bastion. Check your connection.',
  // Passkey ceremonies in the browser (web/src/passkeys.ts).
  passkey_unsupported: 'This browser cannot use passkeys. Choose another way, or use an up-to-date browser.',
  passkey_cancelled: 'The passkey request was cancelled or timed out. You can try again when you are ready.',
  passkey_unsuitable: 'This device or security key cannot be used here: it must be able to check it is you, with a PIN, fingerprint or face.',
  passkey_aborted: 'The passkey request was stopped. You can try again.',
  passkey_failed: 'Something went wrong with the passkey. Please try again.',
};

/** Both maps in one, for looking a code up. */
export const ERROR_MESSAGES: Readonly<Record<ErrorCode | ClientErrorCode, string | Describe>> = { ...SERVER_MESSAGES, ...CLIENT_MESSAGES };

/** The entry for a code (undefined for a code this app does not know, e.g. from a newer server). */
const entryFor = (code: string): string | Describe | undefined =>
  Object.hasOwn(ERROR_MESSAGES, code) ? ERROR_MESSAGES[code as ErrorCode | ClientErrorCode] : undefined;

/** The message for a failed API call: the map's entry, else the server's own words. */
export function describeApiError(error: ErrorDetails): string {
  const entry = entryFor(error.code);
  if (typeof entry === 'function') return entry(error);
  if (entry) return entry;
  return error.message || 'Something went wrong. Please try again.';
}

/** The message for a code raised in the browser (no server answer behind it), e.g. passkey_cancelled. */
export function describeCode(code: ErrorCode | ClientErrorCode): string {
  return describeApiError({ status: 0, code, message: '', body: {} });
}
