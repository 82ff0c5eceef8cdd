/** The candidate that `word` most likely misspells, ignoring case, or undefined when none is close enough to be a typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // About one slip per three letters: "lerningRate" and "he_normal" are typos, "lr" is another word.
    const tolerance = Math.max(1, Math.floor(candidate.length / 3));
    // The distance is at least the difference in length: a long word is no typo, and is not worth a table.
    if (Math.abs(lower.length - candidate.length) > tolerance) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= tolerance && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: inserting, deleting, replacing a letter or swapping two neighbours costs 1. */
function editDistance(a: string, b: string): number {
  // Row i holds the distances between the first i letters of a and the first j letters of b; only three rows are
  // kept (a table of arrays per call made 300000 unknown keys take 7 s, most of it allocation).
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        current[j] = Math.min(current[j], before[j - 2] + 1);
      }
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}
