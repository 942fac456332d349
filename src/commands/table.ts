/**
 * Plain aligned columns; colour only marks, the words carry the meaning. Every cell is cleaned
 * (tty/sanitize.ts) and measured in terminal columns (CJK and emoji take two), and on a terminal
 * the table is fitted to its width: the least important columns are cut (with `…`) first, so
 * each row stays one line. Piped, it keeps its full width.
 */
import { style } from '../tty/palette.js';
import { cleanText } from '../tty/sanitize.js';
import { displayWidth, padEnd, truncate } from '../tty/width.js';

export interface TableOptions {
  color: boolean;
  highlight?: Array<'error' | 'protected' | undefined>;
  /** The terminal's width; undefined: every column as wide as its widest cell. */
  width?: number | undefined;
  /** Columns (by index) that give up width when the table is too wide, the least important first. */
  shrink?: readonly number[];
}

const GAP = '  ';
/** A cut column keeps at least this much (or its header), so what it holds can still be guessed. */
const MIN_CUT = 8;

export function renderTable(header: string[], rows: string[][], opts: TableOptions): string {
  const head = header.map((h) => cleanText(h));
  const body = rows.map((r) => head.map((_, i) => cleanText(r[i] ?? '')));
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...body.map((r) => displayWidth(r[i]!))));
  if (opts.width !== undefined) fit(widths, head, opts.width, opts.shrink ?? []);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const cut = truncate(c, widths[i]!);
        return i === cells.length - 1 ? cut : padEnd(cut, widths[i]!);
      })
      .join(GAP)
      .trimEnd();
  const out: string[] = [opts.color ? style('header', line(head)) : line(head)];
  body.forEach((r, i) => {
    const text = line(r);
    out.push(opts.color && opts.highlight?.[i] ? style('error', text) : text);
  });
  return out.join('\n') + '\n';
}

/** Narrows the `shrink` columns, in order, until the table fits `width` (or they cannot give more). */
function fit(widths: number[], head: string[], width: number, shrink: readonly number[]): void {
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  for (const col of shrink) {
    const excess = total() - width;
    if (excess <= 0) return;
    const floor = Math.min(widths[col]!, Math.max(MIN_CUT, displayWidth(head[col]!)));
    widths[col] = Math.max(floor, widths[col]! - excess);
  }
}
