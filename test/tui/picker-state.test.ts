import { describe, expect, it } from 'vitest';
import { actionFor, actionsFor, type KeyPress } from '../../src/tui/keys.js';
import { drillInto, initialState, reduce, scrollTop, type PickerState } from '../../src/tui/picker-state.js';

const none: KeyPress = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false,
};
const key = (k: Partial<KeyPress>, input = '') => actionFor(input, { ...none, ...k });

describe('actionFor', () => {
  it('maps keys to actions', () => {
    expect(key({ return: true })).toEqual({ kind: 'choose' });
    expect(key({ escape: true, meta: true })).toEqual({ kind: 'cancel' });
    expect(key({ ctrl: true }, 'c')).toEqual({ kind: 'cancel' });
    expect(key({ ctrl: true }, 'n')).toEqual({ kind: 'move', by: 1 });
    expect(key({ ctrl: true }, 'p')).toEqual({ kind: 'move', by: -1 });
    expect(key({ downArrow: true })).toEqual({ kind: 'move', by: 1 });
    expect(key({ pageDown: true })).toEqual({ kind: 'page', by: 1 });
    expect(key({ home: true })).toEqual({ kind: 'first' });
    expect(key({ end: true })).toEqual({ kind: 'last' });
    expect(key({ tab: true })).toEqual({ kind: 'drill' });
    expect(key({ rightArrow: true })).toEqual({ kind: 'drill' });
    expect(key({ leftArrow: true })).toEqual({ kind: 'left' });
    expect(key({ backspace: true })).toEqual({ kind: 'erase' });
    expect(key({ delete: true })).toEqual({ kind: 'erase' });
    expect(key({ ctrl: true }, 'u')).toEqual({ kind: 'clear' });
    expect(key({ ctrl: true }, 's')).toEqual({ kind: 'portal' });
    expect(key({ ctrl: true }, 'w')).toEqual({ kind: 'eraseWord' });
  });
  it('types printable text, dropping control characters a paste may carry', () => {
    expect(key({}, 'prod')).toEqual({ kind: 'type', text: 'prod' });
    expect(key({}, 'a\tb\u0007c\r')).toEqual({ kind: 'type', text: 'abc' });
    expect(key({}, '\u0001')).toBeUndefined();
    expect(key({ ctrl: true }, 'z')).toBeUndefined();
    expect(key({ meta: true }, 'x')).toBeUndefined();
  });
});

describe('actionsFor', () => {
  it('splits text that arrived as one event into the keys that typed it', () => {
    expect(actionsFor('ci\r', none)).toEqual([{ kind: 'type', text: 'ci' }, { kind: 'choose' }]);
    expect(actionsFor('ab\u007fc\tx', none)).toEqual([{ kind: 'type', text: 'ab' }, { kind: 'erase' }, { kind: 'type', text: 'c' }, { kind: 'drill' }, { kind: 'type', text: 'x' }]);
    expect(actionsFor('pr\u000eod\u0003', none)).toEqual([{ kind: 'type', text: 'pr' }, { kind: 'move', by: 1 }, { kind: 'type', text: 'od' }, { kind: 'cancel' }]);
  });

  it('leaves single keys and plain text to actionFor', () => {
    expect(actionsFor('prod eu', none)).toEqual([{ kind: 'type', text: 'prod eu' }]);
    expect(actionsFor('', { ...none, return: true })).toEqual([{ kind: 'choose' }]);
    expect(actionsFor('c', { ...none, ctrl: true })).toEqual([{ kind: 'cancel' }]);
    expect(actionsFor('x', { ...none, meta: true })).toEqual([]);
  });
});

describe('reduce', () => {
  const frame = { count: 50, page: 10 };
  const apply = (state: PickerState, ...actions: Parameters<typeof reduce>[1][]) => actions.reduce((s, a) => reduce(s, a, frame).state, state);

  it('edits the query and starts again from the best match', () => {
    let s = apply(initialState(), { kind: 'move', by: 3 }, { kind: 'type', text: 'prod eu' });
    expect(s.level).toEqual({ query: 'prod eu', cursor: 0, top: 0 });
    s = apply(s, { kind: 'eraseWord' });
    expect(s.level.query).toBe('prod ');
    s = apply(s, { kind: 'erase' }, { kind: 'erase' });
    expect(s.level.query).toBe('pro');
    expect(apply(s, { kind: 'clear' }).level.query).toBe('');
  });

  it('moves within the results and scrolls to keep the cursor visible', () => {
    let s = apply(initialState(), { kind: 'move', by: -1 });
    expect(s.level.cursor).toBe(0);
    s = apply(s, { kind: 'move', by: 12 });
    expect(s.level).toMatchObject({ cursor: 12, top: 3 });
    s = apply(s, { kind: 'page', by: 1 }, { kind: 'page', by: 1 }, { kind: 'page', by: 1 }, { kind: 'page', by: 1 });
    expect(s.level).toMatchObject({ cursor: 49, top: 40 });
    s = apply(s, { kind: 'first' });
    expect(s.level).toMatchObject({ cursor: 0, top: 0 });
    expect(apply(s, { kind: 'last' }).level).toMatchObject({ cursor: 49, top: 40 });
  });

  it('reports choose, cancel and drill as effects, and not on an empty list', () => {
    expect(reduce(initialState(), { kind: 'choose' }, frame).effect).toBe('choose');
    expect(reduce(initialState(), { kind: 'choose' }, { count: 0, page: 10 }).effect).toBeUndefined();
    expect(reduce(initialState(), { kind: 'drill' }, { count: 0, page: 10 }).effect).toBeUndefined();
    expect(reduce(initialState(), { kind: 'cancel' }, { count: 0, page: 10 }).effect).toBe('cancel');
  });

  it('drills into an account and comes back to the query and cursor it left', () => {
    const outside = apply(initialState('prod'), { kind: 'move', by: 4 });
    let inside = drillInto(outside, { accountId: '222222222222', label: 'acme 222222222222' });
    expect(inside.level).toEqual({ query: '', cursor: 0, top: 0 });
    inside = apply(inside, { kind: 'type', text: 'ro' });
    // With a query, Left does nothing and Backspace edits it...
    expect(apply(inside, { kind: 'left' })).toEqual(inside);
    inside = apply(inside, { kind: 'erase' }, { kind: 'erase' });
    expect(inside.scope).toBeDefined();
    // ...and on an empty query both go back.
    expect(apply(inside, { kind: 'erase' })).toEqual({ level: outside.level });
    expect(apply(inside, { kind: 'left' })).toEqual({ level: outside.level });
  });

  it('stays put going back from the top level', () => {
    const s = initialState();
    expect(apply(s, { kind: 'left' }, { kind: 'erase' })).toEqual(s);
  });
});

describe('scrollTop', () => {
  it('moves the window as little as possible', () => {
    expect(scrollTop(0, 5, 10, 50)).toBe(0);
    expect(scrollTop(0, 10, 10, 50)).toBe(1);
    expect(scrollTop(20, 15, 10, 50)).toBe(15);
    expect(scrollTop(45, 49, 10, 50)).toBe(40);
    expect(scrollTop(3, 0, 10, 4)).toBe(0);
  });
});
