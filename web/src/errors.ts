/** Human messages for every error code the API answers with (one map, used by every page). */
import { ApiError } from './api.ts';

const FIELD_NAMES: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  newPassword: 'New password',
  currentPassword: 'Current password',
  code: 'Code',
  token: 'Link',
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

/** The server names the field first ("email: must be a valid email address."); say it in words. */
function describeInvalidRequest(serverMessage: string): string {
  const match = /^([A-Za-z]+)(?:\.[\w.]+)?: (.+)$/.exec(serverMessage);
  if (match?.[1] && match[2]) return `${FIELD_NAMES[match[1]] ?? match[1]} ${match[2]}`;
  return `Please check what you entered. ${serverMessage}`;
}

type Describe = (error: ApiError) => string;

export const ERROR_MESSAGES: Record<string, string | Describe> = {
  invalid_request: (e) => describeInvalidRequest(e.message),
  invalid_json: 'The app sent a request the server could not read. Reload the page and try again.',
  payload_too_large: 'What you entered is too long.',
  unsupported_media_type: 'The app sent a request in a format the server does not accept. Reload the page and try again.',
  not_found: 'That was not found.',
  internal_error: 'Something went wrong on our side. Please try again in a moment.',
  csrf_rejected: 'This request was blocked because it did not come from the Bastion site. Reload the page and try again.',
  not_authenticated: 'Your session has ended. Please sign in again.',
  enroll_2fa_required: 'Set up two-factor authentication before you continue.',
  step_up_required: 'For your security, confirm it is you with a code from your authenticator app.',
  weak_password: (e) => e.message || 'Choose a stronger password.',
  invalid_credentials: 'The email or password is not right.',
  email_not_verified: 'Verify your email address before you sign in. We can send you a new verification email.',
  account_locked: (e) => {
    const until = typeof e.body.lockedUntil === 'string' ? new Date(e.body.lockedUntil) : null;
    return until && !Number.isNaN(until.getTime())
      ? `Your account is locked until ${until.toLocaleString()} after too many failed attempts.`
      : 'Your account is locked after too many failed attempts. Try again later.';
  },
  too_many_requests: (e) =>
    e.retryAfter !== undefined
      ? `Too many attempts. Please wait ${formatWait(e.retryAfter)} and try again.`
      : 'Too many attempts. Please wait a while and try again.',
  invalid_verification: 'That verification link or code is not valid. It may have expired, been used already, or been replaced by a newer email.',
  flow_expired: 'Your sign-in attempt expired. Please enter your email and password again.',
  invalid_code: 'That code is not right. Check it and try again.',
  invalid_token: 'This link is not valid. It may have expired or been used already.',
  second_factor_required: 'Enter a code from your authenticator app (or a backup code) to continue.',
  no_pending_setup: 'The authenticator setup expired. Start again to get a new QR code.',
  no_second_factor: 'Set up an authenticator app first.',
  weak_factor: 'This needs a code from your authenticator app; emailed and backup codes are not accepted here.',
  network_error: 'Cannot reach Bastion. Check your connection.',
};

/** The message to show for any failure: known codes from the map, else the server's own words. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const entry = ERROR_MESSAGES[error.code];
    if (typeof entry === 'function') return entry(error);
    if (entry) return entry;
    return error.message || 'Something went wrong. Please try again.';
  }
  return 'Something went wrong in the app. Reload the page and try again.';
}

/** The /locked page for an account_locked answer (with the unlock time when the server gave it). */
export function lockedPagePath(error: unknown): string {
  const until = error instanceof ApiError && typeof error.body.lockedUntil === 'string' ? error.body.lockedUntil : '';
  return `/locked?until=${encodeURIComponent(until)}`;
}
