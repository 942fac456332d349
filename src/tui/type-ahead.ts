/**
 * The picker before Ink: the first frame, and the keys typed while Ink and React load, answered
 * with the same reducer (picker-state.ts), key mapping (keys.ts) and frame (frame.ts) as the
 * component's, so that a query typed as the first frame appears is shown without waiting for
 * Ink, and Ink's first frame is the last one drawn here. Plain code, loaded by `pick` itself.
 *
 * Only what arrives as plain text with Backspace, Enter, Ctrl keys (no escape sequence, no
 * Tab or Ctrl-S, which need the component) is answered here; the first chunk that is not is
 * left, with all after it, in the input for Ink, which reads it in order.
 *
 * At thousands of profiles the picker may start while the rows are still being built, as fzf
 * does while it reads its input: the view is provisional, a filter over the names alone.
 * Query edits are answered from it at once, the count marked as a least ("12+ of 10001");
 * every other key (Enter, a move) waits, with every key after it, until complete() brings the
 * whole rows, and is then applied to the whole results, so `bill⏎` chooses the same row
 * however fast it was typed.
 */
import { frameLines, pageSize, type FrameInput, type TerminalSize } from './frame.js';
import { actionsInText, type Action } from './keys.js';
import { initialState, reduce, scrollTop, type PickerState } from './picker-state.js';
import type { Ranking } from './ranking.js';
import { measure, planColumns, type Maxima } from './row-layout.js';
import type { PickRow } from './rows.js';
import type { Filter } from './filter.js';
import { CLEAR_BELOW, CLEAR_LINE_END, CURSOR_HOME, ENTER_SCREEN } from './screen.js';
import type { Terminal } from '../tty/device.js';

export interface EarlyView {
  rows: readonly PickRow[];
  filter: Filter;
  note: string | undefined;
  portal: FrameInput['portal'];
  colour: boolean;
  now: number;
}

/**
 * A view while the rows are still being built: `filter` knows only the names, `rows` holds
 * what is built so far and `fill` builds the rows a frame is about to show; `maxima` are the
 * column widths known so far (every name's, the first page's other columns).
 */
export interface ProvisionalView extends EarlyView {
  fill(indices: readonly number[]): void;
  maxima: Maxima;
}

/** Where the picker is when Ink takes over: Ink starts from it and draws the same frame. */
export interface EarlyState {
  state: PickerState;
  note: string | undefined;
  /** The size the last frame was drawn at. */
  size: TerminalSize;
}

export interface EarlyPicker {
  /** Stops answering keys and says where the picker is. */
  stop(): EarlyState;
  /** Settles when a key typed before Ink ended the picker: Enter with the row, Ctrl-C without. */
  finished: Promise<{ row: PickRow | undefined }>;
  /** The whole rows, for a picker started with a provisional view: keys held for them are applied now. */
  complete(view: EarlyView): void;
}

/** The actions a chunk of input stands for, or undefined when it is for the component to answer. */
function earlyActions(chunk: Buffer): Action[] | undefined {
  if (chunk.includes(0x1b)) return undefined;
  const text = chunk.toString('utf8');
  // A character cut between two reads: the component's decoder joins it with the next read.
  if (Buffer.byteLength(text) !== chunk.length || text.includes('\ufffd')) return undefined;
  const actions = actionsInText(text);
  return actions.every((a) => a.kind !== 'drill' && a.kind !== 'portal' && a.kind !== 'left') ? actions : undefined;
}

/** What a provisional view answers at once: a change of query, whose effect is shown, or leaving. */
function answeredProvisionally(action: Action): boolean {
  return action.kind === 'type' || action.kind === 'erase' || action.kind === 'eraseWord' || action.kind === 'clear' || action.kind === 'cancel';
}

/**
 * Draws the first frame (over a first page already on the screen when `over`) and answers the
 * keys typed until stop(). With a provisional view, until complete() as well (see above).
 */
export function startEarly(terminal: Terminal, initial: EarlyView | ProvisionalView, query: string, over: boolean): EarlyPicker {
  let view: EarlyView = initial;
  let provisional: ProvisionalView | undefined = 'fill' in initial ? initial : undefined;
  let state = initialState(query);
  let note = view.note;
  let results: Ranking = view.filter.run(query);
  let maxima: Maxima | undefined = provisional?.maxima;
  let size = terminal.size();
  /** Whether the screen shows the current view and state: not while only a first page is on it. */
  let current = false;
  const draw = (first: boolean) => {
    size = terminal.size();
    let matchedAtLeast = false;
    if (provisional) {
      // Only the rows on the screen are built ahead of the others; the columns widen for them.
      const { page } = pageSize(size, state, note);
      const top = scrollTop(state.level.top, state.level.cursor, page, results.length);
      const shown: number[] = [];
      for (let i = top; i < Math.min(results.length, top + page); i++) shown.push(results.at(i)!);
      provisional.fill(shown);
      maxima = widest(maxima!, measure(shown.map((i) => view.rows[i]!), view.now));
      matchedAtLeast = state.level.query.trim() !== '';
    }
    maxima ??= measure(view.rows, view.now);
    const lines = frameLines({ rows: view.rows, filter: view.filter, results, state, total: view.rows.length, matchedAtLeast, note, portal: view.portal, plan: planColumns(size.columns, maxima), size, colour: view.colour, now: view.now });
    terminal.output.write(first && !over ? ENTER_SCREEN + lines.join('\n') : CURSOR_HOME + lines.map((line) => line + CLEAR_LINE_END).join('\n') + CLEAR_BELOW);
    current = true;
  };
  // Over a first page, the full frame for the empty query waits one turn of the event loop:
  // keys typed meanwhile (the person saw the page) are read on that turn, and the frame drawn
  // for them is the first full one. Without a page on the screen, the first frame is drawn now.
  // A provisional view draws only for keys: the page on the screen is the empty query's.
  let nextFrame: NodeJS.Immediate | undefined;
  if (!over) draw(true);
  else if (!provisional) nextFrame = setImmediate(() => current || draw(true));

  let finish: (answer: { row: PickRow | undefined }) => void = () => {};
  const finished = new Promise<{ row: PickRow | undefined }>((resolve) => (finish = resolve));
  /** Whether keys are read now; and whether this picker reads any more (not after what is Ink's). */
  let reading = true;
  let answering = true;
  let ended = false;
  /** Keys that wait for the whole rows, in order (a provisional view's). */
  let held: Action[] = [];
  const input = terminal.input;
  /** Applies actions in order; false when one of them ended the picker. */
  const apply = (actions: readonly Action[]): boolean => {
    // One page for the whole chunk, as the component pages by the frame on the screen.
    const { page } = pageSize(size, state, note);
    for (const [n, action] of actions.entries()) {
      if (provisional && !answeredProvisionally(action)) {
        held = actions.slice(n);
        stopReading();
        return true;
      }
      const { state: next, effect } = reduce(state, action, { count: results.length, page });
      // As the component does: a note lasts until the next key.
      note = undefined;
      if (effect === 'choose' || effect === 'cancel') {
        stopReading();
        ended = true;
        // The picker ends here: no frame is wanted any more.
        clearImmediate(nextFrame);
        finish({ row: effect === 'choose' ? view.rows[results.at(next.level.cursor)!] : undefined });
        return false;
      }
      if (next.level.query !== state.level.query) results = view.filter.run(next.level.query);
      state = next;
    }
    return true;
  };
  const onReadable = () => {
    let chunk: Buffer | null;
    while (reading && (chunk = input.read() as Buffer | null) !== null) {
      const actions = earlyActions(chunk);
      if (!actions) {
        // For Ink, with everything after it, in order.
        input.unshift(chunk);
        stopReading();
        answering = false;
        return;
      }
      if (!actions.length) continue;
      if (!apply(actions)) return;
      draw(false);
    }
  };
  /** Stops reading keys for now: complete() reads on after held keys, unless `answering` is over. */
  const stopReading = () => {
    reading = false;
    input.off('readable', onReadable);
  };
  input.on('readable', onReadable);
  return {
    finished,
    complete(whole) {
      if (!provisional || ended) return;
      provisional = undefined;
      view = whole;
      maxima = undefined;
      results = view.filter.run(state.level.query);
      current = false;
      const waiting = held;
      held = [];
      if (waiting.length && !apply(waiting)) return;
      // The whole frame a turn later, for the keys typed meanwhile too, as over a first page.
      nextFrame = setImmediate(() => current || draw(false));
      if (!reading && answering) {
        reading = true;
        input.on('readable', onReadable);
        // Keys that came while nothing was read are in the buffer already: no event will say so.
        onReadable();
      }
    },
    stop() {
      stopReading();
      answering = false;
      clearImmediate(nextFrame);
      // Ink draws over the last frame drawn here: there is one, and it is the current one.
      // None once a key ended the picker: the screen is about to be left.
      if (!current && !ended) draw(true);
      return { state, note, size };
    },
  };
}

function widest(a: Maxima, b: Maxima): Maxima {
  return {
    name: Math.max(a.name, b.name),
    account: Math.max(a.account, b.account),
    role: Math.max(a.role, b.role),
    region: Math.max(a.region, b.region),
    source: Math.max(a.source, b.source),
    session: Math.max(a.session, b.session),
    anyProtected: a.anyProtected || b.anyProtected,
  };
}
