/**
 * Timing comparisons for the enumeration tests. Each try of one kind is paired with the try of the
 * other kind made next to it in time, so a busy spell on the machine (a garbage collection, a
 * neighbouring test file's hashing) weighs on both sides of a pair; the median of the pairs'
 * differences is then taken against the median time. A mean lets a few pauses on one side decide.
 */

/** The median: a pause in one try moves it far less than a mean. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** |median of (a[i] − b[i])| / median of every time, and a line saying what was seen. */
export function pairedDifference(a: { name: string; times: number[] }, b: { name: string; times: number[] }): { ratio: number; seen: string } {
  const difference = median(a.times.map((x, i) => x - b.times[i]!));
  const typical = median([...a.times, ...b.times]);
  const seen = `${a.name} ${median(a.times).toFixed(3)} ms, ${b.name} ${median(b.times).toFixed(3)} ms, pairs differ by ${difference.toFixed(3)} ms`;
  return { ratio: Math.abs(difference) / typical, seen };
}

/**
 * Warms every path up with one try of each kind (the first argon2 call, prepared statements), forgets
 * those times, then makes `rounds` rounds of one try of each kind, every other round reversed. With two
 * kinds that is ABBA: both tries of a round follow a try of the same kind, so what one kind's work
 * leaves behind for the next request (a warm or cold cache, a longer WAL) weighs on both sides of each
 * pair. With more kinds each round also turns the order, so each kind is tried in each position.
 */
export async function interleave<K extends string>(
  kinds: readonly K[],
  rounds: number,
  times: Record<K, number[]>,
  attempt: (kind: K) => Promise<void>,
): Promise<void> {
  for (const kind of kinds) await attempt(kind);
  for (const kind of kinds) times[kind].length = 0;
  for (let i = 0; i < rounds; i++) {
    const turn = kinds.length > 2 ? i % kinds.length : 0;
    const order = [...kinds.slice(turn), ...kinds.slice(0, turn)];
    for (const kind of i % 2 === 0 ? order : order.reverse()) await attempt(kind);
  }
}
