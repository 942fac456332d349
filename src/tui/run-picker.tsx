/**
 * Mounts the picker with Ink on an open terminal and waits for the choice. The entry of its own
 * bundle (dist/pick.js), imported by `pick` only, so no other command pays for Ink and React.
 */
import { render } from 'ink';
import type { Filter } from './filter.js';
import { Picker, type PickerProps, type PortalRows } from './Picker.js';
import type { PickRow } from './rows.js';
import { CLEAR_SCREEN, CURSOR_HOME } from './screen.js';
import type { Terminal } from '../tty/device.js';

export interface RunPickerOptions {
  terminal: Terminal;
  rows: readonly PickRow[];
  filter: Filter;
  initialQuery?: string;
  colour: boolean;
  now: number;
  portal?: PortalRows;
  /** The size the last frame before Ink was drawn at. */
  drawnSize?: { columns: number; rows: number };
  /** Where the picker was before Ink loaded, keys typed meanwhile applied. */
  start?: PickerProps['start'];
}

/** Signals that end the picker like Esc, so the screen and the terminal mode are restored on the way out. */
const LEAVING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The chosen row, or undefined when the person left with Esc or Ctrl-C. */
export async function runPicker(options: RunPickerOptions): Promise<PickRow | undefined> {
  const { terminal, rows, filter, initialQuery, colour, now, portal, drawnSize, start } = options;
  let finish: (row: PickRow | undefined) => void = () => {};
  const chosen = new Promise<PickRow | undefined>((resolve) => (finish = resolve));
  const cancel = () => finish(undefined);
  for (const signal of LEAVING_SIGNALS) process.on(signal, cancel);
  // The caller has entered the alternate screen and drawn the first frame; Ink draws over it,
  // line for line, unless the terminal changed size since (then it starts from a clean screen).
  const size = terminal.size();
  const same = drawnSize && size.columns === drawnSize.columns && size.rows === drawnSize.rows;
  terminal.output.write(same ? CURSOR_HOME : CLEAR_SCREEN);
  const instance = render(
    <Picker
      rows={rows}
      filter={filter}
      {...(portal ? { portal } : {})}
      initialQuery={initialQuery ?? ''}
      {...(start ? { start } : {})}
      colour={colour}
      now={now}
      onDone={(row) => finish(row)}
    />,
    // Ctrl-C is a key like Esc here (raw mode sends no SIGINT): the picker handles it and exits 130.
    { stdin: terminal.input, stdout: terminal.output, stderr: terminal.output, exitOnCtrlC: false, patchConsole: false },
  );
  // Asked for before anything can unmount the app: Ink settles only a promise that exists by then.
  const exited = instance.waitUntilExit();
  try {
    // Ink exits by itself only on an error while rendering; that rejects and is reported.
    return await Promise.race([chosen, exited.then(() => undefined)]);
  } finally {
    for (const signal of LEAVING_SIGNALS) process.off(signal, cancel);
    instance.unmount();
    await exited.catch(() => undefined);
  }
}
