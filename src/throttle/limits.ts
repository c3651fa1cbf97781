/** The one way a rule applies a rate limit: count the hit, or answer 429 with Retry-After. */
import { tooManyRequests } from '../errors/app-error.ts';
import type { Throttle } from './throttle.ts';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export async function enforceRateLimit(throttle: Throttle, key: string, limit: RateLimit, message: string): Promise<void> {
  const result = await throttle.hit(key, limit.limit, limit.windowMs);
  if (!result.allowed) throw tooManyRequests('too_many_requests', message, result.retryAfterMs);
}
