/**
 * Mounts the picker with Ink on an open terminal and waits for the choice. Imported only by
 * `pick` and only with import(), so no other command pays for loading Ink and React.
 */
import { render } from 'ink';
import type { Filter } from './filter.js';
import { Picker, type PortalRows } from './Picker.js';
import type { PickRow } from './rows.js';
import type { Terminal } from './terminal.js';

export interface RunPickerOptions {
  terminal: Terminal;
  rows: readonly PickRow[];
  filter: Filter;
  initialQuery?: string;
  colour: boolean;
  now: number;
  portal?: PortalRows;
}

/**
 * The alternate screen, as fzf and less use: the picker gets a clean screen, and leaving it
 * gives the person back their scrollback as it was. The cursor goes home first, since the
 * switch keeps its position.
 */
const ENTER_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_SCREEN = '\u001b[?1049l';

/** Signals that end the picker like Esc, so the screen and the terminal mode are restored on the way out. */
const LEAVING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The chosen row, or undefined when the person left with Esc or Ctrl-C. */
export async function runPicker(options: RunPickerOptions): Promise<PickRow | undefined> {
  const { terminal, rows, filter, initialQuery, colour, now, portal } = options;
  let finish: (row: PickRow | undefined) => void = () => {};
  const chosen = new Promise<PickRow | undefined>((resolve) => (finish = resolve));
  const cancel = () => finish(undefined);
  for (const signal of LEAVING_SIGNALS) process.on(signal, cancel);
  terminal.output.write(ENTER_SCREEN);
  const instance = render(
    <Picker
      rows={rows}
      filter={filter}
      {...(portal ? { portal } : {})}
      initialQuery={initialQuery ?? ''}
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
    terminal.output.write(LEAVE_SCREEN);
  }
}
