/**
 * The picker's state and how actions change it, without a terminal: the query, the cursor and
 * the first visible row at the current level, and the level it was drilled from.
 */
import type { Action } from './keys.js';

export interface Level {
  query: string;
  /** Index into the current results. */
  cursor: number;
  /** Index of the first visible result. */
  top: number;
}

/** A drill-down into all profiles of one account. */
export interface AccountScope {
  accountId: string;
  /** How the account is shown: its alias and id, or the id alone. */
  label: string;
}

export interface PickerState {
  level: Level;
  /** Set when drilled into an account; `parent` is the level to go back to. */
  scope?: AccountScope;
  parent?: Level;
}

/** What the component must do besides showing the new state. */
export type Effect = 'choose' | 'cancel' | 'drill' | 'portal' | undefined;

export interface Frame {
  /** How many results the current level has. */
  count: number;
  /** How many rows are visible. */
  page: number;
}

export function initialState(query = ''): PickerState {
  return { level: { query, cursor: 0, top: 0 } };
}

export function reduce(state: PickerState, action: Action, frame: Frame): { state: PickerState; effect?: Effect } {
  const { level } = state;
  switch (action.kind) {
    case 'type':
      return { state: withQuery(state, level.query + action.text) };
    case 'erase':
      if (level.query === '') return { state: back(state) };
      return { state: withQuery(state, [...level.query].slice(0, -1).join('')) };
    case 'eraseWord':
      return { state: withQuery(state, level.query.replace(/\S*\s*$/, '')) };
    case 'clear':
      return { state: withQuery(state, '') };
    case 'left':
      return { state: level.query === '' ? back(state) : state };
    case 'move':
      return { state: moveTo(state, level.cursor + action.by, frame) };
    case 'page':
      return { state: moveTo(state, level.cursor + action.by * Math.max(1, frame.page), frame) };
    case 'first':
      return { state: moveTo(state, 0, frame) };
    case 'last':
      return { state: moveTo(state, frame.count - 1, frame) };
    case 'choose':
      return { state, effect: frame.count > 0 ? 'choose' : undefined };
    case 'cancel':
      return { state, effect: 'cancel' };
    case 'drill':
      return { state, effect: frame.count > 0 ? 'drill' : undefined };
    case 'portal':
      return { state, effect: 'portal' };
  }
}

/** A new query starts at the best match. */
function withQuery(state: PickerState, query: string): PickerState {
  if (query === state.level.query) return state;
  return { ...state, level: { query, cursor: 0, top: 0 } };
}

function moveTo(state: PickerState, cursor: number, frame: Frame): PickerState {
  const clamped = Math.max(0, Math.min(cursor, frame.count - 1));
  const top = scrollTop(state.level.top, clamped, frame.page, frame.count);
  return { ...state, level: { ...state.level, cursor: clamped, top } };
}

/** Enters an account's profiles with an empty query, remembering where it came from. */
export function drillInto(state: PickerState, scope: AccountScope): PickerState {
  if (state.scope?.accountId === scope.accountId) return state;
  return { level: { query: '', cursor: 0, top: 0 }, scope, parent: state.scope ? state.parent! : state.level };
}

/** The same query on a new set of rows: from the top, out of any account. */
export function restart(state: PickerState): PickerState {
  return initialState(state.parent ? state.parent.query : state.level.query);
}

function back(state: PickerState): PickerState {
  if (!state.parent) return state;
  return { level: state.parent };
}

/** The first visible row that keeps the cursor on screen, moving as little as possible. */
export function scrollTop(top: number, cursor: number, page: number, count: number): number {
  const height = Math.max(1, page);
  let next = top;
  if (cursor < next) next = cursor;
  if (cursor >= next + height) next = cursor - height + 1;
  return Math.max(0, Math.min(next, Math.max(0, count - height)));
}
