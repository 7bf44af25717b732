// "Did you mean": the known name closest to a misspelt one, so a typo is reported with its fix.

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), stopping early past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest of `known` to `name` (within a third of its length, at least 1, at most 3 edits), or undefined. */
function nearMiss(name: string, known: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let found: string | undefined;
  let foundDistance = limit + 1;
  const lower = name.toLowerCase();
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0.5 : distance(lower, k.toLowerCase(), limit);
    if (d < foundDistance) {
      found = k;
      foundDistance = d;
    }
  }
  return found;
}

/** ` (did you mean "x"?)` for a near miss, or "" when nothing known is close. */
export function hint(name: string, known: Iterable<string>): string {
  const near = nearMiss(name, known);
  return near === undefined ? "" : ` (did you mean "${near}"?)`;
}
