/** "Did you mean ...?" for mistyped profile names, commands and flags. */

/** Damerau-Levenshtein (optimal string alignment) distance; transpositions are the commonest typo. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/**
 * The closest candidates to `input`, best first. A candidate qualifies when it is within
 * a third of the input's length in edits, or when one contains the other (`prod` → `prod-admin`).
 */
export function closest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of candidates) {
    const hay = name.toLowerCase();
    // The distance is at least the difference in length: most of a big config is too far for
    // the edit distance to be worth computing, and only the containment test can take it.
    const d = Math.abs(hay.length - needle.length) > limit ? Infinity : editDistance(needle, hay);
    if (d <= limit) scored.push({ name, score: d });
    else if (Math.min(needle.length, hay.length) >= 3 && (hay.includes(needle) || needle.includes(hay))) {
      scored.push({ name, score: limit + 1 + Math.abs(hay.length - needle.length) / 100 });
    }
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, max).map((s) => s.name);
}

/**
 * `closest` over the keys of one map, kept per map and input: a config whose profiles name the
 * same missing source_profile thousands of times (doctor and `profiles --json` resolve every
 * profile) looks each name up once, not once per profile, which grew with the square of the config.
 */
export function closestKey(input: string, names: ReadonlyMap<string, unknown>): string[] {
  let kept = keptClosest.get(names);
  if (!kept || kept.size !== names.size) keptClosest.set(names, (kept = { size: names.size, answers: new Map() }));
  let answer = kept.answers.get(input);
  if (!answer) kept.answers.set(input, (answer = closest(input, names.keys())));
  return answer;
}

const keptClosest = new WeakMap<ReadonlyMap<string, unknown>, { size: number; answers: Map<string, string[]> }>();
