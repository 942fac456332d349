/**
 * The picker as an Ink component: a prompt with the query and "N of M", then the rows that
 * fit. Filtering, ordering, layout, key handling and the frame's lines (frame.ts) live in
 * plain modules; this file wires them to React state. It knows nothing of /dev/tty (see run-picker.tsx).
 */
import { Box, Text, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useState, type ReactElement } from 'react';
import type { Filter } from './filter.js';
import { frameLines, pageSize, type TerminalSize } from './frame.js';
import type { Ranking } from './ranking.js';
import { actionsFor, type Action } from './keys.js';
import { drillInto, initialState, reduce, restart, type PickerState } from './picker-state.js';
import { accountText, measure, planColumns } from './row-layout.js';
import type { PickRow } from './rows.js';

export type { TerminalSize } from './frame.js';

/** Rows and the filter built over them (same order, with their frecency scores). */
export interface RowSet {
  rows: readonly PickRow[];
  filter: Filter;
  /** Said once the set is shown, e.g. which SSO sessions could not be listed. */
  note?: string;
}

/** The SSO portal's accounts and roles, added to the profiles on Ctrl-S. */
export interface PortalRows {
  /** The profiles' rows plus the portal's; rejects with a message to show. */
  load: () => Promise<RowSet>;
  /** Already listed (`pick --sso`): the picker starts with them. */
  loaded?: RowSet;
}

export interface PickerProps {
  rows: readonly PickRow[];
  /** Built over `rows` (same order) with their frecency scores. */
  filter: Filter;
  /** Without it, Ctrl-S says there is no SSO session to list. */
  portal?: PortalRows;
  initialQuery?: string;
  /** Where the picker was before Ink loaded (type-ahead.ts), keys typed meanwhile applied; instead of initialQuery. */
  start?: { state: PickerState; note: string | undefined };
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
  /** The rows shown: the profiles, or the profiles and the portal's accounts and roles. */
  set: RowSet;
  results: Ranking;
  /** The portal's set once listed, kept for switching back and forth. */
  portal?: RowSet;
  /** The portal is being listed; the set switches when it arrives. */
  listing?: boolean;
  /** A one-line message until the next key, e.g. why Tab did nothing. */
  note?: string;
  done?: { row: PickRow | undefined };
}

type Dispatch = { action: Action; page: number } | { listed: RowSet } | { failed: string };

const LISTING_NOTE = 'listing accounts and roles from the SSO portal…';

export function Picker(props: PickerProps): ReactElement {
  const { colour, now, onDone, portal } = props;
  const size = useTerminalSize(props.size);
  const profiles = useMemo((): RowSet => ({ rows: props.rows, filter: props.filter }), [props.rows, props.filter]);

  const step = useCallback(
    (model: Model, input: Dispatch): Model => {
      if (model.done) return model;
      if ('listed' in input) return showSet({ ...model, portal: input.listed, listing: false }, input.listed, input.listed.note);
      if ('failed' in input) return { ...model, listing: false, note: input.failed };
      const { action, page } = input;
      const { rows, filter } = model.set;
      const { state: next, effect } = reduce(model.state, action, { count: model.results.length, page });
      let state = next;
      let note: string | undefined;
      if (effect === 'choose') return { ...model, done: { row: rows[model.results.at(state.level.cursor)!] } };
      if (effect === 'cancel') return { ...model, done: { row: undefined } };
      if (effect === 'portal') {
        if (model.listing) return model;
        if (model.set === model.portal) return showSet(model, profiles, 'profiles only (Ctrl-S for the SSO portal)');
        if (model.portal) return showSet(model, model.portal);
        if (!portal) return { ...model, note: 'no [sso-session] in the AWS config: no SSO portal to list' };
        return { ...model, listing: true, note: undefined };
      }
      if (effect === 'drill') {
        const row = rows[model.results.at(state.level.cursor)!]!;
        if (row.accountId === undefined) note = `no account known for ${row.profile}`;
        else state = drillInto(state, { accountId: row.accountId, label: accountText(row) });
      }
      const results = state.level.query === model.state.level.query && state.scope === model.state.scope ? model.results : filter.run(state.level.query, scopeRows(rows, state));
      return { ...model, state, results, note };
    },
    [profiles, portal],
  );
  const [model, dispatch] = useReducer(step, props.start, (start): Model => {
    const set = portal?.loaded ?? profiles;
    const state = start?.state ?? initialState(props.initialQuery ?? '');
    return { state, set, results: set.filter.run(state.level.query), ...(portal?.loaded ? { portal: portal.loaded } : {}), note: start ? start.note : set.note };
  });
  const { rows, filter } = model.set;

  useEffect(() => {
    // After the first frame is out: build the search index before the first keystroke needs it.
    const timer = setTimeout(() => filter.warm(), 0);
    return () => clearTimeout(timer);
  }, [filter]);

  useEffect(() => {
    if (!model.listing || !portal) return;
    portal.load().then(
      (set) => dispatch({ listed: set }),
      (err: unknown) => dispatch({ failed: err instanceof Error ? err.message : String(err) }),
    );
  }, [model.listing, portal]);

  // A layout effect runs as the choice is committed, not on a later turn of the event loop:
  // Enter answers at once, and nothing typed after it reaches the picker.
  useLayoutEffect(() => {
    if (model.done) onDone(model.done.row);
  }, [model.done, onDone]);

  const maxima = useMemo(() => measure(rows, now), [rows, now]);
  const plan = useMemo(() => planColumns(size.columns, maxima), [size.columns, maxima]);

  const { state, results } = model;
  const note = model.listing ? LISTING_NOTE : model.note;
  const { page } = pageSize(size, state, note);

  useInput((input, key) => {
    for (const action of actionsFor(input, key)) dispatch({ action, page });
  });

  const lines = frameLines({
    rows,
    filter,
    results,
    state,
    total: scopeRows(rows, state)?.length ?? rows.length,
    note,
    portal: !portal ? 'none' : model.set === model.portal ? 'shown' : 'hidden',
    plan,
    size,
    colour,
    now,
  });

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

/** The same query over another set of rows, from the top. */
function showSet(model: Model, set: RowSet, note = set.note): Model {
  const state = restart(model.state);
  return { ...model, set, state, results: set.filter.run(state.level.query), note };
}

/** Each set's rows grouped by account on the first drill-in, not before the first frame. */
const accountsOf = new WeakMap<readonly PickRow[], Map<string, Int32Array>>();

function scopeRows(rows: readonly PickRow[], state: PickerState): Int32Array | undefined {
  if (!state.scope) return undefined;
  let accounts = accountsOf.get(rows);
  if (!accounts) accountsOf.set(rows, (accounts = rowsByAccount(rows)));
  return accounts.get(state.scope.accountId);
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
