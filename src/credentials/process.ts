/**
 * credential_process: the command is split the way botocore splits it (POSIX shlex, no shell)
 * and run with a time limit. Its stdout holds secrets and is never shown; its stderr is, so
 * the person sees why it failed.
 */
import { CredentialError } from '../errors.js';
import { shlexSplit, ShlexError } from '../config/shlex.js';
import type { Credentials } from './types.js';

export interface ProcessOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

const MAX_OUTPUT = 1 << 20;

export async function runCredentialProcess(profile: string, command: string, opts: ProcessOptions): Promise<Credentials> {
  const step = 'credential_process';
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (err) {
    if (err instanceof ShlexError) throw new CredentialError(profile, step, `cannot split the command: ${err.message}`);
    throw err;
  }
  if (!argv.length) throw new CredentialError(profile, step, 'the command is empty');
  const [file, ...args] = argv as [string, ...string[]];
  // Loaded when a process is run: every other credential path would pay for it at start-up.
  const { spawn } = await import('node:child_process');
  const { stdout, stderr, code, signal, timedOut, spawnError } = await new Promise<{
    stdout: string;
    stderr: string;
    code: number | null;
    signal: NodeJS.Signals | null;
    timedOut: boolean;
    spawnError?: NodeJS.ErrnoException;
  }>((resolve) => {
    const child = spawn(file, args, { env: opts.env, stdio: ['inherit', 'pipe', 'pipe'] });
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
    throw new CredentialError(profile, step, `cannot run ${file}: ${why}`);
  }
  if (timedOut) throw new CredentialError(profile, step, detail(`${file} did not finish within ${opts.timeoutMs / 1000}s and was stopped`));
  if (code !== 0) throw new CredentialError(profile, step, detail(`${file} failed (${signal ? `killed by ${signal}` : `exit code ${code}`})`));
  return parseProcessOutput(profile, file, stdout);
}

/** The documented format: `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`. */
export function parseProcessOutput(profile: string, file: string, stdout: string): Credentials {
  const step = 'credential_process';
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    // Never echo the output: it may hold a secret even when it is not valid JSON.
    throw new CredentialError(profile, step, `${file} printed something that is not JSON (${stdout.length} bytes)`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CredentialError(profile, step, `${file} printed JSON that is not an object`);
  if (data.Version !== 1) throw new CredentialError(profile, step, `${file} printed Version ${JSON.stringify(data.Version ?? null)}; only Version 1 is supported`);
  const missing = ['AccessKeyId', 'SecretAccessKey'].filter((k) => typeof data[k] !== 'string' || data[k] === '');
  if (missing.length) throw new CredentialError(profile, step, `${file} printed no ${missing.join(' or ')}`);
  const creds: Credentials = { accessKeyId: data.AccessKeyId as string, secretAccessKey: data.SecretAccessKey as string };
  if (typeof data.SessionToken === 'string' && data.SessionToken) creds.sessionToken = data.SessionToken;
  if (data.Expiration !== undefined) {
    const d = typeof data.Expiration === 'string' ? new Date(data.Expiration) : new Date(NaN);
    if (Number.isNaN(d.getTime())) throw new CredentialError(profile, step, `${file} printed an Expiration that is not an ISO 8601 time`);
    creds.expiration = d;
  }
  return creds;
}
