/**
 * A lock file per cache entry, so ten parallel `awsguard exec` calls for one profile make one
 * STS call: the first takes the lock and fetches; the others wait and then find the cache filled.
 * A lock whose holder died (or that is very old) is taken over.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { AwsguardError, ExitCode, displayPath } from '../errors.js';
import { isStorageFailure, writeAll } from './secure-files.js';

const STALE_MS = 120_000;
const WAIT_MS = 10 * 60_000;

/** Another awsguard held the lock for longer than any fetch takes and is still alive. */
export class LockTimeoutError extends AwsguardError {
  override name = 'LockTimeoutError';
  readonly path: string;
  constructor(path: string, waitedMs: number) {
    super(
      `waited ${Math.round(waitedMs / 60_000)} minutes for ${displayPath(path)}, held by another awsguard that is still running; ` +
        `if none is, remove the file and try again`,
      ExitCode.credentials,
    );
    this.path = path;
  }
}

function holderAlive(path: string, now: number): boolean {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (now - statSync(path).mtimeMs > STALE_MS) return false;
    if (!Number.isInteger(pid) || pid <= 0) return true; // being written right now
    process.kill(pid, 0);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPERM') return true; // alive, someone else's
    return false; // ESRCH: dead; ENOENT: released meanwhile
  }
}

/** `true`: ours; `false`: someone else's; `undefined`: the disk cannot hold even a lock, so go without one. */
function tryAcquire(path: string): boolean | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    if (isStorageFailure(err)) return undefined;
    throw err;
  }
  try {
    writeAll(fd, Buffer.from(String(process.pid)));
  } catch (err) {
    // An empty lock reads as "being written" to the others until it is stale: do not leave one.
    closeSync(fd);
    unlinkSync(path);
    if (isStorageFailure(err)) return undefined;
    throw err;
  }
  closeSync(fd);
  return true;
}

/**
 * Returns what `lookup` finds, or else fetches it holding the lock. Waiters poll `lookup`, so
 * the first caller's result serves them all; if that caller fails they take their own turn.
 */
export async function coalesce<T>(path: string, lookup: () => T | undefined, fetch: () => Promise<T>, now: () => number, pollMs = 40): Promise<T> {
  const started = now();
  for (;;) {
    const found = lookup();
    if (found !== undefined) return found;
    const got = tryAcquire(path);
    // A full disk costs the parallel callers a fetch each, not the command.
    if (got === undefined) return fetch();
    if (got) break;
    if (!holderAlive(path, now())) {
      try {
        unlinkSync(path);
      } catch {
        // someone else took it over first
      }
      continue;
    }
    if (now() - started > WAIT_MS) throw new LockTimeoutError(path, now() - started);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    return lookup() ?? (await fetch());
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
