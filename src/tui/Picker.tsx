/**
 * The picker as an Ink component: a prompt with the query and "N of M", then the rows that
 * fit. Filtering, ordering, layout and key handling live in plain modules; this file wires
 * them to React state and draws lines. It knows nothing of /dev/tty (see run-picker.tsx).
 */
import { Box, Text, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useState, type ReactElement } from 'react';
import type { Filter } from './filter.js';
import type { Ranking } from './ranking.js';
import { parseQuery } from './filter.js';
import { actionFor, type Action } from './keys.js';
import { paint, type Span } from './paint.js';
import { drillInto, initialState, reduce, scrollTop, type PickerState } from './picker-state.js';
import { accountText, measure, planColumns, rowSpans } from './row-layout.js';
import type { PickRow } from './rows.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface PickerProps {
  rows: readonly PickRow[];
  /** Built over `rows` (same order) with their frecency scores. */
  filter: Filter;
  initialQuery?: string;
  colour: boolean;
  /** Milliseconds since the epoch, for "live 42m". */
  now: number;
  /** A fixed size (tests); without it the terminal's, following resizes. */
  size?: TerminalSize;
  /** The chosen row, or undefined when the person left. Called once. */
  onDone: (row: PickRow | undefined) => void;
}

interface Model {
  state: PickerState;
  results: Ranking;
  /** A one-line message until the next key, e.g. why Tab did nothing. */
  note?: string;
  done?: { row: number | undefined };
}

type Dispatch = { action: Action; page: number };

export function Picker(props: PickerProps): ReactElement {
  const { rows, filter, colour, now, onDone } = props;
  const size = useTerminalSize(props.size);
  // Grouped on the first drill-in, not before the first frame.
  const accounts = useMemo(() => once(() => rowsByAccount(rows)), [rows]);
  const scopeRows = useCallback((state: PickerState) => (state.scope ? accounts().get(state.scope.accountId) : undefined), [accounts]);

  const step = useCallback(
    (model: Model, { action, page }: Dispatch): Model => {
      if (model.done) return model;
      const { state: next, effect } = reduce(model.state, action, { count: model.results.length, page });
      let state = next;
      let note: string | undefined;
      if (effect === 'choose') return { ...model, done: { row: model.results.at(state.level.cursor) } };
      if (effect === 'cancel') return { ...model, done: { row: undefined } };
      if (effect === 'drill') {
        const row = rows[model.results.at(state.level.cursor)!]!;
        if (row.accountId === undefined) note = `no account known for ${row.profile}`;
        else state = drillInto(state, { accountId: row.accountId, label: accountText(row) });
      }
      const results = state.level.query === model.state.level.query && state.scope === model.state.scope ? model.results : filter.run(state.level.query, scopeRows(state));
      return note === undefined ? { state, results } : { state, results, note };
    },
    [rows, filter, scopeRows],
  );
  const [model, dispatch] = useReducer(step, props.initialQuery ?? '', (query: string): Model => ({ state: initialState(query), results: filter.run(query) }));

  useEffect(() => {
    // After the first frame is out: build the search index before the first keystroke needs it.
    const timer = setTimeout(() => filter.warm(), 0);
    return () => clearTimeout(timer);
  }, [filter]);

  // A layout effect runs as the choice is committed, not on a later turn of the event loop:
  // Enter answers at once, and nothing typed after it reaches the picker.
  useLayoutEffect(() => {
    if (model.done) onDone(model.done.row === undefined ? undefined : rows[model.done.row]);
  }, [model.done, onDone, rows]);

  const maxima = useMemo(() => measure(rows, now), [rows, now]);
  const plan = useMemo(() => planColumns(size.columns, maxima), [size.columns, maxima]);

  // One line fewer than the terminal: a frame as tall as the screen makes Ink clear it on every update.
  const height = Math.max(2, size.rows - 1);
  const { state, results, note } = model;
  const extra = (state.scope ? 1 : 0) + (note ? 1 : 0);
  const showHelp = height - 1 - extra >= 10;
  const page = Math.max(1, height - 1 - extra - (showHelp ? 1 : 0));

  useInput((input, key) => {
    const action = actionFor(input, key);
    if (action) dispatch({ action, page });
  });

  const total = scopeRows(state)?.length ?? rows.length;
  const top = scrollTop(state.level.top, state.level.cursor, page, results.length);
  const terms = parseQuery(state.level.query);
  const lines: string[] = [promptLine(state.level.query, results.length, total, size.columns, colour)];
  if (state.scope) lines.push(paint([{ text: fit(`account ${state.scope.label}  ← back`, size.columns), style: 'dim' }], colour));
  if (note) lines.push(paint([{ text: fit(note, size.columns), style: 'dim' }], colour));
  for (let i = top; i < Math.min(results.length, top + page); i++) {
    const index = results.at(i)!;
    const hits = terms.length ? filter.index.highlights(index, terms) : undefined;
    lines.push(paint(rowSpans(rows[index]!, plan, hits, i === state.level.cursor, now), colour));
  }
  if (results.length === 0) lines.push(paint([{ text: fit('  no matches', size.columns), style: 'dim' }], colour));
  if (showHelp) lines.push(paint([{ text: fit('↑↓ move  ⏎ choose  ⇥ account  esc quit', size.columns), style: 'dim' }], colour));

  return (
    <Box flexDirection="column" width={size.columns}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

/** `> query▌ ........ 12 of 10000`, keeping the end of a query too long for the line. */
function promptLine(query: string, count: number, total: number, columns: number, colour: boolean): string {
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

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/** Row indices per account id, each kept stable so the filter can cache per account. */
function rowsByAccount(rows: readonly PickRow[]): Map<string, Int32Array> {
  const lists = new Map<string, number[]>();
  rows.forEach((row, i) => {
    if (row.accountId === undefined) return;
    const list = lists.get(row.accountId);
    if (list) list.push(i);
    else lists.set(row.accountId, [i]);
  });
  return new Map([...lists].map(([id, list]) => [id, Int32Array.from(list)]));
}

/** The given size, or the terminal's, updated on resize. */
function useTerminalSize(fixed: TerminalSize | undefined): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }));
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}
