/** The durations the web app states come from the server's settings, said the way people say them. */
import { describe, expect, it } from 'vitest';
import { spokenDuration } from '../web/src/durations.ts';

describe('spokenDuration', () => {
  it.each([
    [24 * 3_600_000, '24 hours'],
    [48 * 3_600_000, '2 days'],
    [3_600_000, '1 hour'],
    [90 * 60_000, '90 minutes'],
    [15 * 60_000, '15 minutes'],
    [60_000, '1 minute'],
    [1_500, '1 minute'],
    [36 * 3_600_000, '36 hours'],
  ])('%i ms → %s', (ms, words) => {
    expect(spokenDuration(ms)).toBe(words);
  });
});
