/** Words for times, sign-in results, methods and risk signals in the security center. */

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday"; anything under a minute (or slightly ahead of this clock) is "just now". */
export function relativeTime(iso: string, now = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '';
  const seconds = (now - then) / 1000;
  if (seconds < 60) return 'just now';
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return RELATIVE.format(-Math.floor(seconds / size), unit);
  }
  return 'just now';
}

/** The local date and time, e.g. "3 Jul 2025, 14:05". */
export function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** What happened, in words. */
export const RESULT_WORDS: Record<string, string> = {
  success: 'Signed in',
  wrong_password: 'Wrong password',
  wrong_code: 'Wrong code',
  passkey_refused: 'Passkey refused',
  locked: 'Refused: account was locked',
  device_pending: 'Stopped until the device is confirmed by email',
  frozen: 'Refused: you had locked the account',
  known_device_required: 'Refused: a new device needs your passkey, authenticator app or a backup code',
};

/** What an attempt was for, when not a sign-in. */
const PURPOSE_WORDS: Record<string, string> = {
  sign_in: 'Signing in',
  step_up: 'Confirming a sensitive action',
  password_reset: 'Resetting the password',
  password_change: 'Changing the password',
  recovery: 'Recovering the account (lost 2FA device)',
};
export const purposeWords = (purpose: string) => PURPOSE_WORDS[purpose] ?? purpose.replace(/_/g, ' ');

export const resultWords = (result: string) => RESULT_WORDS[result] ?? result.replace(/_/g, ' ');

/** The badge for an attempt that did not sign in (none for a success). */
export function resultBadge(result: string): string | null {
  switch (result) {
    case 'success':
      return null;
    case 'wrong_password':
    case 'wrong_code':
    case 'passkey_refused':
      return 'Failed';
    case 'locked':
    case 'frozen':
      return 'Blocked';
    case 'device_pending':
      return 'New device';
    default:
      return 'Not signed in';
  }
}

const SIGNAL_WORDS: Record<string, string> = {
  new_country: 'new country',
  impossible_travel: 'impossible travel',
  recent_failures: 'many recent failures',
};

export const signalWords = (signal: string) => SIGNAL_WORDS[signal] ?? signal.replace(/_/g, ' ');

const METHOD_WORDS: Record<string, string> = {
  passkey: 'Passkey',
  totp: 'Authenticator app',
  email_code: 'Emailed code',
  backup_code: 'Backup code',
  device_code: 'Device confirmation code',
  password: 'Password',
};

/** How the attempt was made; no method means it stopped at the password. */
export const methodWords = (method: string | null) => (method ? (METHOD_WORDS[method] ?? method.replace(/_/g, ' ')) : 'Password');
