/** Assertions on answers several flows give alike. */
import { expect } from 'vitest';
import type { TestResponse } from './client.ts';

/** 202 check_email: what sign-up, resend-verification and forgot-password always answer. */
export const expectCheckEmail = (res: TestResponse) => {
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body).toEqual({ status: 'check_email' });
};

/** 429 too_many_requests with Retry-After (whole seconds, within the two windows a sliding limit spans). */
export const expectRateLimited = (res: TestResponse): number => {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.error).toBe('too_many_requests');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter), String(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(2 * 3600);
  expect(res.body.retryAfter).toBe(retryAfter);
  return retryAfter;
};
