/**
 * The picker's screen as lines of text, from its state: the prompt with "N of M", the rows that
 * fit, notes and the key help. Plain code, so the command can draw the very first frame itself
 * while Ink and React load (see commands/pick.ts), and the component draws every later one.
 */
import { parseQuery, type Filter } from './filter.js';
import { paint, type Span } from './paint.js';
import { scrollTop, type PickerState } from './picker-state.js';
import type { Ranking } from './ranking.js';
import { rowSpans, type ColumnPlan } from './row-layout.js';
import type { PickRow } from './rows.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface FrameInput {
  rows: readonly PickRow[];
  filter: Filter;
  results: Ranking;
  state: PickerState;
  /** How many rows the current level has before filtering. */
  total: number;
  /** How many rows match, when `results` holds only the first of them (the first page). */
  matched?: number;
  /** The count is a least: the rows are still being built, and matched by name alone so far. */
  matchedAtLeast?: boolean;
  note: string | undefined;
  /** The SSO portal's rows, for the key help: none to list, listable, or shown. */
  portal: 'none' | 'hidden' | 'shown';
  plan: ColumnPlan;
  size: TerminalSize;
  colour: boolean;
  now: number;
}

/** How tall the list is: what the key handler pages by, and what is drawn. */
export function pageSize(size: TerminalSize, state: PickerState, note: string | undefined): { page: number; showHelp: boolean } {
  // One line fewer than the terminal: a frame as tall as the screen makes Ink clear it on every update.
  const height = Math.max(2, size.rows - 1);
  const extra = (state.scope ? 1 : 0) + (note ? 1 : 0);
  const showHelp = height - 1 - extra >= 10;
  return { page: Math.max(1, height - 1 - extra - (showHelp ? 1 : 0)), showHelp };
}

export function frameLines(f: FrameInput): string[] {
  const { state, results, size, colour, note } = f;
  const { page, showHelp } = pageSize(size, state, note);
  const top = scrollTop(state.level.top, state.level.cursor, page, results.length);
  const terms = parseQuery(state.level.query);
  const lines: string[] = [promptLine(state.level.query, `${f.matched ?? results.length}${f.matchedAtLeast ? '+' : ''}`, f.total, size.columns, colour)];
  if (state.scope) lines.push(paint([{ text: fit(`account ${state.scope.label}  ← back`, size.columns), style: 'dim' }], colour));
  if (note) lines.push(paint([{ text: fit(note, size.columns), style: 'dim' }], colour));
  for (let i = top; i < Math.min(results.length, top + page); i++) {
    const index = results.at(i)!;
    const hits = terms.length ? f.filter.index.highlights(index, terms) : undefined;
    lines.push(paint(rowSpans(f.rows[index]!, f.plan, hits, i === state.level.cursor, f.now), colour));
  }
  if (results.length === 0) lines.push(paint([{ text: fit('  no matches', size.columns), style: 'dim' }], colour));
  const portalKey = { none: '', hidden: '^s sso  ', shown: '^s profiles  ' }[f.portal];
  if (showHelp) lines.push(paint([{ text: fit(`↑↓ move  ⏎ choose  ⇥ account  ${portalKey}esc quit`, size.columns), style: 'dim' }], colour));
  return lines;
}

/** `> query▌ ........ 12 of 10000`, keeping the end of a query too long for the line. */
function promptLine(query: string, count: string, total: number, columns: number, colour: boolean): string {
  const counter = `${count} of ${total}`;
  const room = columns - 2 - 1; // "> " and the cursor
  const showCounter = room - query.length > counter.length;
  const space = showCounter ? room - counter.length - 1 : room;
  const shown = query.length > space ? '…' + query.slice(query.length - Math.max(0, space - 1)) : query;
  const spans: Span[] = [
    { text: '> ', style: 'selected' },
    { text: shown, style: 'plain' },
    { text: ' ', style: 'cursor' },
  ];
  if (showCounter) spans.push({ text: ' '.repeat(Math.max(1, space - shown.length + 1)), style: 'plain' }, { text: counter, style: 'dim' });
  return paint(spans, colour);
}

function fit(text: string, columns: number): string {
  return text.length > columns ? text.slice(0, Math.max(0, columns - 1)) + '…' : text;
}
