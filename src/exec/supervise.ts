/**
 * Runs the child the way a shell would, minus the shell: no `sh -c`, so arguments reach it
 * exactly as given. stdio is inherited untouched (interactive programs, pipes and the terminal
 * all work), the signals a person or a supervisor sends are passed on, awsguard never exits
 * before its child, and the exit status is the child's, in the shell's conventions:
 * the child's own code; 128+N when signal N killed it; 127 not found; 126 found but not runnable.
 *
 * A signal that kills awsguard itself outright (SIGKILL) cannot be passed on; the child then
 * outlives it, as it would outlive a shell killed the same way.
 */
import { accessSync, constants as fsConstants, readFileSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, resolve as resolvePath } from 'node:path';
import { AwsguardError, ExitCode } from '../errors.js';
import { builtin } from '../builtin.js';
import { defaultSpawner, type Spawner, type StartedChild } from './spawn.js';

/** The child could not be started; `exitCode` is 127 (not found) or 126 (not runnable). */
export class ChildStartError extends AwsguardError {
  override name = 'ChildStartError';
  readonly command: string;
  constructor(command: string, message: string, exitCode: number) {
    super(message, exitCode);
    this.command = command;
  }
}

export interface ChildResult {
  /** What awsguard should exit with: the child's code, or 128+N after signal N. */
  code: number;
  /** The signal that ended the child, if one did. */
  signal?: NodeJS.Signals;
}

export interface RunChildOptions {
  cwd?: string;
  /** Called once the child is running, with its pid (tests, and a credentials server that needs it). */
  onSpawn?: (pid: number) => void;
  /** How the child is started (tests run both); the one for this Node by default. */
  spawner?: Spawner;
}

export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGWINCH', 'SIGUSR1', 'SIGUSR2'];

/**
 * Signals the terminal driver sends to its whole foreground process group: Ctrl-C, Ctrl-\ and a
 * resize. When the child is in that group it already got its own copy from the kernel, and a
 * forwarded second SIGINT is not harmless: terraform, for one, treats two interrupts as "stop
 * now, never mind the state file". SIGHUP on a hang-up also reaches the foreground group, but
 * it is always passed on: a second hang-up changes nothing, and a missing one leaves a child
 * running with no terminal.
 */
const TERMINAL_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGQUIT', 'SIGWINCH']);

/** When PATH is unset, execvp's default. */
const DEFAULT_PATH = '/usr/bin:/bin';

type FileState = 'ok' | 'missing' | 'directory' | 'not-executable';

function fileState(file: string): FileState {
  try {
    if (statSync(file).isDirectory()) return 'directory';
    accessSync(file, fsConstants.X_OK);
    return 'ok';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' ? 'missing' : 'not-executable';
  }
}

/**
 * The file `command` names, found the way bash finds it: a name with a slash is a path (from
 * `cwd`); otherwise each PATH entry in turn (an empty entry is `cwd`), skipping directories and
 * taking the first executable file. Done here, not left to execvp, so that "not found" (127)
 * and "not runnable" (126) get a clear message before anything starts.
 */
export function resolveCommand(command: string, pathVar: string | undefined, cwd: string = process.cwd()): string {
  if (command === '') throw new ChildStartError(command, 'command not found: (empty name)', ExitCode.notFound);
  if (command.includes('/')) {
    const file = resolvePath(cwd, command);
    const state = fileState(file);
    if (state === 'ok') return file;
    if (state === 'missing') throw new ChildStartError(command, `command not found: ${command}`, ExitCode.notFound);
    throw new ChildStartError(command, `cannot run ${command}: ${state === 'directory' ? 'is a directory' : 'permission denied'}`, ExitCode.notExecutable);
  }
  let notExecutable: string | undefined;
  for (const dir of (pathVar ?? DEFAULT_PATH).split(delimiter)) {
    const file = resolvePath(cwd, dir, command);
    const state = fileState(file);
    if (state === 'ok') return file;
    if (state === 'not-executable') notExecutable ??= file;
  }
  if (notExecutable) throw new ChildStartError(command, `cannot run ${command}: permission denied (${notExecutable})`, ExitCode.notExecutable);
  throw new ChildStartError(command, `command not found: ${command}`, ExitCode.notFound);
}

interface Groups {
  pgrp: number;
  /** The foreground process group of the controlling terminal; -1 without one. */
  tpgid: number;
}

/** A process's group and its terminal's foreground group, from /proc (Linux) or ps (macOS, BSD). */
export function processGroups(pid: number): Groups | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // state ppid pgrp session tty_nr tpgid
    return { pgrp: Number(fields[2]), tpgid: Number(fields[5]) };
  } catch {
    // no /proc: fall through to ps
  }
  // Loaded here, off Linux only: child_process is what exec starts its child without (./spawn.ts).
  const { spawnSync } = builtin<typeof import('node:child_process')>('node:child_process');
  const ps = spawnSync('ps', ['-o', 'pgid=,tpgid=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 });
  const [pgrp, tpgid] = (ps.stdout ?? '').trim().split(/\s+/).map(Number);
  if (ps.status !== 0 || pgrp === undefined || tpgid === undefined || Number.isNaN(pgrp) || Number.isNaN(tpgid)) return undefined;
  return { pgrp, tpgid };
}

/**
 * Whether a terminal signal that reached us has most likely reached the child too: both are in
 * the terminal's foreground group. Then the kernel delivered it to the child already. The cost of
 * this guess: a `kill -INT` aimed at awsguard alone while it runs in the foreground is not passed
 * on. Every other sender (a supervisor, `timeout`, a test harness, a background job) is.
 */
function childAlreadyGotIt(childPid: number): boolean {
  const ours = processGroups(process.pid);
  if (!ours || ours.tpgid <= 0 || ours.pgrp !== ours.tpgid) return false;
  const child = processGroups(childPid);
  return child !== undefined && child.pgrp === ours.tpgid;
}

/** Exit status in the shell's convention. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (osConstants.signals[signal] ?? 0);
  return code ?? ExitCode.internal;
}

export function runChild(argv: readonly string[], env: Readonly<Record<string, string>>, opts: RunChildOptions = {}): Promise<ChildResult> {
  const [command, ...args] = argv;
  if (command === undefined) return Promise.reject(new ChildStartError('', 'no command given', ExitCode.usage));
  let file: string;
  try {
    file = resolveCommand(command, env.PATH, opts.cwd);
  } catch (err) {
    return Promise.reject(err);
  }
  const spawner = opts.spawner ?? defaultSpawner();
  return new Promise<ChildResult>((resolve, reject) => {
    let child: StartedChild | undefined;
    // The handlers go in BEFORE the spawn: a child can start and provoke a signal (a supervisor
    // seeing its first output and sending SIGTERM) faster than this process gets back from
    // spawn(), and a signal in that gap would kill awsguard with its default action, orphaning
    // the child. JS handlers only run between ticks, so none can see `child` still unset.
    const handlers = FORWARDED_SIGNALS.map((signal) => {
      const handler = () => {
        if (!child?.running || child.pid === undefined) return;
        if (TERMINAL_SIGNALS.has(signal) && childAlreadyGotIt(child.pid)) return;
        child.kill(signal);
      };
      // A listener also replaces Node's default action (exit on SIGINT/SIGTERM/SIGHUP), which is
      // what keeps awsguard alive until its child is gone.
      process.on(signal, handler);
      return [signal, handler] as const;
    });
    const cleanup = () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
    try {
      // argv0 keeps the name as typed: `ps` and the child's own messages show `aws`, not `/usr/bin/aws`.
      child = spawner(
        { file, args, argv0: command, env, ...(opts.cwd ? { cwd: opts.cwd } : {}) },
        {
          spawned: (pid) => opts.onSpawn?.(pid),
          failed: (err) => {
            cleanup();
            reject(startFailure(command, file, err));
          },
          exited: (code, signal) => {
            cleanup();
            resolve(signal ? { code: exitCodeOf(code, signal), signal } : { code: exitCodeOf(code, null) });
          },
        },
      );
    } catch (err) {
      // Arguments no process can receive (a NUL byte in an argument or a variable).
      cleanup();
      reject(new ChildStartError(command, `cannot run ${command}: ${(err as Error).message}`, ExitCode.notExecutable));
    }
  });
}

/** execve failed after the lookup succeeded: a `#!` interpreter that is missing, a race, a bad binary. */
function startFailure(command: string, file: string, err: NodeJS.ErrnoException): ChildStartError {
  if (err.code === 'ENOENT') {
    const detail = fileState(file) === 'ok' ? `bad interpreter (the #! line of ${file} names a program that does not exist)` : 'it disappeared';
    return new ChildStartError(command, `cannot run ${command}: ${detail}`, ExitCode.notExecutable);
  }
  if (err.code === 'EACCES') return new ChildStartError(command, `cannot run ${command}: permission denied`, ExitCode.notExecutable);
  return new ChildStartError(command, `cannot run ${command}: ${err.code ?? err.message}`, ExitCode.notExecutable);
}
