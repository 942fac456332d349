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
const EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const VISIBLE = /[^\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]/u;
/** Minimally qualified emoji: ZWJ sequences of pictographs, keycaps. */
const LOOSE_EMOJI = /\p{Extended_Pictographic}.*\u200d.*\p{Extended_Pictographic}|^[0-9#*]\ufe0f?\u20e3$/u;

let segmenter: Intl.Segmenter | undefined;
const clusters = (text: string) => (segmenter ??= new Intl.Segmenter()).segment(text);

function clusterWidth(cluster: string): number {
  if (EMOJI.test(cluster) || LOOSE_EMOJI.test(cluster)) return 2;
  const base = VISIBLE.exec(cluster);
  if (!base) return 0;
  return eastAsianWidth(base[0].codePointAt(0)!);
}

function plainWidth(text: string): number {
  if (ASCII.test(text)) return text.length;
  let width = 0;
  for (const { segment } of clusters(text)) width += clusterWidth(segment);
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
