/** Which words of a new recovery phrase the user must type back. */

/** `count` distinct 0-based positions below `length`, ascending, chosen with crypto.getRandomValues. */
export function pickPositions(length: number, count: number): number[] {
  if (count > length) throw new RangeError('cannot pick more positions than there are words');
  const pool = Array.from({ length }, (_, i) => i);
  const chosen: number[] = [];
  const random = new Uint32Array(1);
  for (let i = 0; i < count; i++) {
    // Rejection sampling keeps every remaining position equally likely.
    const size = pool.length;
    const limit = Math.floor(0x1_0000_0000 / size) * size;
    let value: number;
    do {
      crypto.getRandomValues(random);
      value = random[0] ?? 0;
    } while (value >= limit);
    const [position] = pool.splice(value % size, 1);
    if (position !== undefined) chosen.push(position);
  }
  return chosen.sort((a, b) => a - b);
}

/** The wordlist words that start with `prefix` (for completing a typed word). */
export function wordsStartingWith(prefix: string, wordlist: readonly string[]): string[] {
  return prefix ? wordlist.filter((word) => word.startsWith(prefix)) : [];
}
