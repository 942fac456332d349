/**
 * Ink's string-width, in the picker's bundle (scripts/build.mjs routes Ink's import here): the
 * widths of src/tty/width.ts, which agree with string-width's (test/tui/ink-width.test.ts), with
 * every escape sequence stripped as string-width strips them, but without its emoji regex and
 * segmenter, which cost tens of milliseconds before Ink's first frame.
 */
import stripAnsi from 'strip-ansi';
import { plainWidth } from '../tty/width.js';

export default function stringWidth(text: unknown): number {
  if (typeof text !== 'string' || text.length === 0) return 0;
  return plainWidth(text.includes('\u001b') || text.includes('\u009b') ? stripAnsi(text) : text);
}
