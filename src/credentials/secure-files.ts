/**
 * Files that hold secrets: a private directory (0700, ours), private files (0600, ours),
 * written to a temporary file and renamed so a crash never leaves half a file. A directory
 * or file that someone else could read or write is refused, not silently fixed: that would
 * hide that the secrets in it may already have leaked.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/**
 * A name for a temporary file that no other writer is using. It need not be unpredictable: the
 * file is created with O_EXCL, which fails on any existing name, a planted symlink included,
 * and the next name is tried. Not node:crypto's randomBytes: loading it costs ~10 ms, paid by
 * every command that writes a cache (`profiles --names` at every Tab after an edit among them).
 */
let tmpCount = 0;
function tmpName(): string {
  return `${process.pid.toString(36)}-${(tmpCount++).toString(36)}-${Math.floor(Math.random() * 0x7fffffff).toString(36)}`;
}

/** Creates a new temporary file in `dir`, trying another name while one is taken. */
function openTemporary(dir: string, mode: number): { tmp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dir, `.${tmpName()}.tmp`);
    try {
      return { tmp, fd: openSync(tmp, 'wx', mode) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw err;
    }
  }
}

/** Writes all of `data`: a write(2) may take fewer bytes than asked (a signal, a nearly full disk). */
export function writeAll(fd: number, data: Uint8Array): void {
  for (let off = 0; off < data.length; ) {
    const n = writeSync(fd, data, off, data.length - off);
    // 0 bytes and no error would loop for ever; the kernel says ENOSPC on the next try, but do not rely on it.
    if (n <= 0) throw Object.assign(new Error(`write took ${off} of ${data.length} bytes`), { code: 'ENOSPC' });
    off += n;
  }
}

/** Writes atomically with mode 0600: a reader sees the old content or the new, never a part. */
export function writePrivateFile(path: string, content: string | Uint8Array): void {
  writeAtomically(path, content, 0o600);
}

/**
 * A temporary file beside `path` (created with `mode`), written and synced, then renamed over
 * it. `beforeRename` may still refuse (throw): the temporary file goes and `path` is untouched.
 * Every byte is written and the file fsynced before the rename, and the directory after it, so a
 * crash or power loss leaves the old file or the new one. On any failure the temporary file is
 * removed and the old content stays: a full disk never leaves half a file or a stray `.tmp`.
 */
export function writeAtomically(path: string, content: string | Uint8Array, mode: number, beforeRename?: () => void): void {
  const dir = dirname(path);
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const { tmp, fd } = openTemporary(dir, mode);
  try {
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    beforeRename?.();
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed, or gone
    }
    throw err;
  }
  syncDir(dir);
}

/** Makes a rename in `dir` durable. Some file systems cannot fsync a directory (EINVAL): the rename stands. */
function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw err;
  } finally {
    closeSync(fd);
  }
}

/** An error from the file system saying it cannot take more (full, quota, read-only, I/O): the write failed, the data is fine. */
export function isStorageFailure(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS' || code === 'EIO' || code === 'EFBIG';
}

/** `ENOSPC (the disk is full)`: the code for searching, the words for reading. */
export function storageFailureText(err: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the file system is read-only',
    EIO: 'an I/O error',
    EFBIG: 'the file is too large',
  };
  return `${err.code}: ${words[err.code ?? ''] ?? err.message}`;
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
