/**
 * The picker's fuzzy filter: which rows match a query, in which order, and which characters
 * to highlight. Plain functions over a prepared index, so it is tested and measured without a
 * terminal (bench/picker.mjs compares it with uFuzzy at 10,000 profiles).
 *
 * A query is split on spaces into terms; every term must match one field of a row (profile
 * name, alias, account id, role or region), in any order. A term in lower case matches
 * either case; one with an upper-case letter matches case exactly (smart case, as in fzf).
 *
 * Ordering is match quality first, then frecency. Quality is a coarse class per term, summed:
 * the whole field, a whole word in it, the start of a word, a substring, a tight fuzzy match
 * (few gaps, or every run of matched characters starting a word), a loose one. Coarse on purpose: rows of the same class are equally good answers to what was typed,
 * so the profile used every morning wins among them rather than the one a character shorter.
 * Finer measures (gaps, position, field, length) only break the remaining ties, then the
 * rows' own order (by name).
 */

/** The searchable fields, in order of preference when a term matches several equally. */
export const FIELDS = ['profile', 'alias', 'accountId', 'role', 'region'] as const;
export type FieldName = (typeof FIELDS)[number];
const FIELD_COUNT = FIELDS.length;

export type SearchableRow = { readonly [K in FieldName]: string | undefined };

/** Match classes, best first. The gaps between them leave room for a finer class later. */
export const MatchClass = {
  exact: 10,
  word: 8,
  wordStart: 6,
  substring: 4,
  fuzzyTight: 2,
  fuzzy: 1,
  none: 0,
} as const;

export interface Term {
  /** Lower-cased unless case-sensitive. */
  text: string;
  caseSensitive: boolean;
}

export function parseQuery(query: string): Term[] {
  const terms: Term[] = [];
  for (const part of query.split(/\s+/)) {
    if (!part) continue;
    const lower = part.toLowerCase();
    terms.push({ text: lower === part ? lower : part, caseSensitive: lower !== part });
  }
  return terms;
}

/**
 * Rows prepared for matching: fields flattened into one array (row * FIELD_COUNT + field) in
 * both cases, and each row's fields joined for a cheap first test.
 */
export class SearchIndex {
  readonly size: number;
  private readonly original: string[];
  private readonly lowered: string[];
  /** All fields of a row joined by NUL (which no term contains), for the subsequence pre-test. */
  private readonly joinedOriginal: string[];
  private readonly joinedLowered: string[];

  constructor(rows: readonly SearchableRow[]) {
    this.size = rows.length;
    this.original = new Array<string>(rows.length * FIELD_COUNT);
    this.lowered = new Array<string>(rows.length * FIELD_COUNT);
    this.joinedOriginal = new Array<string>(rows.length);
    this.joinedLowered = new Array<string>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const value = row[FIELDS[f]!] ?? '';
        this.original[r * FIELD_COUNT + f] = value;
        this.lowered[r * FIELD_COUNT + f] = value.toLowerCase();
      }
      this.joinedOriginal[r] = this.original.slice(r * FIELD_COUNT, (r + 1) * FIELD_COUNT).join('\0');
      this.joinedLowered[r] = this.joinedOriginal[r]!.toLowerCase();
    }
  }

  field(row: number, field: number): string {
    return this.original[row * FIELD_COUNT + field]!;
  }

  /** Scores one row against all terms; false when some term matches no field. */
  score(row: number, terms: readonly Term[], out: RowScore): boolean {
    let tier = 0;
    let fine = 0;
    for (const term of terms) {
      const joined = term.caseSensitive ? this.joinedOriginal[row]! : this.joinedLowered[row]!;
      if (!isSubsequence(term.text, joined)) return false;
      let bestClass = 0;
      let bestFine = -Infinity;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const i = row * FIELD_COUNT + f;
        const cls = matchField(this.original[i]!, term.caseSensitive ? this.original[i]! : this.lowered[i]!, term.text, f);
        if (cls > bestClass || (cls === bestClass && cls > 0 && scratch.fine > bestFine)) {
          bestClass = cls;
          bestFine = scratch.fine;
        }
      }
      if (bestClass === 0) return false;
      tier += bestClass;
      fine += bestFine;
    }
    out.tier = tier;
    out.fine = fine;
    return true;
  }

  /** The characters to highlight in each field of a row, as sorted positions (one array per field). */
  highlights(row: number, terms: readonly Term[]): number[][] {
    const marks: Array<Set<number>> = Array.from({ length: FIELD_COUNT }, () => new Set<number>());
    for (const term of terms) {
      let best = -1;
      let bestClass = 0;
      let bestFine = -Infinity;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const i = row * FIELD_COUNT + f;
        const cls = matchField(this.original[i]!, term.caseSensitive ? this.original[i]! : this.lowered[i]!, term.text, f);
        if (cls > bestClass || (cls === bestClass && cls > 0 && scratch.fine > bestFine)) {
          best = f;
          bestClass = cls;
          bestFine = scratch.fine;
        }
      }
      if (best === -1) continue;
      const i = row * FIELD_COUNT + best;
      for (const p of termPositions(this.original[i]!, term.caseSensitive ? this.original[i]! : this.lowered[i]!, term.text)) marks[best]!.add(p);
    }
    return marks.map((set) => [...set].sort((a, b) => a - b));
  }
}

export interface RowScore {
  tier: number;
  fine: number;
}

/**
 * matchField's second result. A module-level scratch object rather than a returned one: it is
 * called 50,000 times per keystroke at 10,000 profiles, and allocation there shows in the bench.
 */
const scratch = { fine: 0 };

/** Preference between fields when a term matches several with the same class: the profile name first. */
const FIELD_BONUS = [0.5, 0.2, 0.1, 0.1, 0] as const;

/**
 * The class of the best match of `term` in one field (0 when none), with its fine score in
 * `scratch.fine`. `hay` is the field in the term's case; `original` is used for word boundaries.
 */
function matchField(original: string, hay: string, term: string, field: number): number {
  if (hay.length < term.length) return MatchClass.none;
  const bonus = FIELD_BONUS[field] ?? 0;
  const at = bestOccurrence(original, hay, term);
  if (at !== -1) {
    if (hay.length === term.length) {
      scratch.fine = bonus;
      return MatchClass.exact;
    }
    scratch.fine = bonus - at * 0.01 - hay.length * 0.001;
    return occurrenceClass;
  }
  if (!fuzzyMatch(hay, term)) return MatchClass.none;
  const start = fuzzyPositions[0]!;
  const gaps = fuzzyPositions[term.length - 1]! - start + 1 - term.length;
  let runsStartWords = true;
  for (let k = 0; k < term.length && runsStartWords; k++) {
    const p = fuzzyPositions[k]!;
    if ((k === 0 || fuzzyPositions[k - 1] !== p - 1) && !isBoundary(original, p)) runsStartWords = false;
  }
  scratch.fine = bonus - gaps - start * 0.01 - hay.length * 0.001;
  return runsStartWords || gaps < term.length ? MatchClass.fuzzyTight : MatchClass.fuzzy;
}

/** The positions matchField would highlight for its best match. */
function termPositions(original: string, hay: string, term: string): number[] {
  const at = bestOccurrence(original, hay, term);
  if (at !== -1) return Array.from({ length: term.length }, (_, k) => at + k);
  return fuzzyMatch(hay, term) ? fuzzyPositions.slice(0, term.length) : [];
}

/** fuzzyMatch's result, reused across calls (see `scratch`). */
const fuzzyPositions: number[] = [];

/**
 * fzf's v1 algorithm: scan forward to the first place the whole term fits, then back from its
 * end to the latest start, which gives the shortest span ending there. Leaves the matched
 * positions in `fuzzyPositions`; false when `term` is not a subsequence of `hay`.
 */
function fuzzyMatch(hay: string, term: string): boolean {
  let t = 0;
  let end = -1;
  for (let h = 0; h < hay.length; h++) {
    if (hay.charCodeAt(h) === term.charCodeAt(t) && ++t === term.length) {
      end = h;
      break;
    }
  }
  if (end === -1) return false;
  t = term.length - 1;
  for (let h = end; t >= 0; h--) if (hay.charCodeAt(h) === term.charCodeAt(t)) fuzzyPositions[t--] = h;
  return true;
}

/** bestOccurrence's second result (see `scratch`). */
let occurrenceClass: number = MatchClass.none;

/**
 * Where `term` occurs in `hay` as the best kind of substring: a whole word, else the start of
 * a word, else anywhere. -1 when it does not occur; the kind is left in `occurrenceClass`.
 */
function bestOccurrence(original: string, hay: string, term: string): number {
  let at = hay.indexOf(term);
  if (at === -1) return -1;
  let best = at;
  occurrenceClass = MatchClass.substring;
  for (; at !== -1; at = hay.indexOf(term, at + 1)) {
    if (!isBoundary(original, at)) continue;
    if (isWordEnd(original, at + term.length)) {
      occurrenceClass = MatchClass.word;
      return at;
    }
    if (occurrenceClass !== MatchClass.wordStart) {
      occurrenceClass = MatchClass.wordStart;
      best = at;
    }
  }
  return best;
}

function isSubsequence(term: string, hay: string): boolean {
  let t = 0;
  for (let h = 0; h < hay.length && t < term.length; h++) if (hay.charCodeAt(h) === term.charCodeAt(t)) t++;
  return t === term.length;
}

const enum Kind {
  other,
  lower,
  upper,
  digit,
}

function kindOf(code: number): Kind {
  if (code >= 97 && code <= 122) return Kind.lower;
  if (code >= 65 && code <= 90) return Kind.upper;
  if (code >= 48 && code <= 57) return Kind.digit;
  // Letters outside ASCII count as lower case: names are rarely written in them, and this keeps the test cheap.
  return code > 127 ? Kind.lower : Kind.other;
}

/** A word ends before `at`: the text ends there, or a separator or another word starts there. */
function isWordEnd(text: string, at: number): boolean {
  return at >= text.length || kindOf(text.charCodeAt(at)) === Kind.other || isBoundary(text, at);
}

/** A word starts after a separator, at a camelCase hump, or where letters turn to digits or back. */
export function isBoundary(text: string, at: number): boolean {
  if (at <= 0) return true;
  const before = kindOf(text.charCodeAt(at - 1));
  const here = kindOf(text.charCodeAt(at));
  if (before === Kind.other) return here !== Kind.other;
  if (here === Kind.other) return false;
  if (before === Kind.lower && here === Kind.upper) return true;
  return (before === Kind.digit) !== (here === Kind.digit);
}

/**
 * Runs queries against the rows and remembers the last answer: while a person types more of
 * the same query, only the rows that matched before can match now, so each keystroke looks at
 * fewer rows. `frecency[row]` is the row's frecency score; the rows' own order breaks ties.
 * The index is built on the first query that needs it: an empty query (the first frame) only
 * orders by frecency, and building it for 10,000 rows costs tens of milliseconds.
 */
export class Filter {
  private readonly tier: Float64Array;
  private readonly fine: Float64Array;
  private readonly score: RowScore = { tier: 0, fine: 0 };
  private last: { terms: Term[]; scope: Int32Array | undefined; matched: Int32Array } | undefined;
  private readonly emptyOrders = new WeakMap<object, Int32Array>();
  private readonly allRows: Int32Array;
  private built: SearchIndex | undefined;

  constructor(
    private readonly rows: readonly SearchableRow[],
    private readonly frecency: Float64Array,
  ) {
    this.tier = new Float64Array(rows.length);
    this.fine = new Float64Array(rows.length);
    this.allRows = Int32Array.from({ length: rows.length }, (_, i) => i);
  }

  get index(): SearchIndex {
    this.built ??= new SearchIndex(this.rows);
    return this.built;
  }

  /** Builds the index now, e.g. right after the first frame, so the first keystroke does not wait for it. */
  warm(): void {
    void this.index;
  }

  /** Matching rows, best first. `scope` limits the search to some rows (an account's profiles). */
  run(query: string | readonly Term[], scope?: Int32Array): Int32Array {
    const terms = typeof query === 'string' ? parseQuery(query) : [...query];
    const pool = scope ?? this.allRows;
    if (terms.length === 0) {
      this.last = undefined;
      return this.byFrecency(pool);
    }
    const candidates = this.last && this.last.scope === scope && refines(terms, this.last.terms) ? this.last.matched : pool;
    const matched = new Int32Array(candidates.length);
    const index = this.index;
    let count = 0;
    for (let k = 0; k < candidates.length; k++) {
      const row = candidates[k]!;
      if (index.score(row, terms, this.score)) {
        this.tier[row] = this.score.tier;
        this.fine[row] = this.score.fine;
        matched[count++] = row;
      }
    }
    const result = matched.slice(0, count);
    this.last = { terms, scope, matched: result };
    const { tier, fine, frecency } = this;
    // Sorting a copy keeps `matched` in row order, so the next refinement scans rows in a cache-friendly order.
    return result.slice().sort((a, b) => tier[b]! - tier[a]! || frecency[b]! - frecency[a]! || fine[b]! - fine[a]! || a - b);
  }

  private byFrecency(pool: Int32Array): Int32Array {
    let order = this.emptyOrders.get(pool);
    if (!order) {
      const { frecency } = this;
      order = pool.slice().sort((a, b) => frecency[b]! - frecency[a]! || a - b);
      this.emptyOrders.set(pool, order);
    }
    return order;
  }
}

/**
 * Whether every row matching `next` also matches `previous`: each earlier term is the start of
 * the term now in its place (typing extends it), and new terms only add conditions. A term
 * that starts with an earlier one contains it as a subsequence, so its matches are a subset.
 */
export function refines(next: readonly Term[], previous: readonly Term[]): boolean {
  if (next.length < previous.length) return false;
  for (let i = 0; i < previous.length; i++) {
    const before = previous[i]!;
    const now = next[i]!;
    // A case-sensitive term may not narrow an insensitive one's matches the other way round.
    if (before.caseSensitive && !now.caseSensitive) return false;
    const nowText = before.caseSensitive ? now.text : now.text.toLowerCase();
    if (!nowText.startsWith(before.text)) return false;
  }
  return true;
}
