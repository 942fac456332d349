/**
 * The picker before Ink: the first frame, and the keys typed while Ink and React load, answered
 * with the same reducer (picker-state.ts), key mapping (keys.ts) and frame (frame.ts) as the
 * component's, so that a query typed as the first frame appears is shown without waiting for
 * Ink, and Ink's first frame is the last one drawn here. Plain code, loaded by `pick` itself.
 *
 * Only what arrives as plain text with Backspace, Enter, Ctrl keys (no escape sequence, no
 * Tab or Ctrl-S, which need the component) is answered here; the first chunk that is not is
 * left, with all after it, in the input for Ink, which reads it in order.
 */
import { frameLines, pageSize, type FrameInput, type TerminalSize } from './frame.js';
import { actionsInText, type Action } from './keys.js';
import { initialState, reduce, type PickerState } from './picker-state.js';
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

/**
 * Draws the first frame (over a first page already on the screen when `over`) and answers the
 * keys typed until stop().
 */
export function startEarly(terminal: Terminal, view: EarlyView, query: string, over: boolean): EarlyPicker {
  let state = initialState(query);
  let note = view.note;
  let results: Ranking = view.filter.run(query);
  let maxima: Maxima | undefined;
  let size = terminal.size();
  let drawn = false;
  const draw = (first: boolean) => {
    size = terminal.size();
    maxima ??= measure(view.rows, view.now);
    const lines = frameLines({ rows: view.rows, filter: view.filter, results, state, total: view.rows.length, note, portal: view.portal, plan: planColumns(size.columns, maxima), size, colour: view.colour, now: view.now });
    terminal.output.write(first && !over ? ENTER_SCREEN + lines.join('\n') : CURSOR_HOME + lines.map((line) => line + CLEAR_LINE_END).join('\n') + CLEAR_BELOW);
    drawn = true;
  };
  // Over a first page, the full frame for the empty query waits one turn of the event loop:
  // keys typed meanwhile (the person saw the page) are read on that turn, and the frame drawn
  // for them is the first full one. Without a page on the screen, the first frame is drawn now.
  let firstFrame: NodeJS.Immediate | undefined;
  if (over) firstFrame = setImmediate(() => drawn || draw(true));
  else draw(true);

  let finish: (answer: { row: PickRow | undefined }) => void = () => {};
  const finished = new Promise<{ row: PickRow | undefined }>((resolve) => (finish = resolve));
  let answering = true;
  const input = terminal.input;
  const onReadable = () => {
    let chunk: Buffer | null;
    while (answering && (chunk = input.read() as Buffer | null) !== null) {
      const actions = earlyActions(chunk);
      if (!actions) {
        // For Ink, with everything after it, in order.
        input.unshift(chunk);
        stopReading();
        return;
      }
      if (!actions.length) continue;
      // One page for the whole chunk, as the component pages by the frame on the screen.
      const { page } = pageSize(size, state, note);
      for (const action of actions) {
        const { state: next, effect } = reduce(state, action, { count: results.length, page });
        // As the component does: a note lasts until the next key.
        note = undefined;
        if (effect === 'choose' || effect === 'cancel') {
          stopReading();
          // The picker ends here: no frame is wanted any more.
          clearImmediate(firstFrame);
          finish({ row: effect === 'choose' ? view.rows[results.at(next.level.cursor)!] : undefined });
          return;
        }
        if (next.level.query !== state.level.query) results = view.filter.run(next.level.query);
        state = next;
      }
      draw(false);
    }
  };
  const stopReading = () => {
    answering = false;
    input.off('readable', onReadable);
  };
  input.on('readable', onReadable);
  return {
    finished,
    stop() {
      stopReading();
      clearImmediate(firstFrame);
      // Ink draws over the last frame drawn here: there is one, even if stopped within the turn.
      if (!drawn) draw(true);
      return { state, note, size };
    },
  };
}
