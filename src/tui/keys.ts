/**
 * Keys to picker actions, in one place. Ink's `Key` fits `KeyPress` structurally; this module
 * does not import Ink so it is tested (and loaded) without it.
 */
export interface KeyPress {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  meta: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
}

export type Action =
  | { kind: 'type'; text: string }
  | { kind: 'erase' }
  | { kind: 'eraseWord' }
  | { kind: 'clear' }
  | { kind: 'move'; by: number }
  | { kind: 'page'; by: 1 | -1 }
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'drill' }
  | { kind: 'left' }
  | { kind: 'portal' }
  | { kind: 'choose' }
  | { kind: 'cancel' };

/** C0 controls and DEL never belong in a query (a paste can carry them). */
const CONTROL = /[\u0000-\u001f\u007f]/g;

export function actionFor(input: string, key: KeyPress): Action | undefined {
  if (key.ctrl) {
    switch (input) {
      case 'c':
        return { kind: 'cancel' };
      case 'n':
      case 'j':
        return { kind: 'move', by: 1 };
      case 'p':
      case 'k':
        return { kind: 'move', by: -1 };
      case 'u':
        return { kind: 'clear' };
      case 'w':
        return { kind: 'eraseWord' };
      case 'h':
        return { kind: 'erase' };
      case 'a':
        return { kind: 'first' };
      case 'e':
        return { kind: 'last' };
      case 's':
        return { kind: 'portal' };
    }
  }
  if (key.return) return { kind: 'choose' };
  if (key.escape) return { kind: 'cancel' };
  if (key.upArrow) return { kind: 'move', by: -1 };
  if (key.downArrow) return { kind: 'move', by: 1 };
  if (key.pageUp) return { kind: 'page', by: -1 };
  if (key.pageDown) return { kind: 'page', by: 1 };
  if (key.home) return { kind: 'first' };
  if (key.end) return { kind: 'last' };
  if (key.tab || key.rightArrow) return { kind: 'drill' };
  if (key.leftArrow) return { kind: 'left' };
  // Terminals send DEL (0x7f) for Backspace and Ink reports it as `delete`; with no cursor
  // inside the query, a forward delete has nothing to do, so both erase backwards.
  if (key.backspace || key.delete) return { kind: 'erase' };
  if (key.ctrl || key.meta) return undefined;
  const text = input.replace(CONTROL, '');
  return text ? { kind: 'type', text } : undefined;
}

const NO_KEY: KeyPress = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageUp: false,
  pageDown: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  meta: false,
  tab: false,
  backspace: false,
  delete: false,
};

/** Control characters inside typed text, as the keys that send them. */
function controlKey(c: number): [string, KeyPress] {
  if (c === 0x0d || c === 0x0a) return ['', { ...NO_KEY, return: true }];
  if (c === 0x09) return ['', { ...NO_KEY, tab: true }];
  if (c === 0x7f || c === 0x08) return ['', { ...NO_KEY, backspace: true }];
  if (c >= 0x01 && c <= 0x1a) return [String.fromCharCode(c + 0x60), { ...NO_KEY, ctrl: true }];
  return ['', NO_KEY];
}

/**
 * The actions for one input event. Ink hands over, as one event, whatever arrived between two
 * escape sequences: keys typed while the picker was still loading (`prod⏎`) or a paste come as
 * a single string, and its Enter or Backspace would be lost inside it. Such text is split into
 * the keys that typed it.
 */
export function actionsFor(input: string, key: KeyPress): Action[] {
  if (input.length <= 1 || !/[\u0000-\u001f\u007f]/.test(input)) {
    const action = actionFor(input, key);
    return action ? [action] : [];
  }
  return actionsInText(input);
}

/**
 * The actions of text as it came from the terminal, key by key: runs of printable text, and
 * Enter, Tab, Backspace and Ctrl keys where their control characters are. No escape sequences.
 */
export function actionsInText(input: string): Action[] {
  const actions: Action[] = [];
  let text = '';
  const flush = () => {
    if (text) actions.push({ kind: 'type', text });
    text = '';
  };
  for (const ch of input) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 && c !== 0x7f) {
      text += ch;
      continue;
    }
    flush();
    const action = actionFor(...controlKey(c));
    if (action) actions.push(action);
  }
  flush();
  return actions;
}
