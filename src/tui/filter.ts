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
 * (few gaps, or every run of matched characters starting a word), a loose one in one word, and
 * last letters scattered across words. Coarse on
 * purpose: rows of the same class are equally good answers to what was typed, so the profile
 * used every morning wins among them rather than the one a character shorter. Finer measures
 * (gaps, position, field, length) only break the remaining ties, then the rows' own order.
 *
 * Scattered letters (`pay` as the p of `prod` and the a, y of `readonly`) are weak evidence:
 * each such letter costs more than any number of good classes earn, so a row with fewer of
 * them always comes first (`pay prod eu` puts payments-prod-eu-west-1 above sso-prod-readonly),
 * and a term of three or more letters scattered so that no word holds most of them does not
 * match at all. That last rule is not kept by typing on (`pay` may fail where `payment`
 * passes), so such a row is held back, not dropped: it stays a candidate for the next keystroke.
 */

import { Ranking } from './ranking.js';

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
  /** Letters in more than one word, not each run starting a word; costs SCATTERED_LETTER a letter in a row's tier. */
  scattered: 0.5,
  none: 0,
} as const;

/** What one scattered letter costs a row: more than the best classes of any query can add up to. */
export const SCATTERED_LETTER = 1000;

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
  /**
   * Which characters each field has (both cases), and each row (see charBits): a term with a
   * character a field lacks cannot match it, which two integer operations say, where a scan
   * would look at the whole field. Most fields fail a term this way (letters in an account id).
   */
  private readonly fieldChars: Int32Array;
  private readonly rowChars: Int32Array;

  /**
   * Roles, regions and aliases repeat across thousands of rows: each distinct value is lowered
   * and its characters collected once.
   */
  private readonly seen = new Map<string, { lower: string; chars: number }>();
  private readonly parts = ['', '', '', '', ''];
  private readonly lowerParts = ['', '', '', '', ''];

  /** An index of these rows; `set` may replace one later (the picker's rows, as they are built). */
  constructor(rows: readonly SearchableRow[]) {
    this.size = rows.length;
    this.original = new Array<string>(rows.length * FIELD_COUNT);
    this.lowered = new Array<string>(rows.length * FIELD_COUNT);
    this.joinedOriginal = new Array<string>(rows.length);
    this.joinedLowered = new Array<string>(rows.length);
    this.fieldChars = new Int32Array(rows.length * FIELD_COUNT);
    this.rowChars = new Int32Array(rows.length);
    // Built while the first keystroke waits.
    for (let r = 0; r < rows.length; r++) this.set(r, rows[r]!);
  }

  /** Row r's fields are now these: a Filter that ran before may have answered from the old ones. */
  set(r: number, row: SearchableRow): void {
    const { seen, parts, lowerParts } = this;
    let rowChars = 0;
    let same = true;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const value = row[FIELDS[f]!] ?? '';
      // Names and account ids are (nearly) unique: looking them up would only fill the map.
      const unique = f === 0 || f === 2;
      let known = unique ? undefined : seen.get(value);
      if (known === undefined) {
        const lower = value.toLowerCase();
        known = { lower, chars: charBits(value) | (lower === value ? 0 : charBits(lower)) };
        if (!unique) seen.set(value, known);
      }
      this.original[r * FIELD_COUNT + f] = parts[f] = value;
      this.lowered[r * FIELD_COUNT + f] = lowerParts[f] = known.lower;
      if (known.lower !== value) same = false;
      this.fieldChars[r * FIELD_COUNT + f] = known.chars;
      rowChars |= known.chars;
    }
    this.rowChars[r] = rowChars;
    this.joinedOriginal[r] = parts.join('\0');
    // The fields lowered one by one, so that a position in it is a position in one field's lowered text.
    this.joinedLowered[r] = same ? this.joinedOriginal[r]! : lowerParts.join('\0');
  }

  /**
   * One term against one row: false when it matches no field, else its tier and fine score in
   * `out`. A tier of NaN: held back (too scattered to match, but a longer term might).
   */
  matchTerm(row: number, term: Term, out: RowScore): boolean {
    if ((termBits(term) & ~this.rowChars[row]!) !== 0) return false;
    const joined = term.caseSensitive ? this.joinedOriginal[row]! : this.joinedLowered[row]!;
    // A substring of the row is a subsequence; otherwise most rows fail the subsequence test,
    // in one pass over the row, before any field is looked at.
    const first = joined.indexOf(term.text);
    if (first === -1 && !isSubsequence(term.text, joined)) return false;
    best.held = false;
    if (this.bestField(row, term, first) === -1) {
      if (!best.held) return false;
      out.tier = NaN;
      out.fine = 0;
      return true;
    }
    out.tier = best.cls === MatchClass.scattered ? best.cls - SCATTERED_LETTER * term.text.length : best.cls;
    out.fine = best.fine;
    return true;
  }

  /** The characters to highlight in each field of a row, as sorted positions (one array per field). */
  highlights(row: number, terms: readonly Term[]): number[][] {
    const marks: Array<Set<number>> = Array.from({ length: FIELD_COUNT }, () => new Set<number>());
    for (const term of terms) {
      const field = this.bestField(row, term);
      if (field === -1) continue;
      const i = row * FIELD_COUNT + field;
      for (const p of termPositions(this.original[i]!, term.caseSensitive ? this.original[i]! : this.lowered[i]!, term.text)) marks[field]!.add(p);
    }
    return marks.map((set) => [...set].sort((a, b) => a - b));
  }

  /**
   * The field where `term` matches best (-1 when none), its class and fine score left in
   * `best`. Substring matches are looked for in every field first: any of them beats any fuzzy
   * match, so the fuzzy scans, the costly part, run only when no field contains the term, and
   * stop at the first tight one.
   */
  private bestField(row: number, term: Term, at = (term.caseSensitive ? this.joinedOriginal[row]! : this.joinedLowered[row]!).indexOf(term.text)): number {
    const base = row * FIELD_COUNT;
    let field = -1;
    best.cls = MatchClass.none;
    best.fine = -Infinity;
    const hays = term.caseSensitive ? this.original : this.lowered;
    // Where the term first occurs in the joined fields (`at`) says which field is the first
    // that can contain it (a term holds no NUL, so it never spans two); none: no substring
    // match at all, straight to the fuzzy scans.
    const first = term.text.includes('\0') ? 0 : at;
    let from: number = FIELD_COUNT;
    if (first !== -1) {
      from = 0;
      for (let end = hays[base]!.length; end < first; end += hays[base + from]!.length + 1) from++;
    }
    const bits = termBits(term);
    for (let f = from; f < FIELD_COUNT; f++) {
      if ((bits & ~this.fieldChars[base + f]!) !== 0) continue;
      const hay = hays[base + f]!;
      // A whole word found, a later field can do better only as the whole field: its fine score
      // is below its field's bonus, which is no more than the found one's.
      if (best.cls >= MatchClass.word && best.fine >= (FIELD_BONUS[f] ?? 0) && hay.length !== term.text.length) continue;
      const cls = substringMatch(this.original[base + f]!, hay, term.text, f);
      if (cls > best.cls || (cls === best.cls && cls > 0 && scratch.fine > best.fine)) {
        field = f;
        best.cls = cls;
        best.fine = scratch.fine;
      }
    }
    if (field !== -1) return field;
    for (let f = 0; f < FIELD_COUNT; f++) {
      if ((bits & ~this.fieldChars[base + f]!) !== 0) continue;
      const original = this.original[base + f]!;
      const cls = fuzzyFieldMatch(original, term.caseSensitive ? original : this.lowered[base + f]!, term.text, f);
      if (cls > best.cls || (cls === best.cls && cls > 0 && scratch.fine > best.fine)) {
        field = f;
        best.cls = cls;
        best.fine = scratch.fine;
      }
      // No fuzzy match beats a tight one: the first field (in order of preference) to give one wins.
      if (best.cls === MatchClass.fuzzyTight) break;
    }
    return field;
  }
}

/**
 * A set of characters as 32 bits: a letter (either case) its own bit, digits two to a bit, the
 * rest one bit. Coarse, but a set holds every character of the text, so a term's bits missing
 * from a field's prove the term cannot match there; the reverse proves nothing.
 */
function charBits(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bits |= code < 128 ? ASCII_BITS[code]! : OTHER_BIT;
  }
  return bits;
}

const OTHER_BIT = 1 << 31;
const ASCII_BITS = Int32Array.from({ length: 128 }, (_, code) => {
  if (code >= 97 && code <= 122) return 1 << (code - 97);
  if (code >= 65 && code <= 90) return 1 << (code - 65);
  if (code >= 48 && code <= 57) return 1 << (26 + ((code - 48) % 5));
  return OTHER_BIT;
});

/** The last term's bits: a keystroke matches one term against thousands of rows. */
let bitsOf: { term: Term | undefined; text: string; bits: number } = { term: undefined, text: '', bits: 0 };

function termBits(term: Term): number {
  if (bitsOf.term !== term || bitsOf.text !== term.text) bitsOf = { term, text: term.text, bits: charBits(term.text) };
  return bitsOf.bits;
}

/** bestField's result (see `scratch`); `held`: some field was a subsequence match held back. */
const best = { cls: 0, fine: 0, held: false };

/** One term's match in a row: its class (MatchClass) and the fine score that breaks ties. */
export interface RowScore {
  tier: number;
  fine: number;
}

/**
 * The fine score of the last field match. A module-level scratch object rather than a returned
 * one: field matches run up to 50,000 times per keystroke at 10,000 profiles, and allocation
 * there shows in the bench.
 */
const scratch = { fine: 0 };

/** Preference between fields when a term matches several with the same class: the profile name first. */
const FIELD_BONUS = [0.5, 0.2, 0.1, 0.1, 0] as const;

/**
 * The class of `term` as a substring of one field (0 when it is not one), with its fine score
 * in `scratch.fine`. `hay` is the field in the term's case; `original` gives word boundaries.
 */
function substringMatch(original: string, hay: string, term: string, field: number): number {
  if (hay.length < term.length) return MatchClass.none;
  const at = bestOccurrence(original, hay, term);
  if (at === -1) return MatchClass.none;
  const bonus = FIELD_BONUS[field] ?? 0;
  if (hay.length === term.length) {
    scratch.fine = bonus;
    return MatchClass.exact;
  }
  scratch.fine = bonus - at * 0.01 - hay.length * 0.001;
  return occurrenceClass;
}

/** The class of `term` as a fuzzy (gapped) match in one field, for when it is no substring of any. */
function fuzzyFieldMatch(original: string, hay: string, term: string, field: number): number {
  if (hay.length < term.length || !fuzzyMatch(hay, term)) return MatchClass.none;
  const start = fuzzyPositions[0]!;
  const gaps = fuzzyPositions[term.length - 1]! - start + 1 - term.length;
  let runsStartWords = true;
  // The most matched letters in one word, and how many are in the current word.
  let most = 1;
  let inWord = 1;
  for (let k = 0; k < term.length; k++) {
    const p = fuzzyPositions[k]!;
    if ((k === 0 || fuzzyPositions[k - 1] !== p - 1) && !isBoundary(original, p)) runsStartWords = false;
    if (k > 0) {
      inWord = startsWordBetween(original, fuzzyPositions[k - 1]! + 1, p) ? 1 : inWord + 1;
      if (inWord > most) most = inWord;
    }
  }
  scratch.fine = (FIELD_BONUS[field] ?? 0) - gaps - start * 0.01 - hay.length * 0.001;
  if (runsStartWords) return MatchClass.fuzzyTight;
  if (most === term.length) return gaps < term.length ? MatchClass.fuzzyTight : MatchClass.fuzzy;
  if (term.length >= 3 && most * 2 <= term.length) {
    best.held = true;
    return MatchClass.none;
  }
  return MatchClass.scattered;
}

/** Whether a word starts at any position from `from` to `to` (inclusive) in `text`. */
function startsWordBetween(text: string, from: number, to: number): boolean {
  for (let at = from; at <= to; at++) if (isBoundary(text, at)) return true;
  return false;
}

/** The positions to highlight for the best match of `term` in one field, as bestField chose it. */
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
  // indexOf and lastIndexOf per character: native scans, several times faster than comparing
  // character codes in a loop, which shows at 10,000 rows.
  let end = -1;
  for (let t = 0; t < term.length; t++) {
    end = hay.indexOf(term[t]!, end + 1);
    if (end === -1) return false;
  }
  let at = end + 1;
  for (let t = term.length - 1; t >= 0; t--) {
    at = hay.lastIndexOf(term[t]!, at - 1);
    fuzzyPositions[t] = at;
  }
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
  let at = -1;
  for (let t = 0; t < term.length; t++) {
    at = hay.indexOf(term[t]!, at + 1);
    if (at === -1) return false;
  }
  return true;
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
  private readonly match: RowScore = { tier: 0, fine: 0 };
  private last: LastRun | undefined;
  private readonly recent: Array<{ key: string; last: LastRun; ranking: Ranking }> = [];
  private readonly emptyOrders = new WeakMap<object, Ranking>();
  private readonly allRows: Int32Array;
  private built: SearchIndex | undefined;

  /**
   * `index`: the index of these rows, or what makes it when first needed, when the caller
   * keeps it (the picker indexes its rows as it builds them).
   */
  constructor(
    private readonly rows: readonly SearchableRow[],
    private readonly frecency: Float64Array,
    private readonly makeIndex: SearchIndex | (() => SearchIndex) = () => new SearchIndex(rows),
  ) {
    this.allRows = Int32Array.from({ length: rows.length }, (_, i) => i);
  }

  get index(): SearchIndex {
    this.built ??= typeof this.makeIndex === 'function' ? this.makeIndex() : this.makeIndex;
    return this.built;
  }

  /** Builds the index now, e.g. right after the first frame, so the first keystroke does not wait for it. */
  warm(): void {
    void this.index;
  }

  /** Matching rows, best first. `scope` limits the search to some rows (an account's profiles). */
  run(query: string | readonly Term[], scope?: Int32Array): Ranking {
    const terms = typeof query === 'string' ? parseQuery(query) : [...query];
    const pool = scope ?? this.allRows;
    if (terms.length === 0) {
      this.last = undefined;
      return this.byFrecency(pool);
    }
    // Backspace goes back to a query answered moments ago: answer it again from memory.
    const key = termsKey(terms);
    const seen = this.recent.find((r) => r.last.scope === scope && r.key === key);
    if (seen) {
      this.last = seen.last;
      return seen.ranking;
    }
    const ranking = this.search(terms, scope, pool);
    this.recent.unshift({ key, last: this.last!, ranking });
    if (this.recent.length > RECENT_QUERIES) this.recent.pop();
    return ranking;
  }

  private search(terms: Term[], scope: Int32Array | undefined, pool: Int32Array): Ranking {
    const last = this.last && this.last.scope === scope && refines(terms, this.last.terms) ? this.last : undefined;
    const candidates = last ? last.matched : pool;
    // A term unchanged since the last run matched every candidate already, with a known score:
    // only the term being typed (and any new one) is matched again. Scores are kept by row
    // index, so a known term's are reused as they are, not copied for the rows still matching.
    const size = this.rows.length;
    const scores = terms.map((term, t) => (last && t < last.terms.length && sameTerm(term, last.terms[t]!) ? last.scores[t]! : undefined));
    const fresh: number[] = [];
    for (let t = 0; t < terms.length; t++) if (!scores[t]) fresh.push(t);
    for (const t of fresh) scores[t] = { tier: new Float64Array(size), fine: new Float64Array(size) };
    const all = scores as Array<{ tier: Float64Array; fine: Float64Array }>;
    const index = this.index;
    const m = this.match;
    const matched = new Int32Array(candidates.length);
    // Matched rows whose every term matches (no NaN tier, see matchTerm), with their summed scores.
    const answer = new Int32Array(candidates.length);
    const tier = new Float64Array(candidates.length);
    const fine = new Float64Array(candidates.length);
    let count = 0;
    let shown = 0;
    candidate: for (let k = 0; k < candidates.length; k++) {
      const row = candidates[k]!;
      for (let f = 0; f < fresh.length; f++) {
        const t = fresh[f]!;
        if (!index.matchTerm(row, terms[t]!, m)) continue candidate;
        all[t]!.tier[row] = m.tier;
        all[t]!.fine[row] = m.fine;
      }
      matched[count++] = row;
      let sumTier = 0;
      let sumFine = 0;
      for (let t = 0; t < all.length; t++) {
        sumTier += all[t]!.tier[row]!;
        sumFine += all[t]!.fine[row]!;
      }
      // Rows held back by any term (a NaN tier) are candidates for the next keystroke, not answers.
      if (Number.isNaN(sumTier)) continue;
      answer[shown] = row;
      tier[shown] = sumTier;
      fine[shown++] = sumFine;
    }
    // Kept in row order (not ranked), so the next refinement scans rows in memory order.
    this.last = { terms, scope, matched: matched.slice(0, count), scores: all };
    const rows = shown === candidates.length ? answer : answer.slice(0, shown);
    const frecency = this.frecency;
    return new Ranking(rows, (p, q) => tier[q]! - tier[p]! || frecency[rows[q]!]! - frecency[rows[p]!]! || fine[q]! - fine[p]! || rows[p]! - rows[q]!);
  }

  private byFrecency(pool: Int32Array): Ranking {
    let order = this.emptyOrders.get(pool);
    if (!order) {
      const frecency = this.frecency;
      order = new Ranking(pool, (p, q) => frecency[pool[q]!]! - frecency[pool[p]!]! || pool[p]! - pool[q]!);
      this.emptyOrders.set(pool, order);
    }
    return order;
  }
}

/** What the last run matched, with each term's score per matched row (by row index; other rows' entries mean nothing). */
interface LastRun {
  terms: Term[];
  scope: Int32Array | undefined;
  matched: Int32Array;
  scores: Array<{ tier: Float64Array; fine: Float64Array }>;
}

/** How many answered queries are kept for Backspace: about as many characters as a query has. */
const RECENT_QUERIES = 16;

const termsKey = (terms: readonly Term[]) => terms.map((t) => t.text).join(' ');

const sameTerm = (a: Term, b: Term) => a.text === b.text && a.caseSensitive === b.caseSensitive;

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
