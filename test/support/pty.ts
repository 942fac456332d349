/** A real pseudo-terminal for end-to-end tests: type like a person, read what the screen shows. */
import { spawn, type IPty } from '@lydell/node-pty';

export interface PtyRun {
  pty: IPty;
  /** Everything written to the terminal so far, escape codes included. */
  output(): string;
  /** Resolves when `pattern` has appeared on the screen. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  write(data: string): void;
  exited: Promise<{ exitCode: number; signal?: number }>;
}

export function runInPty(file: string, args: string[], env: Record<string, string>, cols = 120, rows = 30): PtyRun {
  // Ink and other tools draw differently under CI: a person's terminal has no CI.
  const { CI: _ci, ...rest } = env;
  const pty = spawn(file, args, { name: 'xterm-256color', cols, rows, env: rest, cwd: process.cwd() });
  let out = '';
  const waiters: Array<() => void> = [];
  pty.onData((d) => {
    out += d;
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => pty.onExit((e) => resolve(e)));
  return {
    pty,
    output: () => out,
    write: (d) => pty.write(d),
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      const matches = () => (typeof pattern === 'string' ? out.includes(pattern) : pattern.test(out));
      if (matches()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(pattern)}; screen so far:\n${out.slice(-2000)}`)), timeoutMs);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        void exited.then(() => {
          if (!matches()) {
            clearTimeout(timer);
            reject(new Error(`exited before ${String(pattern)} appeared; screen:\n${out.slice(-2000)}`));
          }
        });
      });
    },
  };
}
