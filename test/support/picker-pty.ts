/**
 * `awsguard pick` in a real pseudo-terminal, as a person uses it: `P=$(awsguard pick)`.
 * The picker runs under `sh -c 'awsguard pick > OUT'` so the screen (the pty) and the answer
 * (the file) stay apart, the way a command substitution keeps them apart.
 */
import { spawn as spawnPty, type IPty } from '@lydell/node-pty';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './cli.js';
import { Screen } from '../tui/vt.js';

export interface Picker {
  pty: IPty;
  screen: Screen;
  raw(): string;
  /** Waits until the screen satisfies `test`; fails with the screen when it does not in time. */
  until(test: (lines: string[]) => boolean, what: string, ms?: number): Promise<void>;
  result(): Promise<{ stdout: string; code: number }>;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

let runs = 0;

/** Runs `awsguard pick ARGS` (or another command that opens the picker, such as `use`). */
export function startPicker(h: { dir: string; env: Record<string, string | undefined> }, args: string[] = [], cols = 100, rows = 30, command = 'pick'): Picker {
  const run = ++runs;
  const out = join(h.dir, `stdout-${run}`);
  const rc = join(h.dir, `rc-${run}`);
  const line = `${quote(process.execPath)} ${quote(BIN)} ${command} ${args.map(quote).join(' ')} > ${quote(out)}; echo $? > ${quote(rc)}`;
  // The environment is built from scratch: no CI, so Ink draws every frame as on a person's terminal.
  const pty = spawnPty('/bin/sh', ['-c', line], { name: 'xterm-256color', cols, rows, env: withoutCi(h.env), cwd: h.dir });
  const screen = new Screen(cols, rows);
  let raw = '';
  const listeners = new Set<() => void>();
  pty.onData((data) => {
    raw += data;
    screen.write(data);
    for (const l of [...listeners]) l();
  });
  const exited = new Promise<void>((resolve) => pty.onExit(() => resolve()));
  return {
    pty,
    screen,
    raw: () => raw,
    until(test, what, ms = 8000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!test(screen.lines())) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`waited ${ms} ms for ${what}; the screen shows:\n${screen.text()}`));
        }, ms);
        listeners.add(check);
        check();
      });
    },
    async result() {
      await exited;
      // No rc file means the shell itself was killed: report that rather than a stale answer.
      return { stdout: readFileSync(out, 'utf8'), code: Number(readFileSync(rc, 'utf8').trim()) };
    },
  };
}

export const ready = (total: number) => (lines: string[]) => new RegExp(`\\b${total} of ${total}$`).test(lines[0] ?? '');
export const profileOn = (line: string | undefined) => /^(?:> |  )(?:PROD |     )?(\S+)/.exec(line ?? '')?.[1];


/** Ink draws only the last frame under CI: a person's terminal has no CI. */
function withoutCi(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && k !== 'CI') out[k] = v;
  return out;
}
