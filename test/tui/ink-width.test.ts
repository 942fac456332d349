import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import inkWidth from '../../src/tui/ink-width.js';

// Characters that join grapheme clusters or change widths, and plain ones around them.
const POOL = [
  'a', ' ', '-', '1', '#', '*', '東', 'ｈ', 'ﾊ', '\uff9e', 'é', 'e', '\u0301', '\u20dd', '\u200b', '\u200c', '\u200d', '\ufe0f', '\ufe0e', '\u20e3',
  '👩', '💻', '🏳', '🌈', '📦', '☁', '✔', '↑', '⏎', '⇥', '…', '·', '🇩', '🇪', '🏻', '한', '\u1100', '\u1161', '\u11a8', 'ก', '\u0e33', '\u0d4e', 'ക',
  '\u0915', '\u094d', '\u093f', '\u0600', '\t', '\u007f', '\u00ad', '\u2028', '\u{e0067}', '\u{1f3f4}', '\u{11a84}', 'Ω', '\u0483',
];
const SGR = ['\u001b[1m', '\u001b[22m', '\u001b[31m', '\u001b[39m', '\u001b[38;5;203m', '\u001b]8;;https://x\u0007', '\u001b]8;;\u0007'];

describe("Ink's string-width in the picker's bundle", () => {
  it('measures what string-width measures, escape sequences stripped', () => {
    const samples = ['', 'acme-prod', '\u001b[2m↑↓ move  ⏎ choose  ⇥ account  esc quit\u001b[22m', '\u001b[1m\u001b[32m東京\u001b[39m\u001b[22m-prod', '👩‍💻 dev', '🇩🇪', '1️⃣', '🏳️‍🌈', 'e\u0301'];
    for (const s of samples) expect([s, inkWidth(s)]).toEqual([s, stringWidth(s)]);
  });

  it('agrees with string-width on any mix of joining characters, plain ones and colour', () => {
    const text = fc.array(fc.constantFrom(...POOL, ...SGR), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (s) => inkWidth(s) === stringWidth(s)),
      { numRuns: 3000 },
    );
  });
});
