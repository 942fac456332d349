/**
 * Files that hold secrets: a private directory (0700, ours), private files (0600, ours),
 * written to a temporary file and renamed so a crash never leaves half a file. A directory
 * or file that someone else could read or write is refused, not silently fixed: that would
 * hide that the secrets in it may already have leaked.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
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

function checkOwnedPrivate(path: string, isDir: boolean, allowGroupRead: boolean): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) throw new InsecureFileError(path, 'it is a symbolic link', `remove it (rm ${displayPath(path)})`);
  if (isDir !== st.isDirectory()) throw new InsecureFileError(path, isDir ? 'it is not a directory' : 'it is not a regular file', `remove it`);
  if (uid() !== -1 && st.uid !== uid()) throw new InsecureFileError(path, `it belongs to another user (uid ${st.uid})`, 'remove it or point XDG_CACHE_HOME elsewhere');
  const forbidden = allowGroupRead ? 0o022 : 0o077;
  if (st.mode & forbidden) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new InsecureFileError(path, `others can ${st.mode & 0o044 ? 'read' : 'write'} it (mode ${mode})`, `run: chmod ${isDir ? 700 : 600} ${displayPath(path)}`);
  }
}

/** Creates the directory (and parents) private if missing; refuses one others can read. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkOwnedPrivate(dir, true, false);
}

/** Reads a private file; `undefined` when it does not exist. */
export function readPrivateFile(path: string): string | undefined {
  try {
    checkOwnedPrivate(path, false, false);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return readFileSync(path, 'utf8');
}

/** Writes atomically with mode 0600: a reader sees the old content or the new, never a part. */
export function writePrivateFile(path: string, content: string): void {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
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
