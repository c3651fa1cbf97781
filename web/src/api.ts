/**
 * The one way the app talks to the Bastion API: same-origin JSON with the session cookie, and
 * multipart uploads with progress (identity documents). Every failure becomes an ApiError carrying
 * the server's error code (or `network_error`). The shapes of requests and answers are the server's
 * own contracts (src/contracts/, imported as types only).
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

const networkError = () => new ApiError(0, 'network_error', 'Cannot reach Bastion. Check your connection.');

/** The answer's JSON body (null when it is not JSON or cannot be read). */
function parseBody(contentType: string | null, text: string): unknown {
  if (!(contentType ?? '').includes('json')) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The ApiError for a failed answer: the server's code and message, else ones made from the status. */
function answerError(status: number, data: unknown, retryAfterHeader: string | null): ApiError {
  const details = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const code = typeof details.error === 'string' ? details.error : status >= 500 ? 'internal_error' : 'invalid_request';
  const message = typeof details.message === 'string' ? details.message : `The server answered ${status}.`;
  if (details.retryAfter === undefined) {
    const header = Number(retryAfterHeader);
    if (Number.isFinite(header) && header > 0) details.retryAfter = header;
  }
  return new ApiError(status, code, message, details);
}

/** Headers a call adds to the usual ones (e.g. `Idempotency-Key` on accepting a quote). */
export type ExtraHeaders = Readonly<Record<string, string>>;

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, extra: ExtraHeaders = {}): Promise<T> {
  const headers: Record<string, string> = { ...extra, accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  let text: string;
  try {
    response = await fetch(path, init);
    text = await response.text();
  } catch {
    throw networkError();
  }

  const data = parseBody(response.headers.get('content-type'), text);
  if (!response.ok) throw answerError(response.status, data, response.headers.get('retry-after'));
  return data as T;
}

/**
 * POST `formData` as multipart/form-data, reporting how much of it has been sent (0 to 1). Built on
 * XMLHttpRequest because fetch cannot report upload progress; it fails the way `request` does.
 */
export function upload<T>(path: string, formData: FormData, onProgress?: (sent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(networkError());
    xhr.ontimeout = () => reject(networkError());
    xhr.onload = () => {
      const data = parseBody(xhr.getResponseHeader('content-type'), xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(answerError(xhr.status, data, xhr.getResponseHeader('retry-after')));
    };
    xhr.send(formData);
  });
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown, headers?: ExtraHeaders) => request<T>('POST', path, body, headers);
export const put = <T>(path: string, body?: unknown) => request<T>('PUT', path, body);
export const patch = <T>(path: string, body?: unknown) => request<T>('PATCH', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);
