/**
 * Runs a helper command that prints a secret (credential_process, mfa_process, ykman): split the
 * way botocore splits credential_process (POSIX shlex, no shell), a time limit, a cap on output.
 * Its stdout is the secret and is never shown; its stderr is, on failure, so the person sees why.
 *
 * Hand-written rather than with execa: the whole job is one spawn with a timer,
 * execa would add its bundle to the CLI for it, and this runner also handles the case it would
 * need options for: a killed helper whose grandchild keeps the pipes open is not waited for.
 */
import { shlexSplit, ShlexError } from '../config/shlex.js';

export interface HelperOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** credential_process inherits stdin as botocore's does; an MFA helper gets none (stdin belongs to the child or the pipeline). */
  stdin: 'inherit' | 'ignore';
}

export interface HelperOutput {
  /** The program, for messages. */
  file: string;
  stdout: string;
  stderr: string;
}

/** Why a helper gave nothing: a sentence naming the program, with its stderr's last lines. */
export class HelperFailure extends Error {
  override name = 'HelperFailure';
}

const MAX_OUTPUT = 1 << 20;

export function splitCommand(command: string): [string, ...string[]] {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (err) {
    if (err instanceof ShlexError) throw new HelperFailure(`cannot split the command: ${err.message}`);
    throw err;
  }
  if (!argv.length) throw new HelperFailure('the command is empty');
  return argv as [string, ...string[]];
}

export async function runHelper(argv: readonly [string, ...string[]], opts: HelperOptions): Promise<HelperOutput> {
  const [file, ...args] = argv;
  // Loaded when a helper runs: every other credential path would pay for it at start-up.
  const { spawn } = await import('node:child_process');
  const { stdout, stderr, code, signal, timedOut, spawnError } = await new Promise<{
    stdout: string;
    stderr: string;
    code: number | null;
    signal: NodeJS.Signals | null;
    timedOut: boolean;
    spawnError?: NodeJS.ErrnoException;
  }>((resolve) => {
    const child = spawn(file, args, { env: opts.env, stdio: [opts.stdin, 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (out.length < MAX_OUTPUT) out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (err.length < MAX_OUTPUT) err += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ stdout: '', stderr: '', code: null, signal: null, timedOut: false, spawnError: e });
    });
    child.on('close', (c, s) => {
      clearTimeout(timer);
      resolve({ stdout: out, stderr: err, code: c, signal: s, timedOut });
    });
    // A killed shell can leave a grandchild holding the pipes open: do not wait for them.
    child.on('exit', (c, s) => {
      if (!timedOut) return;
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ stdout: out, stderr: err, code: c, signal: s, timedOut });
    });
  });
  const detail = (what: string) => {
    const tail = stderr.trim().split('\n').slice(-5).join('\n  ');
    return tail ? `${what}; it said:\n  ${tail}` : what;
  };
  if (spawnError) {
    const why = spawnError.code === 'ENOENT' ? 'not found' : spawnError.code === 'EACCES' ? 'not executable' : spawnError.message;
    throw new HelperFailure(`cannot run ${file}: ${why}`);
  }
  if (timedOut) throw new HelperFailure(detail(`${file} did not finish within ${opts.timeoutMs / 1000}s and was stopped`));
  if (code !== 0) throw new HelperFailure(detail(`${file} failed (${signal ? `killed by ${signal}` : `exit code ${code}`})`));
  return { file, stdout, stderr };
}
