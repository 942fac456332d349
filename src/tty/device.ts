/**
 * The controlling terminal (/dev/tty), opened directly: questions are asked there and the
 * picker reads keys from it and draws on it, never on stdin/stdout, which belong to the child
 * or to the caller (`P=$(awsguard pick)`), as fzf and ssh do. This file is the only one that
 * opens it.
 */
import { closeSync, constants as fsConstants, openSync, readSync } from 'node:fs';
import { builtin } from '../builtin.js';
import type { ReadStream, WriteStream } from 'node:tty';
import { AwsguardError, ExitCode } from '../errors.js';

/**
 * node:tty, loaded when a terminal is opened: it brings node:net and Node's streams (about forty
 * modules), which every guarded command would otherwise load for a question it rarely asks.
 */
const tty = (): typeof import('node:tty') => builtin<typeof import('node:tty')>('node:tty');

/** Whether a controlling terminal can be opened (there is none under CI, cron or setsid). */
export function hasTerminal(ttyPath = '/dev/tty'): boolean {
  try {
    closeSync(openSync(ttyPath, 'r+'));
    return true;
  } catch {
    return false;
  }
}

/** The terminal opened for one question: raw-mode input, and a descriptor to write on. */
export interface QuestionTerminal {
  input: ReadStream;
  writeFd: number;
  /** Reads and throws away, now, whatever was typed before the question (raw mode makes a partial line readable too). */
  discardPending(): void;
  close(): void;
}

/**
 * Opens the terminal for a question, or returns why it cannot (no controlling terminal: CI,
 * cron, a service; a path that is not a terminal), for the caller to turn into its refusal.
 */
export function openForQuestion(path = '/dev/tty'): QuestionTerminal | { why: string } {
  let readFd: number;
  try {
    readFd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { why: code === 'ENXIO' ? 'no controlling terminal: CI, cron, a service' : `cannot open ${path}: ${code ?? (err as Error).message}` };
  }
  if (!tty().isatty(readFd)) {
    closeSync(readFd);
    return { why: `${path} is not a terminal` };
  }
  let writeFd: number;
  try {
    writeFd = openSync(path, 'w');
  } catch (err) {
    closeSync(readFd);
    return { why: `cannot write to ${path}: ${(err as NodeJS.ErrnoException).code}` };
  }
  const input = new (tty().ReadStream)(readFd);
  input.setRawMode(true);
  return {
    input,
    writeFd,
    discardPending() {
      // A descriptor of its own, non-blocking, so that an empty queue answers EAGAIN at once;
      // the stream (started manually) has not read anything yet.
      let fd: number;
      try {
        fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
      } catch {
        return;
      }
      const buffer = Buffer.alloc(4096);
      try {
        while (readSync(fd, buffer, 0, buffer.length, null) > 0);
      } catch {
        // EAGAIN: nothing more is waiting.
      } finally {
        closeSync(fd);
      }
    },
    close() {
      input.setRawMode(false);
      input.destroy();
      closeSync(writeFd);
    },
  };
}

export class NoTerminalError extends AwsguardError {
  override name = 'NoTerminalError';
  constructor(why: string) {
    super(`pick needs a terminal to draw on and there is none (${why}); name the profile instead: -p PROFILE`, ExitCode.noTerminal);
  }
}

export interface Terminal {
  input: ReadStream;
  output: WriteStream;
  /** The size now, asked of the terminal rather than remembered from the last SIGWINCH. */
  size(): { columns: number; rows: number };
  /** Leaves raw mode, stops listening for resizes and closes both streams. */
  close(): void;
}

/** Opens the terminal for keys (raw mode) and drawing; throws NoTerminalError when that is impossible. */
export function openTerminal(path = '/dev/tty'): Terminal {
  const inFd = openOrExplain(path, 'r');
  if (!tty().isatty(inFd)) {
    closeSync(inFd);
    throw new NoTerminalError(`${path} is not a terminal`);
  }
  const outFd = openOrExplain(path, 'w', inFd);
  const { ReadStream: Input, WriteStream: Output } = tty();
  const input = new Input(inFd);
  const output = new Output(outFd);
  // Raw mode from the start, not only once Ink mounts: keys typed while the config loads are
  // kept for the picker instead of being echoed over it, and Ctrl-C stays a key (exit 130)
  // rather than a SIGINT that would leave the screen half drawn. Ink's own test for raw mode
  // (isRawModeSupported) is the stream's isTTY.
  try {
    if (!input.isTTY) throw new Error('not a TTY stream');
    input.setRawMode(true);
  } catch (err) {
    input.destroy();
    output.destroy();
    throw new NoTerminalError(`${path} does not support raw mode: ${(err as Error).message}`);
  }
  // Node refreshes the size (and emits 'resize') only for process.stdout and stderr; a stream
  // of our own must be told when the terminal says it changed. `getWindowSize()` returns the
  // cached size, so this asks the handle again through `_refreshSize`, the method lib/tty.js
  // uses for process.stdout itself; it emits 'resize' when the size differs.
  // After a hangup the terminal is gone and reads and writes fail with EIO; SIGHUP ends the
  // picker (see run-picker.tsx), and there is nowhere left to report the error.
  input.on('error', () => undefined);
  output.on('error', () => undefined);
  const refreshable = output as unknown as { _refreshSize?: () => void };
  const onResize = () => refreshable._refreshSize?.();
  process.on('SIGWINCH', onResize);
  return {
    input,
    output,
    size() {
      onResize();
      return { columns: output.columns || 80, rows: output.rows || 24 };
    },
    close() {
      process.off('SIGWINCH', onResize);
      input.setRawMode(false);
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
