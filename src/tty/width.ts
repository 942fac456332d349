/**
 * How many columns text takes on a terminal: CJK and most emoji take two, combining marks none.
 * string-width (the library Ink measures with) decides; ASCII, the usual case, is its length.
 */
import stringWidth from 'string-width';
import { unmarked } from './palette.js';

const ASCII = /^[\x20-\x7e]*$/;

/** Columns `text` takes, style marks and SGR codes not counted. */
export function displayWidth(text: string): number {
  const plain = unmarked(text);
  return ASCII.test(plain) ? plain.length : stringWidth(plain);
}

let segmenter: Intl.Segmenter | undefined;

/** `text` cut to at most `width` columns, with `…` when something was cut; whole characters only. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  if (ASCII.test(text)) return text.slice(0, width - 1) + '…';
  segmenter ??= new Intl.Segmenter();
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
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
