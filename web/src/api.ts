/**
 * The one way the app talks to the Bastion API: same-origin JSON with the session cookie.
 * Every failure becomes an ApiError carrying the server's error code (or `network_error`). The shapes
 * of requests and answers are the server's own contracts (src/contracts/, imported as types only).
 */
import type { ErrorCode } from '../../src/errors/codes.ts';
import type { ClientErrorCode } from './error-messages.ts';

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

/** Whether `error` is an ApiError (with `code`, one of the server's codes or the app's own). */
export const isApiError = (error: unknown, code?: ErrorCode | ClientErrorCode): error is ApiError =>
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
