/**
 * One error type for everything a client may see. Every failure the API reports is an AppError
 * with a stable machine code and a human message; the HTTP layer renders it as
 * `{"error": code, "message": message}` with `status`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra fields added to the JSON body (e.g. retryAfter). Never secrets. */
    readonly details: Record<string, unknown> = {},
    /** HTTP headers to send with the error (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const unauthorized = (code: string, message: string) => new AppError(401, code, message);
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(403, code, message, details);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);

/** 429 with Retry-After in whole seconds (at least 1). */
export function tooManyRequests(code: string, message: string, retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(429, code, message, { retryAfter: seconds }, { 'retry-after': String(seconds) });
}
