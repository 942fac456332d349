/**
 * Starts a child with stdio inherited, the only kind `exec` runs. node:child_process brings
 * net, dgram and streams with it, for pipes exec never makes: loading it is a fifth of the
 * time exec spends on top of export on a cache hit. So the child is started with Node's own
 * process handle (the one child_process wraps, reached through process.binding, which Node 20
 * still offers for it), and child_process is loaded only when that handle is not there, or
 * when asking for it would print a deprecation warning (--pending-deprecation).
 */
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';

export interface StartedChild {
  readonly pid: number | undefined;
  /** True once the child has exited (or failed to start). */
  readonly done: boolean;
  kill(signal: NodeJS.Signals): void;
}

export interface StartOptions {
  env: Readonly<Record<string, string>>;
  argv0: string;
  cwd?: string;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
  /** The child could not be started after all (execve failed): an error with `code`, as child_process gives. */
  onError(err: NodeJS.ErrnoException): void;
}

interface ProcessHandle {
  spawn(options: unknown): number;
  kill(signal: number): number;
  close(): void;
  pid?: number;
  onexit: (exitCode: number, signalCode: string) => void;
}

const require = createRequire(import.meta.url);

function processHandleClass(): (new () => ProcessHandle) | undefined {
  if (process.execArgv.includes('--pending-deprecation') || /(^|\s)--pending-deprecation\b/.test(process.env.NODE_OPTIONS ?? '') || process.env.NODE_PENDING_DEPRECATION === '1') return undefined;
  try {
    const binding = (process as unknown as { binding(name: string): { Process?: new () => ProcessHandle } }).binding('process_wrap');
    return typeof binding.Process === 'function' ? binding.Process : undefined;
  } catch {
    return undefined;
  }
}

/** Throws as child_process.spawn does for what cannot be passed to execve: a NUL byte. */
function checkNoNul(file: string, args: readonly string[], env: Readonly<Record<string, string>>): void {
  const bad = [file, ...args].find((a) => a.includes('\0')) ?? Object.entries(env).find(([k, v]) => k.includes('\0') || v.includes('\0'))?.[0];
  if (bad !== undefined) throw new TypeError('an argument or environment variable contains a NUL byte');
}

/** Which way the next child starts: Node's process handle, or node:child_process. */
export function childBackend(): 'handle' | 'child_process' {
  return processHandleClass() ? 'handle' : 'child_process';
}

export function startChild(file: string, args: readonly string[], opts: StartOptions): StartedChild {
  checkNoNul(file, args, opts.env);
  const Handle = processHandleClass();
  return Handle ? startWithHandle(Handle, file, args, opts) : startWithChildProcess(file, args, opts);
}

function startWithHandle(Handle: new () => ProcessHandle, file: string, args: readonly string[], opts: StartOptions): StartedChild {
  const handle = new Handle();
  let done = false;
  handle.onexit = (exitCode, signalCode) => {
    done = true;
    handle.close();
    opts.onExit(signalCode ? null : exitCode, signalCode ? (signalCode as NodeJS.Signals) : null);
  };
  const err = handle.spawn({
    file,
    args: [opts.argv0, ...args],
    envPairs: Object.entries(opts.env).map(([k, v]) => `${k}=${v}`),
    stdio: [0, 1, 2].map((fd) => ({ type: 'fd', fd })),
    detached: false,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  if (err) {
    done = true;
    handle.close();
    const { getSystemErrorName } = require('node:util') as typeof import('node:util');
    const code = getSystemErrorName(err);
    const failure: NodeJS.ErrnoException = Object.assign(new Error(`spawn ${file} ${code}`), { code, errno: err, syscall: `spawn ${file}` });
    // As child_process reports it: after the caller has its handle.
    process.nextTick(() => opts.onError(failure));
    return { pid: undefined, done: true, kill() {} };
  }
  return {
    pid: handle.pid,
    get done() {
      return done;
    },
    kill(signal) {
      if (!done) handle.kill(osConstants.signals[signal]);
    },
  };
}

function startWithChildProcess(file: string, args: readonly string[], opts: StartOptions): StartedChild {
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const child: ChildProcess = spawn(file, args, { env: { ...opts.env }, stdio: 'inherit', argv0: opts.argv0, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  child.once('error', opts.onError);
  child.once('exit', opts.onExit);
  return {
    get pid() {
      return child.pid;
    },
    get done() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    kill(signal) {
      child.kill(signal);
    },
  };
}
