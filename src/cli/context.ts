import { fdOutput } from '../tty/fd-output.js';
import { humanOutput } from '../tty/output.js';
import { useColour } from '../tty/palette.js';

/**
 * What every command receives instead of reaching for process globals, so tests can drive it.
 * `write` is human text: the process's outputs clean it and render style marks (tty/output.ts);
 * data goes through `writeData` (tty/output.ts), which uses `writeBytes` when there is one.
 */
export interface Output {
  write(text: string): void;
  /** Bytes as they are, e.g. a kept answer of megabytes; outputs without it get the text. */
  writeBytes?(bytes: Uint8Array): void;
  readonly isTTY: boolean;
  /** The terminal's width when the output is one; undefined when piped (lines keep their full width). */
  readonly columns?: number | undefined;
}

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
  /** Milliseconds since the epoch; a parameter so tests control time. */
  now: () => number;
}

export function processContext(): CommandContext {
  return { env: process.env, stdout: humanOutput(fdOutput(1), process.env), stderr: humanOutput(fdOutput(2), process.env), now: Date.now };
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything non-empty (the palette decides: tty/palette.ts). */
export function useColor(out: Output, env: NodeJS.ProcessEnv): boolean {
  return useColour(env, out.isTTY);
}
