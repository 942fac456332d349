/**
 * stdout and stderr written straight to their file descriptors. `process.stdout` loads Node's
 * whole stream stack on first use (about 5 ms of a 40 ms start-up); for a CLI that prints a
 * line and exits, a blocking write does the same job, and on Linux Node's own stdio is
 * synchronous for files, pipes and terminals anyway, so output keeps its order.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';
import { builtin } from '../builtin.js';
import type { Sink } from './output.js';

/** A reader that went away (`awsguard profiles | head -1`) ends the output, not the command. */
const GONE = new Set(['EPIPE', 'ECONNRESET']);

/**
 * `isatty`, without loading node:tty (which brings node:net and the streams) for the usual
 * answers: a pipe or a file is not a terminal, and neither is /dev/null, the one character
 * device output is commonly sent to.
 */
export function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  const tty = builtin<typeof import('node:tty')>('node:tty');
  return tty.isatty(fd);
}

/** A person at a terminal on both ends: stdin and `stdout` are terminals (bare `awsguard` opens the picker then). */
export function isInteractive(stdout: { readonly isTTY: boolean }): boolean {
  return stdout.isTTY && isTerminal(0);
}

/** The raw descriptor; commands get it through `humanOutput` (output.ts), which cleans what they write. */
export function fdOutput(fd: 1 | 2): Sink {
  let closed = false;
  let terminal: boolean | undefined;
  const writeBytes = (bytes: Uint8Array): void => {
    let offset = 0;
    while (!closed && offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // A descriptor left non-blocking by whoever opened it: wait for room, then go on.
        if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        else if (code !== undefined && GONE.has(code)) closed = true;
        else throw err;
      }
    }
  };
  return {
    get isTTY() {
      return (terminal ??= isTerminal(fd));
    },
    get columns() {
      // Node's stream for the descriptor knows the size (and follows SIGWINCH); only asked on a terminal.
      if (!(terminal ??= isTerminal(fd))) return undefined;
      return (fd === 1 ? process.stdout : process.stderr).columns || undefined;
    },
    write: (text) => {
      if (text) writeBytes(Buffer.from(text, 'utf8'));
    },
    writeBytes,
  };
}
