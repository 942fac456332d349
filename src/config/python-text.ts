/**
 * Python's notions of whitespace and lines, which differ from JavaScript's: botocore reads
 * config files with Python's `str.strip()`, `re`'s `\s`, universal newlines and `splitlines()`,
 * and a reader that used `trim()` would disagree on BOMs, `\x1c`-`\x1f` and `\x85`.
 */

/** `str.isspace()` / `re` `\s` in CPython (Py_UNICODE_ISSPACE). */
export function isPySpace(ch: string): boolean {
  return isPySpaceCode(ch.charCodeAt(0));
}

/** The same for a UTF-16 code unit, so a scanner need not make one-character strings. */
export function isPySpaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPySpace(s[start]!)) start++;
  while (end > start && isPySpace(s[end - 1]!)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Index of the first non-whitespace character (`NONSPACECRE.search`), 0 when there is none. */
export function indentOf(line: string): number {
  for (let i = 0; i < line.length; i++) if (!isPySpace(line[i]!)) return i;
  return 0;
}

/** Lines as Python's text-mode file iteration yields them: split on `\n`, `\r\n` and a lone `\r`. */
export function universalLines(text: string): string[] {
  const lines = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
  // A trailing newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `str.splitlines()`: also breaks at \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029. */
export function pySplitlines(s: string): string[] {
  const out = s.split(/\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
