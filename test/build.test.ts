/**
 * scripts/build.mjs run twice at once (as when the demo's build overlapped a test run's), in a
 * copy of the project: dist/ is there, whole, for a command running from it the whole time,
 * and nothing of either build is left beside it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'awsguard-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const build = () =>
  new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });

describe('scripts/build.mjs', () => {
  it('two builds at once: dist/ never goes missing under a running command, and ends whole', async () => {
    for (const part of ['src', 'scripts', 'fixtures', 'package.json', 'tsconfig.json']) cpSync(part, join(root, part), { recursive: true });
    symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'));
    expect(await build()).toBe(0);
    let done = false;
    const builds = Promise.all([build(), build()]).finally(() => (done = true));
    const failures: string[] = [];
    let runs = 0;
    // What a running command reads later (the picker's chunk, the code cache) must be there at every moment.
    const files = ['awsguard.cjs', 'main.cjs', 'main.cjs.v8cache', 'hot.cjs', 'hot.cjs.v8cache', 'pick.js', 'aws-sdk.cjs', 'aws-sdk.cjs.v8cache'];
    while (!done) {
      for (const file of files) if (!existsSync(join(root, 'dist', file))) failures.push(`dist/${file} missing`);
      if (runs++ % 20 === 0) {
        const r = spawnSync(process.execPath, [join(root, 'dist/awsguard.cjs'), '--version'], { encoding: 'utf8' });
        if (r.status !== 0) failures.push(r.stderr);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await builds).toEqual([0, 0]);
    expect([...new Set(failures)]).toEqual([]);
    expect(runs).toBeGreaterThan(3);
    expect(readdirSync(root).filter((name) => name.startsWith('dist')).sort()).toEqual(['dist']);
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(['aws-sdk.cjs', 'aws-sdk.cjs.v8cache', 'awsguard.cjs', 'hot.cjs', 'hot.cjs.map', 'hot.cjs.v8cache', 'main.cjs', 'main.cjs.map', 'main.cjs.v8cache', 'pick.js', 'pick.js.map']);
    expect(spawnSync(process.execPath, [join(root, 'dist/awsguard.cjs'), 'profiles', '--names'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: root, AWS_CONFIG_FILE: join(root, 'fixtures/demo/config'), AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' } }).status).toBe(0);
  }, 120_000);
});
