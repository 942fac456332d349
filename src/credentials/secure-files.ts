/**
 * Files that hold secrets: a private directory (0700, ours), private files (0600, ours),
 * written to a temporary file and renamed so a crash never leaves half a file. A directory
 * or file that someone else could read or write is refused, not silently fixed: that would
 * hide that the secrets in it may already have leaked.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { AwsguardError, ExitCode } from '../errors.js';
import { displayPath } from '../errors.js';

export class InsecureFileError extends AwsguardError {
  override name = 'InsecureFileError';
  readonly path: string;
  constructor(path: string, detail: string, fix: string) {
    super(`refusing to use ${displayPath(path)}: ${detail}; ${fix}`, ExitCode.credentials);
    this.path = path;
  }
}

const uid = () => (typeof process.getuid === 'function' ? process.getuid() : -1);

/** What makes a path unfit to hold secrets, and the fix: a command to run, or advice. */
export interface PrivacyProblem {
  detail: string;
  command?: string;
  advice?: string;
}

/**
 * Why `path` is not ours alone (a link, the wrong kind, another owner, a mode others can
 * reach), or undefined when it is. Throws ENOENT for a missing path. `doctor` reports these;
 * the cache refuses them.
 */
export function privacyProblem(path: string, isDir: boolean): PrivacyProblem | undefined {
  const st = lstatSync(path);
  const shown = displayPath(path);
  if (st.isSymbolicLink()) return { detail: 'it is a symbolic link', command: `rm ${shown}` };
  if (isDir !== st.isDirectory()) return { detail: isDir ? 'it is not a directory' : 'it is not a regular file', advice: 'remove it' };
  if (uid() !== -1 && st.uid !== uid()) return { detail: `it belongs to another user (uid ${st.uid})`, advice: 'remove it or point XDG_CACHE_HOME elsewhere' };
  if (st.mode & 0o077) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    return { detail: `others can ${st.mode & 0o044 ? 'read' : 'write'} it (mode ${mode})`, command: `chmod ${isDir ? 700 : 600} ${shown}` };
  }
  return undefined;
}

function checkOwnedPrivate(path: string, isDir: boolean): void {
  const problem = privacyProblem(path, isDir);
  if (problem) throw new InsecureFileError(path, problem.detail, problem.command ? `run: ${problem.command}` : problem.advice!);
}

/** Creates the directory (and parents) private if missing; refuses one others can read. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkOwnedPrivate(dir, true);
}

/** Reads a private file; `undefined` when it does not exist. */
export function readPrivateFile(path: string): string | undefined {
  return readPrivateBytes(path)?.toString('utf8');
}

/** The same, as bytes: for content passed on as it is, without decoding it. */
export function readPrivateBytes(path: string): Buffer | undefined {
  try {
    checkOwnedPrivate(path, false);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return readFileSync(path);
}

/** node:crypto only when a file is written: a cache hit writes nothing and should not load it. */
function randomName(): string {
  const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return randomBytes(6).toString('hex');
}

/** Writes atomically with mode 0600: a reader sees the old content or the new, never a part. */
export function writePrivateFile(path: string, content: string): void {
  writeAtomically(path, content, 0o600);
}

/**
 * A temporary file beside `path` (created with `mode`), written and synced, then renamed over
 * it. `beforeRename` may still refuse (throw): the temporary file goes and `path` is untouched.
 */
export function writeAtomically(path: string, content: string, mode: number, beforeRename?: () => void): void {
  const tmp = join(dirname(path), `.${randomName()}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    beforeRename?.();
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
}

export function removeFile(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
