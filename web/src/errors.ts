/** Turning any failure into the words a page shows (the messages themselves are in error-messages.ts). */
import { ApiError } from './api.ts';
import { describeApiError, describeCode } from './error-messages.ts';
import { PasskeyError } from './passkeys.ts';

export { ERROR_MESSAGES, formatWait } from './error-messages.ts';

/** The message to show for any failure: known codes from the map, else the server's own words. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return describeApiError(error);
  if (error instanceof PasskeyError) return describeCode(error.code);
  return 'Something went wrong in the app. Reload the page and try again.';
}

/** The /locked page for an account_locked answer (with the unlock time when the server gave it). */
export function lockedPagePath(error: unknown): string {
  const until = error instanceof ApiError && typeof error.body.lockedUntil === 'string' ? error.body.lockedUntil : '';
  return `/locked?until=${encodeURIComponent(until)}`;
}
