/** Spelling suggestions for words that are not in the BIP39 wordlist. */

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions ("aboev" → "above" = 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(rows - 1, cols - 1);
}

/**
 * Up to `limit` closest words: ranked by edit distance, with a bonus for words the input is a
 * prefix of (people type the 4-letter abbreviations BIP39 guarantees to be unique) and for words
 * sharing the first four letters; ties go to words of the same length. Words too far away are not suggested at all.
 */
export function suggestWords(input: string, wordlist: readonly string[], limit = 3): string[] {
  const maxDistance = Math.max(2, Math.floor(input.length / 2));
  const scored: { word: string; score: number }[] = [];
  for (const word of wordlist) {
    let score = editDistance(input, word);
    if (input.length >= 3 && word.startsWith(input)) score = Math.min(score, 1) - 0.5;
    else if (input.length >= 4 && word.slice(0, 4) === input.slice(0, 4)) score -= 0.25;
    if (score <= maxDistance) scored.push({ word, score });
  }
  // Ties: same length first (swaps and substitutions are the commonest typos), then alphabetical.
  const lenDiff = (w: string) => Math.abs(w.length - input.length);
  scored.sort(
    (x, y) => x.score - y.score || lenDiff(x.word) - lenDiff(y.word) || (x.word < y.word ? -1 : x.word > y.word ? 1 : 0),
  );
  return scored.slice(0, limit).map((s) => s.word);
}
