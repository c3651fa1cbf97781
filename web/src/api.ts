/**
 * The one way the app talks to the Bastion API: same-origin JSON with the session cookie.
 * Every failure becomes an ApiError carrying the server's error code (or `network_error`).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error body, for details such as retryAfter, lockedUntil or rule. */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Seconds to wait before trying again (429 answers), when the server said. */
  get retryAfter(): number | undefined {
    const value = this.body.retryAfter;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
}

export const isApiError = (error: unknown, code?: string): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach Bastion. Check your connection.');
  }

  let data: unknown = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    const details = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    const code = typeof details.error === 'string' ? details.error : response.status >= 500 ? 'internal_error' : 'invalid_request';
    const message = typeof details.message === 'string' ? details.message : `The server answered ${response.status}.`;
    if (details.retryAfter === undefined) {
      const header = Number(response.headers.get('retry-after'));
      if (Number.isFinite(header) && header > 0) details.retryAfter = header;
    }
    throw new ApiError(response.status, code, message, details);
  }
  return data as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body);
export const put = <T>(path: string, body?: unknown) => request<T>('PUT', path, body);
export const patch = <T>(path: string, body?: unknown) => request<T>('PATCH', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

// ---- Shapes of the answers the app reads ----

/** GET /api/app-info: public facts about this installation. */
export interface AppInfo {
  name: string;
  /** Where the development inbox is (only when mail is not sent over SMTP), else null. */
  devInbox: string | null;
  /** Whether passkeys can be used here (not on an installation served on an IP address). */
  passkeys?: boolean;
  /** How long an account locked by its owner stays locked (FREEZE_COOLDOWN). */
  freezeCooldownMs?: number;
  /** How long withdrawals are held after a security change (WITHDRAWAL_HOLD). */
  withdrawalHoldMs?: number;
}

export type SecondFactor = 'passkey' | 'totp' | 'email_code' | 'backup_code';
export type NextStep = SecondFactor | 'enroll_2fa' | 'confirm_device';

export interface LoginStart {
  flow: string;
  next: NextStep[];
}

export interface PublicUser {
  id: string;
  email: string;
  emailVerified: boolean;
  createdAt: string;
}

export interface Me {
  user: PublicUser;
  security: {
    emailVerified: boolean;
    twoFactor: { enabled: boolean; methods: string[]; backupCodesRemaining: number };
    antiPhishingCodeSet: boolean;
    kycLevel: number;
    passwordChangedAt: string | null;
    /** Enabled passkeys (absent from servers without passkey support). */
    passkeys?: { count: number };
    /** Not served yet; shown only once the API reports it. */
    withdrawalWhitelist?: unknown;
  };
  session: { id: string; restricted: boolean; authMethod: string; stepUpFresh: boolean; expiresAt: string };
}

export interface Strength {
  ok: boolean;
  score: number;
  rule?: string;
  message?: string;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrPng: string;
  qrSvg: string;
}

/** One of the account's passkeys (GET /api/me/passkeys). */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** The authenticator's name when its AAGUID is known (e.g. "iCloud Keychain"). */
  authenticator: string | null;
  /** Synced to the cloud (a multi-device passkey). */
  backedUp: boolean;
  disabled: boolean;
  disabledReason: string | null;
}
