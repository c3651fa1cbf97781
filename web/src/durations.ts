/** Durations in words (plain functions: no React, no browser). */

/** "24 hours", "30 minutes", "2 days": a duration as the pages say it. */
export function spokenDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) {
    // Whole days only from 2 days on: "24 hours" reads better than "1 day" here.
    if (ms >= size && ms % size === 0 && !(name === 'day' && ms < 2 * size)) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
