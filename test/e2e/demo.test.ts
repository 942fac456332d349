/** `npm run demo` both ways: the tour without a terminal (as CI sees it) and typed through a PTY. */
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAsync } from '../support/cli.js';
import { runInPty } from '../support/pty.js';

const tsx = join(process.cwd(), 'node_modules/.bin/tsx');

describe('npm run demo', () => {
  it('prints the whole tour without a terminal, shows refusals, exits 0 and leaves HOME alone', async () => {
    const home = mkdtempSync(join(tmpdir(), 'awsguard-demo-home-'));
    const r = await runAsync(tsx, ['scripts/demo.ts'], { PATH: process.env.PATH, HOME: home, CI: 'true', NO_COLOR: '1' });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/prod-admin\s+role Admin <- role Deploy <- keys \(alice\)\s+333333333333/);
    expect(out).toContain('Logged in to acme');
    expect(out).toMatch(/no terminal to confirm on.*--confirm acme-prod/);
    expect(out).toMatch(/--confirm acme-staging does not name the account reached/);
    expect(out).toMatch(/account\s+acme-prod \(333333333333\)/);
    expect(out).toMatch(/refused: no-terminal/);
    expect(out).toContain('awsguard init zsh');
    // Commands as they would be typed: the child's script is one quoted word.
    expect(r.stdout).toContain(`$ awsguard exec -p staging-deploy --mfa-code 123456 -- sh -c 'echo "child sees AWS_ACCESS_KEY_ID=\${AWS_ACCESS_KEY_ID%%????????????} (temporary: ASIA...)"'`);
    expect(readdirSync(home)).toEqual([]);
  }, 60_000);

  it('a step that fails ends the demo with a non-zero exit, naming the step', async () => {
    const home = mkdtempSync(join(tmpdir(), 'awsguard-demo-home-'));
    // A PATH with node and nothing else: the step whose child is `sh` cannot start it.
    const path = join(home, 'path');
    mkdirSync(path);
    symlinkSync(process.execPath, join(path, 'node'));
    const r = await runAsync(process.execPath, [join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'scripts/demo.ts'], { PATH: path, HOME: home, CI: 'true', NO_COLOR: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^demo failed: step 4 \(awsguard exec -p staging-deploy .* -- sh -c .*\) exited 127; it should end with 0$/m);
    expect(r.stdout).not.toContain('awsguard audit');
  }, 60_000);

  it('in a terminal: the picker, then a wrong alias refused and the right one accepted', async () => {
    const home = mkdtempSync(join(tmpdir(), 'awsguard-demo-home-'));
    const t = runInPty(tsx, ['scripts/demo.ts'], { PATH: process.env.PATH ?? '', HOME: home, TERM: 'xterm-256color' }, 120, 40);
    await t.waitFor(/\d+ of \d+/, 30_000);
    t.write('\x1b');
    // The instructions again once the full-screen picker is gone, and what became of the choice.
    await t.waitFor(/\(the picker: type a few letters/, 15_000);
    await t.waitFor(/Nothing chosen: the demo goes on with its own profiles/, 15_000);
    await t.waitFor(/Type its alias/, 30_000);
    t.write('acme-staging\r');
    await t.waitFor(/nothing was run|refusing|not acme-prod/i, 15_000);
    const before = t.output().length;
    await waitForAfter(t, before, /Type its alias/);
    t.write('acme-prod\r');
    const { exitCode } = await t.exited;
    expect(exitCode, t.output().slice(-2000)).toBe(0);
    expect(t.output()).toMatch(/account\s+acme-prod \(333333333333\)/);
    expect(readdirSync(home)).toEqual([]);
  }, 90_000);
});

async function waitForAfter(t: ReturnType<typeof runInPty>, offset: number, pattern: RegExp): Promise<void> {
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    if (pattern.test(t.output().slice(offset))) return;
  }
  throw new Error(`timed out waiting for ${pattern} after offset ${offset}:\n${t.output().slice(-1500)}`);
}
