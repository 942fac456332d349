import * as original from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { styledCharsFromTokens, styledCharsToString, tokenize } from '../../src/tui/ink-ansi-tokenize.js';

const PARTS = ['a', 'b', ' ', '東', '\u001b[1m', '\u001b[2m', '\u001b[22m', '\u001b[31m', '\u001b[32m', '\u001b[39m', '\u001b[0m', '\u001b[7m', '\u001b[27m', '\u001b[38;5;203m', '\u001b[48;2;1;2;3m', '\u001b[49m', '\u001b[4m', '\u001b[24m'];

describe("ansi-tokenize's styledCharsToString in the picker's bundle", () => {
  it('writes the same string as the original for any styled line', () => {
    const line = fc.array(fc.constantFrom(...PARTS), { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(line, (text) => {
        const chars = styledCharsFromTokens(tokenize(text));
        return styledCharsToString(chars) === original.styledCharsToString(chars);
      }),
      { numRuns: 3000 },
    );
  });

  it('writes one escape per change of style, not per character', () => {
    const chars = styledCharsFromTokens(tokenize('\u001b[1mbold\u001b[22m plain'));
    expect(styledCharsToString(chars)).toBe('\u001b[1mbold\u001b[22m plain');
  });
});
