import { fdOutput } from '../fd-output.js';

/** What every command receives instead of reaching for process globals, so tests can drive it. */
export interface Output {
  write(text: string): void;
  /** Bytes as they are, e.g. a kept answer of megabytes; outputs without it get the text. */
  writeBytes?(bytes: Uint8Array): void;
  readonly isTTY: boolean;
}

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
  /** Milliseconds since the epoch; a parameter so tests control time. */
  now: () => number;
}

export function processContext(): CommandContext {
  return { env: process.env, stdout: fdOutput(1), stderr: fdOutput(2), now: Date.now };
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything non-empty. */
export function useColor(out: Output, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return out.isTTY && env.TERM !== 'dumb';
}
