/**
 * @alcalzone/ansi-tokenize as Ink uses it, in the picker's bundle (scripts/build.mjs routes
 * Ink's import here), with one change: styledCharsToString skips the diff between two
 * characters of the same style, which is empty. The original diffs every pair (three sets and
 * four arrays per character of the screen, blanks included): most of the time of Ink's every
 * frame. The output is the same string (test/tui/ink-ansi-tokenize.test.ts).
 */
import * as original from '@alcalzone/ansi-tokenize';

export * from '@alcalzone/ansi-tokenize';

type Styled = original.StyledChar;
type Code = Styled['styles'][number];

const sameStyle = (a: readonly Code[], b: readonly Code[]) => a === b || (a.length === b.length && a.every((code, i) => code.code === b[i]!.code && code.endCode === b[i]!.endCode));

export function styledCharsToString(chars: readonly Styled[]): string {
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (i === 0) out += original.ansiCodesToString(char.styles);
    else if (!sameStyle(chars[i - 1]!.styles, char.styles)) out += original.ansiCodesToString(original.diffAnsiCodes(chars[i - 1]!.styles, char.styles));
    out += char.value;
    if (i === chars.length - 1 && char.styles.length) out += original.ansiCodesToString(original.diffAnsiCodes(char.styles, []));
  }
  return out;
}
