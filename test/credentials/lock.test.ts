import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesce, LockTimeoutError } from '../../src/credentials/lock.js';
import { ExitCode } from '../../src/errors.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('coalesce', () => {
  it('fetches once holding the lock and removes it after', async () => {
    dir = mkdtempSync(join(tmpdir(), 'awsguard-lock-'));
    const lock = join(dir, 'k.lock');
    let fetched = 0;
    const got = await coalesce(lock, () => undefined, async () => ++fetched, Date.now);
    expect(got).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('waits by the clock it is given and then fails with a typed error naming the lock', async () => {
    dir = mkdtempSync(join(tmpdir(), 'awsguard-lock-'));
    const lock = join(dir, 'k.lock');
    // Held by a live process (this one), touched "now" on the injected clock so it is not stale.
    const start = Date.parse('2030-01-01T00:00:00Z');
    const later = start + 11 * 60_000;
    writeFileSync(lock, String(process.pid));
    utimesSync(lock, later / 1000, later / 1000);
    let calls = 0;
    const now = () => (calls++ === 0 ? start : later);
    const err = await coalesce(lock, () => undefined, async () => 'never', now, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockTimeoutError);
    expect((err as LockTimeoutError).exitCode).toBe(ExitCode.credentials);
    expect((err as Error).message).toMatch(/waited 11 minutes for .*k\.lock, held by another awsguard that is still running/);
  });
});
