/**
 * A lock file per cache entry, so ten parallel `awsguard exec` calls for one profile make one
 * STS call: the first takes the lock and fetches; the others wait and then find the cache filled.
 * A lock whose holder died (or that is very old) is taken over.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

const STALE_MS = 120_000;

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

function tryAcquire(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Returns what `lookup` finds, or else fetches it holding the lock. Waiters poll `lookup`, so
 * the first caller's result serves them all; if that caller fails they take their own turn.
 */
export async function coalesce<T>(path: string, lookup: () => T | undefined, fetch: () => Promise<T>, pollMs = 40): Promise<T> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const found = lookup();
    if (found !== undefined) return found;
    if (tryAcquire(path)) break;
    if (!holderAlive(path, Date.now())) {
      try {
        unlinkSync(path);
      } catch {
        // someone else took it over first
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${path}`);
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
