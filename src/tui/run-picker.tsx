/**
 * Mounts the picker with Ink on an open terminal and waits for the choice. Imported only by
 * `pick` and only with import(), so no other command pays for loading Ink and React.
 */
import { render } from 'ink';
import type { Filter } from './filter.js';
import { Picker } from './Picker.js';
import type { PickRow } from './rows.js';
import type { Terminal } from './terminal.js';

export interface RunPickerOptions {
  terminal: Terminal;
  rows: readonly PickRow[];
  filter: Filter;
  initialQuery?: string;
  colour: boolean;
  now: number;
}

/**
 * The alternate screen, as fzf and less use: the picker gets a clean screen, and leaving it
 * gives the person back their scrollback as it was. The cursor goes home first, since the
 * switch keeps its position.
 */
const ENTER_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_SCREEN = '\u001b[?1049l';

/** The chosen row, or undefined when the person left with Esc or Ctrl-C. */
export async function runPicker(options: RunPickerOptions): Promise<PickRow | undefined> {
  const { terminal, rows, filter, initialQuery, colour, now } = options;
  let finish: (row: PickRow | undefined) => void = () => {};
  const chosen = new Promise<PickRow | undefined>((resolve) => (finish = resolve));
  terminal.output.write(ENTER_SCREEN);
  const instance = render(
    <Picker rows={rows} filter={filter} initialQuery={initialQuery ?? ''} colour={colour} now={now} onDone={(row) => finish(row)} />,
    // Ctrl-C is a key like Esc here (raw mode sends no SIGINT): the picker handles it and exits 130.
    { stdin: terminal.input, stdout: terminal.output, stderr: terminal.output, exitOnCtrlC: false, patchConsole: false },
  );
  try {
    return await chosen;
  } finally {
    instance.unmount();
    await instance.waitUntilExit();
    terminal.output.write(LEAVE_SCREEN);
  }
}
