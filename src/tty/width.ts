/**
 * How many columns text takes on a terminal: CJK and emoji take two, combining marks none. The
 * width of a character is get-east-asian-width's (Unicode's East Asian Width, the table
 * string-width and Ink use), taken per grapheme cluster as string-width does: an emoji cluster
 * is two, a cluster of marks or format characters none, otherwise its first visible character
 * decides. string-width itself builds an Intl.Segmenter when it is loaded, which costs tens of
 * milliseconds, on every command; here the segmenter is made only for text that is not ASCII,
 * the usual case being its length.
 */
import { eastAsianWidth } from 'get-east-asian-width';
import { unmarked } from './palette.js';

const ASCII = /^[\x20-\x7e]*$/;
// RGI_Emoji is a property of strings: it needs the `v` flag, which Node 20 has and TypeScript's target here does not name.
// Building it and its first match cost about 60 ms, so it is built only for a cluster that can
// be one: every RGI emoji has a character of emoji presentation or a variation selector 16
// (keycaps, flags, modifier, tag and ZWJ sequences included); arrows, CJK and accents have neither.
let emoji: RegExp | undefined;
const isEmoji = (cluster: string) => patterns().maybeEmoji.test(cluster) && (emoji ??= new RegExp('^\\p{RGI_Emoji}$', 'v')).test(cluster);

/**
 * The patterns for text that is not ASCII, made at its first measure: each literal with Unicode
 * properties costs V8 a fifth of a millisecond or more when it is evaluated, and most commands
 * measure only ASCII (names, ids, regions) or nothing at all.
 */
let made: { maybeEmoji: RegExp; visible: RegExp; looseEmoji: RegExp; singles: RegExp; spacingMark: RegExp } | undefined;
function patterns() {
  return (made ??= {
    maybeEmoji: /[\p{Emoji_Presentation}\ufe0f]/u,
    visible: /[^\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]/u,
    /** Minimally qualified emoji: ZWJ sequences of pictographs, keycaps. */
    looseEmoji: /\p{Extended_Pictographic}.*\u200d.*\p{Extended_Pictographic}|^[0-9#*]\ufe0f?\u20e3$/su,
    /**
     * Text in which every code point is a grapheme cluster of its own needs no segmenter (making
     * the first costs about 16 ms): none of the characters that join a cluster by Unicode's rules
     * (UAX #29) — marks and other extenders, format and control characters, spacing marks and
     * prepends outside the mark category, Hangul jamo, regional indicators, emoji modifiers.
     */
    singles: /^[^\p{M}\p{Cf}\p{Cc}\p{Cs}\p{Regional_Indicator}\p{Emoji_Modifier}\uff9e\uff9f\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\u0e33\u0eb3\u0d4e\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}\u{11f02}]*$/u,
    spacingMark: /\p{Spacing_Mark}/u,
  });
}

let segmenter: Intl.Segmenter | undefined;
const clusters = (text: string) => (segmenter ??= new Intl.Segmenter()).segment(text);

/** A cluster's width by string-width 8's rules (the table Ink measures by), rule for rule. */
function clusterWidth(cluster: string): number {
  const at = cluster.search(patterns().visible);
  if (at === -1) return 0;
  if (isEmoji(cluster) || patterns().looseEmoji.test(cluster)) return 2;
  const visible = at === 0 ? cluster : cluster.slice(at);
  const hangul = hangulWidth(visible);
  if (hangul !== undefined) return hangul;
  let width = eastAsianWidth(visible.codePointAt(0)!);
  // Spacing marks and halfwidth/fullwidth forms after the base take their own columns.
  let first = true;
  for (const character of visible) {
    if (first) first = false;
    else if (patterns().spacingMark.test(character) || (character >= '\uff00' && character <= '\uffef')) width += eastAsianWidth(character.codePointAt(0)!);
  }
  return width;
}

const isLeading = (c: number | undefined) => c !== undefined && ((c >= 0x1100 && c <= 0x115f) || (c >= 0xa960 && c <= 0xa97c));
const isVowel = (c: number | undefined) => c !== undefined && ((c >= 0x1160 && c <= 0x11a7) || (c >= 0xd7b0 && c <= 0xd7c6));
const isTrailing = (c: number | undefined) => c !== undefined && ((c >= 0x11a8 && c <= 0x11ff) || (c >= 0xd7cb && c <= 0xd7fb));

/** Hangul jamo: each leading+vowel(+trailing) run is one two-column syllable; undefined when the cluster does not start with jamo. */
function hangulWidth(visible: string): number | undefined {
  const points: number[] = [];
  for (const character of visible) if (patterns().visible.test(character)) points.push(character.codePointAt(0)!);
  let width = 0;
  for (let i = 0; i < points.length; i++) {
    const c = points[i]!;
    if (!isLeading(c) && !isVowel(c) && !isTrailing(c)) {
      if (width === 0) return undefined;
      for (let rest = i; rest < points.length; rest++) width += eastAsianWidth(points[rest]!);
      return width;
    }
    if (isLeading(c) && isVowel(points[i + 1])) {
      width += 2;
      i += isTrailing(points[i + 2]) ? 2 : 1;
      continue;
    }
    width += eastAsianWidth(c);
  }
  return points.length ? width : undefined;
}

/** Columns `text` takes; it has no style marks or other escapes. */
export function plainWidth(text: string): number {
  if (ASCII.test(text)) return text.length;
  let width = 0;
  if (patterns().singles.test(text)) for (const character of text) width += clusterWidth(character);
  else for (const { segment } of clusters(text)) width += clusterWidth(segment);
  return width;
}

/** Columns `text` takes, style marks not counted. */
export function displayWidth(text: string): number {
  return plainWidth(unmarked(text));
}

/** `text` cut to at most `width` columns, with `…` when something was cut; whole characters only. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  if (ASCII.test(text)) return text.slice(0, width - 1) + '…';
  let out = '';
  let used = 0;
  for (const { segment } of clusters(text)) {
    const w = clusterWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** `text` padded with spaces to `width` columns. */
export function padEnd(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}
