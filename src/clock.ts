/**
 * The one source of time. Rules take a Clock so that tests can move time by hand
 * (lockouts, code expiry, 24-hour holds) without sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** A time as the API writes it (ISO 8601), or null for none. */
export const isoTime = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
