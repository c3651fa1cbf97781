/**
 * Words for the lost-2FA reset, shared by the login page's help, the request, status and cancel
 * pages and the staff console: the request's states and progress, the risk signals, and what a reset
 * involves. Typed over contracts/two-factor-reset.ts (a table missing a value fails `tsc -p web`).
 * The waits the pages state come from GET /api/app-info (useResetDurations in app-info.ts).
 */
import type { ResetProgress, ResetSignal, ResetState } from '../../../../src/contracts/two-factor-reset.ts';
import type { ResetDurations } from '../../app-info.ts';

/** The request's state as staff read it (filters, badges). */
export const RESET_STATE_LABELS: Record<ResetState, string> = {
  pending: 'Pending',
  approved: 'Approved (waiting)',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  completed: 'Completed',
};

export const RESET_STATE_BADGE: Record<ResetState, string> = {
  pending: 'badge-current',
  approved: 'badge-ok',
  rejected: 'badge-alert',
  cancelled: 'badge-muted',
  completed: 'badge-ok',
};

/** Where the request stands, as its owner reads it on the status page (approved adds its time). */
export const RESET_PROGRESS_WORDS: Record<ResetProgress, string> = {
  submitted: 'Submitted — waiting for review',
  in_review: 'In review',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  completed: 'Your second factors were reset — sign in to set up a new one',
};

/** Why staff should look twice, in words. */
export const RESET_SIGNAL_LABELS: Record<ResetSignal, string> = {
  new_device: 'New device',
  new_country: 'New country',
  impossible_travel: 'Impossible travel',
  recent_failures: 'Recent failed attempts',
  recent_email_change: 'Email changed recently',
  kyc_not_verified: 'Identity not verified',
};

/** One sentence on what a reset involves (the login page's help), with the installation's waits. */
export const resetInvolves = ({ delay, hold }: ResetDurations) =>
  `We check your identity with a new selfie of you holding your ID document, our team reviews the request, and once it is approved we wait ${delay} before your second factors are removed. Withdrawals are then held for ${hold}.`;

export const resetStatusPath = (token: string) => `/2fa-reset/status?token=${encodeURIComponent(token)}`;
export const resetRequestPath = (email: string) => (email.trim() ? `/2fa-reset?email=${encodeURIComponent(email.trim())}` : '/2fa-reset');
