/**
 * The known name a mistyped one was most likely meant to be (`threadz` → `threads`), for
 * "did you mean" hints: the smallest edit distance (insert, delete, replace, swap two
 * neighbours), case ignored, within a third of the longer name (at least 1, at most 3).
 */

/** Optimal string alignment distance between `a` and `b`, stopping once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    before = prev;
    prev = row;
  }
  return prev[b.length] as number;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The name in `known` closest to `word`, or `null` when none is close enough to suggest. */
export function closestName(word: string, known: readonly string[]): string | null {
  if (word.length > 64) return null;
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  let bestPrefix = -1;
  for (const name of known) {
    const n = name.toLowerCase();
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(w.length, n.length) / 3)));
    const d = distance(w, n, limit);
    if (d > limit) continue;
    // A tie goes to the name that shares the longer start (`pul`: `pull` before `pub`).
    const prefix = commonPrefix(w, n);
    if (d < bestDistance || (d === bestDistance && prefix > bestPrefix)) {
      best = name;
      bestDistance = d;
      bestPrefix = prefix;
    }
  }
  return best;
}
