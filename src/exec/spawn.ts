/**
 * Starting exec's child. node:child_process loads node:net, node:dgram and the streams with it,
 * for pipes and IPC channels that a child inheriting awsguard's stdio never has: about 8 ms of
 * every exec, a fifth of Node's own start-up (measured on Node 20: `node -e ''` 42 ms,
 * with child_process spawning `true` 52 ms, with the process handle alone 44 ms). So on the Nodes
 * this is tested with (20 and 22: .ci/run runs the suite on both), the child is started through
 * the very libuv process handle that child_process wraps, with the options child_process would
 * give it. On any other Node, with
 * `--pending-deprecation` (which turns process.binding into a warning), or when the handle is not
 * shaped as expected, node:child_process starts it. Both report the same events.
 */
import { constants as osConstants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import { builtin } from '../builtin.js';

export interface SpawnRequest {
  /** The resolved file to run. */
  file: string;
  args: readonly string[];
  /** The name the child sees as argv[0]. */
  argv0: string;
  env: Readonly<Record<string, string>>;
  cwd?: string;
}

export interface ChildEvents {
  spawned(pid: number): void;
  /** The child could not be started (execve failed); `code` is the errno's name (ENOENT, EACCES...). */
  failed(err: NodeJS.ErrnoException): void;
  exited(code: number | null, signal: NodeJS.Signals | null): void;
}

export interface StartedChild {
  readonly pid: number | undefined;
  /** Started and not yet exited. */
  readonly running: boolean;
  /** Sends `signal`; a child that has just exited is not an error. */
  kill(signal: NodeJS.Signals): void;
}

/** Starts the child with stdio inherited; throws for arguments no process can receive (a NUL byte). */
export type Spawner = (request: SpawnRequest, events: ChildEvents) => StartedChild;

/** The part of libuv's process handle (src/process_wrap.cc) this module uses. */
interface ProcessHandle {
  pid: number;
  onexit: (exitCode: number, signalCode: string) => void;
  spawn(options: object): number;
  kill(signal: number): number;
  close(): void;
}

/** A NUL byte would silently cut the string at the C boundary: refuse, naming the place but not the value (it may be a secret). */
function checkNoNul(request: SpawnRequest): void {
  request.args.forEach((arg, i) => {
    if (arg.includes('\0')) throw new TypeError(`argument ${i + 1} holds a NUL byte`);
  });
  if (request.argv0.includes('\0') || request.file.includes('\0')) throw new TypeError('the command name holds a NUL byte');
  if (request.cwd?.includes('\0')) throw new TypeError('the working directory holds a NUL byte');
  for (const [name, value] of Object.entries(request.env)) {
    if (name.includes('\0') || value.includes('\0')) throw new TypeError(`the environment variable ${name.replaceAll('\0', '\\0')} holds a NUL byte`);
  }
}

/** The child started through node:child_process. */
export const spawnWithChildProcess: Spawner = (request, events) => {
  checkNoNul(request);
  const { spawn } = builtin<typeof import('node:child_process')>('node:child_process');
  const child = spawn(request.file, request.args, { env: { ...request.env }, stdio: 'inherit', argv0: request.argv0, ...(request.cwd ? { cwd: request.cwd } : {}) });
  child.once('spawn', () => {
    if (child.pid !== undefined) events.spawned(child.pid);
  });
  child.once('error', (err: NodeJS.ErrnoException) => events.failed(err));
  child.once('exit', (code, signal) => events.exited(code, signal));
  return {
    get pid() {
      return child.pid;
    },
    get running() {
      return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
    },
    kill(signal) {
      try {
        child.kill(signal);
      } catch {
        // It exited between the check and the kill: the exit event takes it from here.
      }
    },
  };
};

const TESTED_NODE_MAJORS: readonly number[] = [20, 22];

/** libuv's process handle, where this Node has it as tested; undefined otherwise. */
function processHandleClass(): (new () => ProcessHandle) | undefined {
  if (!TESTED_NODE_MAJORS.includes(Number(process.versions.node.split('.')[0]))) return undefined;
  if (process.execArgv.includes('--pending-deprecation') || /--pending-deprecation\b/.test(process.env.NODE_OPTIONS ?? '') || process.env.NODE_PENDING_DEPRECATION === '1') return undefined;
  try {
    // process.binding is not in @types/node's Process: it is deprecated in the docs only (DEP0111) and still lists process_wrap.
    const binding = (process as unknown as { binding(name: string): { Process?: unknown } }).binding('process_wrap');
    const Process = binding.Process;
    if (typeof Process !== 'function') return undefined;
    const proto = (Process as { prototype: Record<string, unknown> }).prototype;
    if (typeof proto.spawn !== 'function' || typeof proto.kill !== 'function' || typeof proto.close !== 'function') return undefined;
    return Process as new () => ProcessHandle;
  } catch {
    return undefined;
  }
}

/**
 * The child started through libuv's process handle, with what child_process's spawn() hands it
 * for `stdio: 'inherit'` (lib/internal/child_process.js): the same fds, argv0 first, `KEY=value` pairs.
 */
function spawnWithProcessHandle(Process: new () => ProcessHandle): Spawner {
  return (request, events) => {
    checkNoNul(request);
    const handle = new Process();
    let running = false;
    handle.onexit = (exitCode, signalCode) => {
      running = false;
      handle.close();
      events.exited(signalCode ? null : exitCode, signalCode ? (signalCode as NodeJS.Signals) : null);
    };
    const err = handle.spawn({
      file: request.file,
      args: [request.argv0, ...request.args],
      cwd: request.cwd,
      envPairs: Object.entries(request.env).map(([name, value]) => `${name}=${value}`),
      stdio: [0, 1, 2].map((fd) => ({ type: 'inherit', fd })),
      detached: false,
      windowsHide: false,
      windowsVerbatimArguments: false,
    });
    if (err !== 0) {
      // As child_process does: the failure is an event, after the caller has its handle.
      handle.close();
      const code = errorName(err);
      const failure: NodeJS.ErrnoException = Object.assign(new Error(`spawn ${request.argv0} ${code}`), { code, errno: err, syscall: 'spawn' });
      process.nextTick(() => events.failed(failure));
    } else {
      running = true;
      process.nextTick(() => events.spawned(handle.pid));
    }
    return {
      get pid() {
        return err === 0 ? handle.pid : undefined;
      },
      get running() {
        return running;
      },
      kill(signal) {
        // ESRCH when it exited between the check and the kill: the exit callback takes it from here.
        if (running) handle.kill(osConstants.signals[signal]);
      },
    };
  };
}

function errorName(errno: number): string {
  try {
    return getSystemErrorName(errno);
  } catch {
    return `errno ${errno}`;
  }
}

let chosen: Spawner | undefined;
/** The spawner for this Node: the process handle where it is as tested, child_process otherwise. */
export function defaultSpawner(): Spawner {
  if (!chosen) {
    const Process = processHandleClass();
    chosen = Process ? spawnWithProcessHandle(Process) : spawnWithChildProcess;
  }
  return chosen;
}
