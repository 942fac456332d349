/**
 * The one sanitiser for text that reaches a person's screen. Names and aliases come from
 * config files, argv and IAM, so from people who may not mean well: none of their characters
 * may move the cursor, erase, set the window title, ring the bell, start a line or reorder the
 * text around them. Each such character becomes one `?`, so a column planned by `.length`
 * stays as wide as planned and the person sees that something was there.
 *
 * What is replaced: C0 controls (ESC, BEL, CR, BS, ...; LF only in one-line text, TAB always),
 * DEL and C1 controls (U+0080–U+009F, e.g. CSI U+009B and NEL U+0085), the bidi embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), the directional marks U+200E, U+200F
 * and U+061C, the line and paragraph separators, lone surrogates, and the noncharacters awsguard
 * uses as its own style marks (palette.ts), so text can never carry a style of its own.
 */

// Built from code points rather than written literally, so the source itself holds no controls.
const ALWAYS = '\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufdd0-\\ufdef\\ufffe\\uffff';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const IN_BLOCK = new RegExp(`[${ALWAYS}]|${LONE_SURROGATE}`, 'g');
const IN_LINE = new RegExp(`[${ALWAYS}\\n]|${LONE_SURROGATE}`, 'g');
const NEEDS_WORK = /[^\x20-\x7e\n]/;

/**
 * Text for a screen: every dangerous character becomes `?`. `line` (the default) is for one
 * line, a name or a message, where a line feed is a name's trick; a `block` keeps line feeds,
 * which are then awsguard's own (help, tables, the lines of a doctor finding).
 */
export function cleanText(text: string, mode: 'line' | 'block' = 'line'): string {
  if (!NEEDS_WORK.test(text)) return mode === 'line' && text.includes('\n') ? text.replace(/\n/g, '?') : text;
  return text.replace(mode === 'line' ? IN_LINE : IN_BLOCK, '?');
}

