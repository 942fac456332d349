import { describe, expect, it } from 'vitest';
import { humanOutput, toTerminal, writeData, type Sink } from '../../src/tty/output.js';
import { sgrText, style, unmarked, useColour } from '../../src/tty/palette.js';
import { cleanText } from '../../src/tty/sanitize.js';
import { forbiddenOnScreen, HOSTILE } from './hostile.js';

const sink = (isTTY: boolean) => {
  let written = '';
  const s: Sink & { text: () => string } = { isTTY, write: (t) => void (written += t), writeBytes: (b) => void (written += Buffer.from(b).toString('utf8')), text: () => written };
  return s;
};

describe('cleanText', () => {
  it('replaces each control and bidi character by one ?, so a name keeps its length', () => {
    expect(cleanText(HOSTILE)).toBe('ev?[2K?]0;pwned?il?X?Y?31m?Z');
    expect(cleanText(HOSTILE)).toHaveLength(HOSTILE.length);
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', '\x85', '\x7f', '\t', '\x00', '\u2028']) {
      expect(cleanText(`a${c}b`)).toBe('a?b');
    }
  });

  it('keeps line feeds only in a block, and leaves ordinary text alone', () => {
    expect(cleanText('a\nb', 'block')).toBe('a\nb');
    expect(cleanText('a\nb')).toBe('a?b');
    expect(cleanText('payments-prod → 東京 📦 ü')).toBe('payments-prod → 東京 📦 ü');
  });

  it('replaces lone surrogates and the noncharacters used for style marks', () => {
    expect(cleanText('a\ud800b\udc00c\ufdd0d')).toBe('a?b?c?d');
    expect(cleanText('\ud83d\udce6')).toBe('📦');
  });
});

describe('the output layer', () => {
  it('cleans human text on a terminal and when piped; keeps its own line feeds', () => {
    for (const isTTY of [true, false]) {
      const s = sink(isTTY);
      humanOutput(s, {}).write(`awsguard: profile ${HOSTILE}\nnext\n`);
      expect(forbiddenOnScreen(s.text())).toEqual([]);
      expect(s.text()).toContain('\nnext\n');
    }
  });

  it("renders the palette's marks as colour on a terminal, drops them under NO_COLOR, TERM=dumb and in a pipe", () => {
    const text = `${style('protected', 'PROTECTED')} ${HOSTILE}\n`;
    const on = sink(true);
    humanOutput(on, { TERM: 'xterm' }).write(text);
    expect(on.text()).toContain('\x1b[1;31mPROTECTED\x1b[0m');
    expect(forbiddenOnScreen(on.text())).toEqual([]);
    for (const [isTTY, env] of [
      [true, { NO_COLOR: '1' }],
      [true, { TERM: 'dumb' }],
      [false, {}],
    ] as const) {
      const off = sink(isTTY);
      humanOutput(off, env).write(text);
      expect(off.text()).not.toMatch(/\x1b/);
      expect(off.text()).toMatch(/^PROTECTED ev\?/);
    }
    const forced = sink(false);
    humanOutput(forced, { FORCE_COLOR: '1' }).write(text);
    expect(forced.text()).toContain('\x1b[1;31mPROTECTED');
  });

  it('a name cannot forge a style mark: the key is not in the text it was given', () => {
    const real = style('protected', 'x');
    // Everything a forger could know: the noncharacters, the letters, any key of ten letters.
    const forged = real.replace(/[a-z]{10}/g, 'abcdefghij');
    expect(toTerminal(forged, 'colour')).not.toMatch(/\x1b/);
    expect(unmarked(real)).toBe('x');
  });

  it('writes data byte for byte', () => {
    const s = sink(true);
    const json = JSON.stringify({ alias: HOSTILE }) + '\n';
    writeData(humanOutput(s, {}), json);
    expect(s.text()).toBe(json);
  });
});

describe('the palette', () => {
  it('decides colour in one place: NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal', () => {
    expect(useColour({}, true)).toBe(true);
    expect(useColour({}, false)).toBe(false);
    expect(useColour({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(useColour({ NO_COLOR: '' }, true)).toBe(true);
    expect(useColour({ FORCE_COLOR: '0' }, false)).toBe(false);
    expect(useColour({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(useColour({ TERM: 'dumb' }, true)).toBe(false);
  });

  it("gives the picker fzf's black-and-white theme without colour", () => {
    expect(sgrText('hit', 'a', 'colour')).toBe('\x1b[1;32ma\x1b[0m');
    expect(sgrText('hit', 'a', 'mono')).toBe('\x1b[1;4ma\x1b[0m');
    expect(sgrText('dim', 'a', 'mono')).toBe('a');
  });
});
