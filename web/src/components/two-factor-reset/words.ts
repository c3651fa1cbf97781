/**
 * Words for the lost-2FA reset, shared by the login page's help, the request, status and cancel
 * pages and the staff console: the request's states and progress, the risk signals, and the waits
 * the pages state. Typed over contracts/two-factor-reset.ts (a table missing a value fails `tsc -p web`).
 */
import type { ResetProgress, ResetSignal, ResetState } from '../../../../src/contracts/two-factor-reset.ts';

/**
 * TWO_FA_RESET_DELAY and the withdrawal hold after a reset, as the pages say them. GET
 * /api/app-info does not report them (yet), so these are the server's defaults.
 */
export const RESET_DELAY = '48 hours';
export const RESET_WITHDRAWAL_HOLD = '48 hours';

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

/** One sentence on what a reset involves (the login page's help and the request page's intro). */
export const RESET_INVOLVES = `We check your identity with a new selfie of you holding your ID document, our team reviews the request, and once it is approved we wait ${RESET_DELAY} before your second factors are removed. Withdrawals are then held for ${RESET_WITHDRAWAL_HOLD}.`;

export const resetStatusPath = (token: string) => `/2fa-reset/status?token=${encodeURIComponent(token)}`;
export const resetRequestPath = (email: string) => (email.trim() ? `/2fa-reset?email=${encodeURIComponent(email.trim())}` : '/2fa-reset');
