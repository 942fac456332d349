/**
 * awsguard's one palette: named tokens for every colour it shows (the identity line, tables,
 * doctor, the picker), and the one place that decides whether colour is used at all.
 *
 * Text is styled with marks, not escape codes: `style('protected', 'PROTECTED')` wraps the
 * words in two marks that only the output layer (output.ts) turns into SGR codes, or drops
 * when the stream gets no colour (NO_COLOR, TERM=dumb, not a terminal). The output layer
 * removes every control character from the text between the marks first, so a name can never
 * bring an escape sequence of its own, while awsguard's colours survive. A mark is a Unicode
 * noncharacter (reserved for a program's internal use), the token's letter and a key chosen at
 * start-up: text from a file, IAM or argv cannot forge one, since the key never leaves the
 * process (marks are always rendered or dropped before a write), and the sanitiser replaces any
 * noncharacter that is not part of a real mark.
 */

/** SGR parameters for colour, and for a terminal without colour (the picker keeps bold and underline there). */
const TOKENS = {
  /** The account an identity line names. */
  account: { colour: '1', mono: '' },
  /** PROTECTED, and a session that has EXPIRED. */
  protected: { colour: '1;31', mono: '' },
  /** The `·` between the parts of the identity line. */
  separator: { colour: '2', mono: '' },
  /** A table's header row. */
  header: { colour: '1', mono: '' },
  /** A table row that is broken. */
  error: { colour: '31', mono: '' },
  /** doctor's marks. */
  ok: { colour: '32', mono: '' },
  warn: { colour: '33', mono: '' },
  fail: { colour: '31', mono: '' },
  // The picker's styles (tui/paint.ts); its black-and-white theme is fzf's: bold and underline
  // mark matches, inverse the query cursor.
  plain: { colour: '', mono: '' },
  hit: { colour: '1;32', mono: '1;4' },
  selected: { colour: '1;36', mono: '1' },
  badge: { colour: '1;31', mono: '1' },
  dim: { colour: '2', mono: '' },
  live: { colour: '32', mono: '' },
  broken: { colour: '31', mono: '' },
  cursor: { colour: '7', mono: '7' },
} as const satisfies Record<string, { colour: string; mono: string }>;

export type Token = keyof typeof TOKENS;
/** `colour`; `mono`: attributes only (the picker under NO_COLOR); `none`: no codes at all. */
export type ColourMode = 'colour' | 'mono' | 'none';

const RESET = '\u001b[0m';

/** Colour only on a terminal, never when NO_COLOR is set to anything non-empty; FORCE_COLOR forces it. */
export function useColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

/** The SGR sequence of a token in a mode, '' when it has none. */
function sgr(token: Token, mode: ColourMode): string {
  if (mode === 'none') return '';
  const code = TOKENS[token][mode];
  return code ? `\u001b[${code}m` : '';
}

/** Text in a token's style, as SGR codes written directly (the picker draws on its own terminal). */
export function sgrText(token: Token, text: string, mode: ColourMode): string {
  const open = sgr(token, mode);
  return open ? open + text + RESET : text;
}

// ---- marks, for the command line's stdout and stderr ----

const NAMES = Object.keys(TOKENS) as Token[];
const OPEN = '\ufdd0';
const CLOSE = '\ufdd1';
const RESET_LETTER = '0';
/** Unguessable to whoever wrote a config file or an IAM alias before this process started. */
const KEY = Array.from({ length: 10 }, () => String.fromCharCode(0x61 + Math.floor(Math.random() * 26))).join('');
const letterOf = (token: Token) => String.fromCharCode(0x41 + NAMES.indexOf(token));
const MARK = new RegExp(`${OPEN}([A-Z0])${KEY}${CLOSE}`, 'g');

/** `text` in `token`'s style, for the output layer to render; nested styles are not supported. */
export function style(token: Token, text: string): string {
  return `${OPEN}${letterOf(token)}${KEY}${CLOSE}${text}${OPEN}${RESET_LETTER}${KEY}${CLOSE}`;
}

/**
 * Splits marked text into plain pieces (to be sanitised) and the codes between them, and joins
 * them again: `clean` is applied to every piece of text, never to a mark.
 */
export function renderMarks(text: string, mode: ColourMode, clean: (piece: string) => string): string {
  if (!text.includes(OPEN)) return clean(text);
  let out = '';
  let last = 0;
  let open = false;
  MARK.lastIndex = 0;
  for (let m = MARK.exec(text); m; m = MARK.exec(text)) {
    out += clean(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] === RESET_LETTER) {
      if (open) out += RESET;
      open = false;
    } else {
      const code = sgr(NAMES[m[1]!.charCodeAt(0) - 0x41]!, mode);
      if (code) {
        out += code;
        open = true;
      }
    }
  }
  out += clean(text.slice(last));
  if (open) out += RESET;
  return out;
}

/** The text without marks: what a width is measured on, and what a plain stream gets. */
export function unmarked(text: string): string {
  if (!text.includes(OPEN)) return text;
  MARK.lastIndex = 0;
  return text.replace(MARK, '');
}
