/**
 * Python's `shlex.split(s)` (POSIX mode, no comments), which botocore uses to take the
 * profile name out of `[profile "my name"]`. Throws `ShlexError` where Python raises ValueError.
 */
export class ShlexError extends Error {}

const WHITESPACE = ' \t\r\n';
const QUOTES = `'"`;
const ESCAPE = '\\';
/** Inside these quotes a backslash escapes only the quote itself and another backslash. */
const ESCAPED_QUOTES = '"';

export function shlexSplit(s: string): string[] {
  const tokens: string[] = [];
  let pos = 0;
  let state: string | null = ' ';
  const read = (): string => (pos < s.length ? s[pos++]! : '');

  while (state !== null) {
    let token = '';
    let quoted = false;
    let escapedState = ' ';
    for (;;) {
      const ch = read();
      if (state === ' ') {
        if (!ch) {
          state = null;
          break;
        } else if (WHITESPACE.includes(ch)) {
          if (token || quoted) break;
          continue;
        } else if (ch === ESCAPE) {
          escapedState = 'a';
          state = ch;
        } else if (QUOTES.includes(ch)) {
          state = ch;
        } else {
          token = ch;
          state = 'a';
        }
      } else if (QUOTES.includes(state)) {
        quoted = true;
        if (!ch) throw new ShlexError('No closing quotation');
        if (ch === state) state = 'a';
        else if (ch === ESCAPE && ESCAPED_QUOTES.includes(state)) {
          escapedState = state;
          state = ch;
        } else token += ch;
      } else if (state === ESCAPE) {
        if (!ch) throw new ShlexError('No escaped character');
        if (QUOTES.includes(escapedState) && ch !== state && ch !== escapedState) token += state;
        token += ch;
        state = escapedState;
      } else {
        // state 'a': inside a word
        if (!ch) {
          state = null;
          break;
        } else if (WHITESPACE.includes(ch)) {
          state = ' ';
          if (token || quoted) break;
          continue;
        } else if (QUOTES.includes(ch)) {
          state = ch;
        } else if (ch === ESCAPE) {
          escapedState = 'a';
          state = ch;
        } else token += ch;
      }
    }
    if (token !== '' || quoted) tokens.push(token);
  }
  return tokens;
}
