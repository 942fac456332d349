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

/** `str.splitlines()`: also breaks at \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029. */
export function pySplitlines(s: string): string[] {
  const out = s.split(/\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
