/**
 * Matches in order, sorted only as far as someone looks. A keystroke that matches most of
 * 10,000 rows needs the first screenful now; sorting all of them with a four-key comparison
 * costs about 5 ms, selecting the best hundred about 1 ms. The full sort happens once, when a
 * row past the selection is asked for (PageDown far enough, End).
 */

/** How many of the best rows are selected before the rest are sorted: more than a tall terminal shows. */
export const SELECTED = 128;

export class Ranking {
  private best: Int32Array | undefined;
  private all: Int32Array | undefined;

  /**
   * `rows` are row indices; `before(p, q)` compares positions p and q in `rows` (negative when
   * p comes first) and must be a strict total order, so the result does not depend on how it
   * was sorted.
   */
  constructor(
    private readonly rows: Int32Array,
    private readonly before: (p: number, q: number) => number,
  ) {}

  get length(): number {
    return this.rows.length;
  }

  /** The row index at place `i`, or undefined past the end. */
  at(i: number): number | undefined {
    if (i < 0 || i >= this.rows.length) return undefined;
    if (!this.all && i < SELECTED) {
      this.best ??= selectBest(this.rows.length, SELECTED, this.before);
      return this.rows[this.best[i]!];
    }
    this.all ??= Int32Array.from({ length: this.rows.length }, (_, p) => p).sort(this.before);
    return this.rows[this.all[i]!];
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this.rows.length; i++) yield this.at(i)!;
  }
}

/** The best `k` of positions 0..n-1 in order: a sorted buffer with binary-search insertion. */
export function selectBest(n: number, k: number, before: (p: number, q: number) => number): Int32Array {
  const size = Math.min(n, k);
  const buffer = new Int32Array(size);
  let filled = 0;
  for (let p = 0; p < n; p++) {
    if (filled === size && before(p, buffer[size - 1]!) >= 0) continue;
    let lo = 0;
    let hi = filled;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(p, buffer[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    const end = Math.min(filled, size - 1);
    buffer.copyWithin(lo + 1, lo, end);
    buffer[lo] = p;
    if (filled < size) filled++;
  }
  return buffer;
}
