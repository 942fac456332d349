/**
 * Styles as ANSI codes, written by the picker itself rather than through Ink's colour props:
 * Ink's chalk decides colour support from stdout, which is the pipe of `P=$(awsguard pick)`
 * while the picker draws on /dev/tty. Without colour (NO_COLOR, TERM=dumb) only attributes
 * that are not colours remain, as fzf's black-and-white theme does: bold and underline mark
 * matches, inverse the query cursor; every meaning also has a word or a symbol.
 */
export type Style = 'plain' | 'hit' | 'selected' | 'badge' | 'dim' | 'live' | 'broken' | 'cursor';

export interface Span {
  text: string;
  style: Style;
}

const COLOUR: Record<Style, string> = {
  plain: '',
  hit: '1;32',
  selected: '1;36',
  badge: '1;31',
  dim: '2',
  live: '32',
  broken: '31',
  cursor: '7',
};

const MONO: Record<Style, string> = {
  plain: '',
  hit: '1;4',
  selected: '1',
  badge: '1',
  dim: '',
  live: '',
  broken: '',
  cursor: '7',
};

export function paint(spans: readonly Span[], colour: boolean): string {
  const codes = colour ? COLOUR : MONO;
  let out = '';
  for (const { text, style } of spans) {
    if (!text) continue;
    const code = codes[style];
    out += code ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
  return out;
}
