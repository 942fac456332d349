/**
 * The controlling terminal, opened directly: the picker reads keys from /dev/tty and draws on
 * it, never on stdin/stdout, which belong to the caller (`P=$(awsguard pick)`), as fzf does.
 */
import { closeSync, openSync } from 'node:fs';
import { isatty, ReadStream, WriteStream } from 'node:tty';
import { AwsguardError, ExitCode } from '../errors.js';

export class NoTerminalError extends AwsguardError {
  override name = 'NoTerminalError';
  constructor(why: string) {
    super(`pick needs a terminal to draw on and there is none (${why}); name the profile instead: -p PROFILE`, ExitCode.noTerminal);
  }
}

export interface Terminal {
  input: ReadStream;
  output: WriteStream;
  /** Restores nothing by itself (Ink does raw mode); stops listening and closes both streams. */
  close(): void;
}

/** Opens the terminal for keys (raw mode) and drawing; throws NoTerminalError when that is impossible. */
export function openTerminal(path = '/dev/tty'): Terminal {
  const inFd = openOrExplain(path, 'r');
  if (!isatty(inFd)) {
    closeSync(inFd);
    throw new NoTerminalError(`${path} is not a terminal`);
  }
  const outFd = openOrExplain(path, 'w', inFd);
  const input = new ReadStream(inFd);
  const output = new WriteStream(outFd);
  if (typeof input.setRawMode !== 'function') {
    input.destroy();
    output.destroy();
    throw new NoTerminalError(`${path} does not support raw mode`);
  }
  // Node sends 'resize' only to process.stdout and stderr; a stream of our own must ask for
  // the new size when the terminal says it changed.
  const onResize = () => {
    const [columns, rows] = output.getWindowSize();
    if (columns === output.columns && rows === output.rows) return;
    output.columns = columns;
    output.rows = rows;
    output.emit('resize');
  };
  process.on('SIGWINCH', onResize);
  return {
    input,
    output,
    close() {
      process.off('SIGWINCH', onResize);
      input.destroy();
      output.destroy();
    },
  };
}

function openOrExplain(path: string, flags: 'r' | 'w', alreadyOpen?: number): number {
  try {
    return openSync(path, flags);
  } catch (err) {
    if (alreadyOpen !== undefined) closeSync(alreadyOpen);
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new NoTerminalError(`cannot open ${path}: ${code}`);
  }
}
