/**
 * A full disk, for real: the cache and the state directory each on a 64 KiB tmpfs filled to the
 * last block, then the built CLI against the loopback fake AWS. A session cache that cannot be
 * written is a warning and the child runs; an audit record that cannot be written refuses a
 * protected account and is a warning for the others; a confirmation that cannot be kept is asked
 * again. Mounting needs root (CI runs as root, as here); without it the tests skip locally and
 * fail under AWSGUARD_TEST_REQUIRE_ALL=1.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { runInPty } from '../support/pty.js';
import { requireOrSkip } from '../support/require-tool.js';
import { createWorld, type World } from '../support/world.js';

function canMountTmpfs(): boolean {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  const probe = join('/tmp', `awsguard-mount-probe-${process.pid}`);
  mkdirSync(probe, { recursive: true });
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
  if (ok) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return ok;
}

const tmpfs = requireOrSkip('mount -t tmpfs (root)', canMountTmpfs(), 'cannot mount a tmpfs here (not root, or no mount permission)');
const node = process.execPath;

let w: World;
let env: Record<string, string>;
const mounted: string[] = [];

function mount(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  mounted.push(dir);
}

/** Fills the file system under `dir` until it says ENOSPC. */
function fill(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(1024, 0x61);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
}
const unfill = (dir: string) => rmSync(join(dir, 'filler'), { force: true });
/**
 * The state directory full to the last byte. tmpfs allocates whole pages, so an audit log kept
 * from earlier runs would still take a line or two in its last page: start it afresh.
 */
function fillState(stateHome: string): void {
  rmSync(join(stateHome, 'awsguard', 'audit.jsonl'), { force: true });
  fill(stateHome);
}

/** Every file below `dir` (not the filler): no stray `.tmp` or `.lock` may stay behind. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'filler') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p).map((f) => join(e.name, f)));
    else out.push(e.name);
  }
  return out;
}

const awsguard = (args: string[]) => runAsync(node, [BIN, ...args], env);

describe.skipIf(tmpfs.skip)(tmpfs.label('a full disk'), () => {
  let cacheHome: string;
  let stateHome: string;
  beforeAll(async () => {
    tmpfs.assert();
    w = await createWorld();
    env = { ...w.env };
    cacheHome = env.XDG_CACHE_HOME!;
    stateHome = env.XDG_STATE_HOME!;
    mount(cacheHome);
    mount(stateHome);
    // One MFA session for alice, cached while there is room, serves the protected account below.
    const r = await awsguard(['exec', '-p', 'staging-deploy', '--mfa-code', '123456', '--', 'true']);
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(async () => {
    for (const dir of mounted.reverse()) spawnSync('umount', [dir]);
    await w?.close();
  });

  it('a session cache that cannot be written is a warning naming it, and the child runs with the credentials', async () => {
    const before = filesUnder(join(cacheHome, 'awsguard'));
    fill(cacheHome);
    try {
      const r = await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', 'echo "key=$AWS_ACCESS_KEY_ID"']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^key=ASIA[A-Z0-9]{16}$/m);
      expect(r.stderr).toMatch(/awsguard: warning: the session cache ~\/\.cache\/awsguard\/sessions\/[0-9a-f]{40}\.json cannot be written \(ENOSPC: no space left on the device\); going on without caching this session/);
      expect(r.stderr).not.toMatch(/internal error/);
      // Said once, though the identity learned afterwards could not be stored either.
      expect(r.stderr.match(/session cache/g)?.length).toBe(1);
      // Nothing half-written, no temporary file, no lock left for the next run to wait on.
      expect(filesUnder(join(cacheHome, 'awsguard'))).toEqual(before);
    } finally {
      unfill(cacheHome);
    }
    // With room again the session is cached as before.
    const again = await awsguard(['exec', '-p', 'ci', '--', 'true']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/warning/);
    expect(filesUnder(join(cacheHome, 'awsguard')).length).toBeGreaterThan(before.length);
  });

  it('a cache already full when MFA is asked for: the protected account still runs after the warning', async () => {
    fill(cacheHome);
    try {
      const r = await awsguard(['exec', '-p', 'prod-readonly', '--refresh', '--mfa-code', '123456', '--confirm', 'acme-prod', '--', 'true']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/warning: the session cache ~\/\.cache\/awsguard\/sessions\/[0-9a-f]{40}\.json cannot be written \(ENOSPC/);
      expect(filesUnder(join(cacheHome, 'awsguard')).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
    } finally {
      unfill(cacheHome);
    }
  });

  it('an audit log that cannot be written refuses a protected account (exit 5, naming the log) and nothing runs', async () => {
    const marker = join(w.home, 'ran');
    fillState(stateHome);
    try {
      const r = await awsguard(['exec', '-p', 'prod-readonly', '--confirm', 'acme-prod', '--', 'touch', marker]);
      expect(r.status, r.stderr).toBe(5);
      expect(r.stderr).toMatch(/acme-prod is a protected account and its audit record cannot be written \(cannot write the audit log ~\/\.local\/state\/awsguard\/audit\.jsonl: ENOSPC: no space left on the device\); nothing was run/);
      expect(existsSync(marker)).toBe(false);
      const exported = await awsguard(['export', '-p', 'prod-readonly', '--format', 'json', '--confirm', 'acme-prod']);
      expect(exported.status, exported.stderr).toBe(5);
      expect(exported.stdout).toBe('');
      expect(exported.stderr).toMatch(/audit record cannot be written \(cannot write the audit log ~\/\.local\/state\/awsguard\/audit\.jsonl: ENOSPC/);
    } finally {
      unfill(stateHome);
    }
  });

  it('for an unprotected account it is a warning naming the log, and the child runs', async () => {
    fillState(stateHome);
    try {
      const r = await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', 'echo ran']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('ran\n');
      expect(r.stderr).toMatch(/awsguard: warning: the audit log was not written: cannot write the audit log ~\/\.local\/state\/awsguard\/audit\.jsonl: ENOSPC: no space left on the device/);
      const used = await awsguard(['use', '-p', 'ci', '--shell', 'bash']);
      expect(used.status, used.stderr).toBe(0);
      expect(used.stdout).toMatch(/export AWS_ACCESS_KEY_ID='ASIA/);
      expect(used.stderr).toMatch(/warning: the audit log was not written: .*audit\.jsonl: ENOSPC/);
      // A refusal stays a refusal (exit 5), not an internal error, when its record cannot be kept.
      const refused = await awsguard(['exec', '-p', 'prod-readonly', '--', 'true']);
      expect(refused.status, refused.stderr).toBe(5);
      expect(refused.stderr).toMatch(/warning: the audit log was not written/);
    } finally {
      unfill(stateHome);
    }
  });

  it('a confirmation window that cannot be kept asks again instead of trusting, with a warning', async () => {
    // The audit log's last page has room (tmpfs allocates whole pages), the window's new file has none:
    // the confirmation cannot be kept while the records still can.
    const ok = await awsguard(['exec', '-p', 'ci', '--', 'true']);
    expect(ok.status, ok.stderr).toBe(0);
    const auditPath = join(stateHome, 'awsguard', 'audit.jsonl');
    const before = readFileSync(auditPath, 'utf8').trim().split('\n').length;
    fill(stateHome);
    try {
      const one = `'${node}' '${BIN}' export -p prod-readonly --format json >/dev/null`;
      const t = runInPty('/bin/sh', ['-c', `${one}; echo "first=$?"; ${one}; echo "second=$?"`], env);
      await t.waitFor(/Type its alias/);
      t.write('acme-prod\r');
      await t.waitFor(/first=\d/);
      await t.waitFor(/Type its alias[\s\S]*Type its alias/);
      t.write('acme-prod\r');
      await t.waitFor(/second=\d/);
      await t.exited;
      const screen = t.output();
      expect(screen).toMatch(/first=0/);
      expect(screen).toMatch(/second=0/);
      expect(screen).toMatch(/warning: the confirmation cannot be kept in ~\/\.local\/state\/awsguard\/confirmations\.json \(ENOSPC: no space left on the device\); the next call asks again/);
      expect(filesUnder(join(stateHome, 'awsguard'))).toEqual(['audit.jsonl']);
      const added = readFileSync(auditPath, 'utf8').trim().split('\n').slice(before).map((l) => JSON.parse(l) as { confirmation: string });
      expect(added.map((l) => l.confirmation)).toEqual(['typed', 'typed']);
    } finally {
      unfill(stateHome);
    }
  });
});
