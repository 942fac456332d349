/** Names as a hostile config file, argv or IAM answer would give them, and what may not survive. */

/** Every trick the issue names: ESC sequences (erase line, window title), BEL, CR, LF, C1 CSI, a bidi override. */
export const HOSTILE = 'ev\x1b[2K\x1b]0;pwned\x07il\rX\nY\x9b31m\u202eZ';

/**
 * What a screen must never receive from a name: any C0 control but awsguard's own line feeds
 * (checked separately), DEL, C1, bidi controls. `text` is what reached the terminal, with
 * awsguard's own SGR codes (ESC [ digits ; m) taken out first.
 */
export function forbiddenOnScreen(text: string): string[] {
  const withoutOwnSgr = text.replace(/\x1b\[[0-9;]*m/g, '');
  const found = withoutOwnSgr.match(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g) ?? [];
  return [...new Set(found)].map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
