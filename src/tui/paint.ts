/**
 * Styles as ANSI codes, written by the picker itself rather than through Ink's colour props:
 * Ink's chalk decides colour support from stdout, which is the pipe of `P=$(awsguard pick)`
 * while the picker draws on /dev/tty. The codes come from the one palette (tty/palette.ts);
 * without colour (NO_COLOR, TERM=dumb) only attributes that are not colours remain, as fzf's
 * black-and-white theme does; every meaning also has a word or a symbol. Every span's text is
 * cleaned (tty/sanitize.ts) one for one, so a name cannot draw on the picker's screen and a
 * column planned by length keeps its width.
 */
import { sgrText } from '../tty/palette.js';
import { cleanText } from '../tty/sanitize.js';

export type Style = 'plain' | 'hit' | 'selected' | 'badge' | 'dim' | 'live' | 'broken' | 'cursor';

export interface Span {
  text: string;
  style: Style;
}

export function paint(spans: readonly Span[], colour: boolean): string {
  const mode = colour ? 'colour' : 'mono';
  let out = '';
  for (const { text, style } of spans) {
    if (!text) continue;
    out += sgrText(style, cleanText(text), mode);
  }
  return out;
}
