/**
 * One error type for everything a client may see. Every failure the API reports is an AppError
 * with a stable machine code from the one list (codes.ts) and a human message; the HTTP layer
 * renders it as `{"error": code, "message": message}` with `status`.
 */
import type { ErrorCode } from './codes.ts';

export type { ErrorCode } from './codes.ts';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
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

export const badRequest = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const unauthorized = (code: ErrorCode, message: string) => new AppError(401, code, message);
export const forbidden = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(403, code, message, details);
export const notFound = (code: ErrorCode, message: string) => new AppError(404, code, message);
export const conflict = (code: ErrorCode, message: string) => new AppError(409, code, message);

/** 429 with Retry-After in whole seconds (at least 1). */
export function tooManyRequests(code: ErrorCode, message: string, retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(429, code, message, { retryAfter: seconds }, { 'retry-after': String(seconds) });
}

/** The body of every error answer: a code from the one list and a human message. */
export const errorPayload = (code: ErrorCode, message: string) => ({ error: code, message });
