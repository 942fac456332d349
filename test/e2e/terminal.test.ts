/**
 * What a person sees in a real terminal: the MFA code is not echoed (the typed alias is), and at
 * 80 columns the identity line and the tables fit, one line per row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync, runCli } from '../support/cli.js';
import { runInPty } from '../support/pty.js';
import { createWorld, type World } from '../support/world.js';
import { displayWidth } from '../../src/tty/width.js';

let w: World;
beforeAll(async () => {
  const demo = (await import('node:fs')).readFileSync('fixtures/demo/config', 'utf8');
  const long = Array.from({ length: 6 }, (_, i) => `[profile payments-prod-eu-central-${i}-admin]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nsource_profile = staging-deploy\nregion = eu-central-1\n`).join('\n');
  w = await createWorld({ config: `${demo}\n${long}` });
});
afterAll(async () => w.close());

const screenOf = (raw: string) => raw.replace(/\r\n/g, '\n');
/** The screen's lines as a person reads them: without SGR codes. */
const visibleLines = (raw: string) => screenOf(raw).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split('\n');

describe('the MFA code', () => {
  // First: a cached MFA session would leave nothing to ask.
  it('Ctrl-C at the MFA prompt cancels with 130', async () => {
    const t = runInPty(process.execPath, [BIN, 'exec', '-p', 'staging-deploy', '--', 'sh', '-c', 'echo RAN'], w.env);
    await t.waitFor('MFA code for');
    t.write('12\x03');
    expect((await t.exited).exitCode).toBe(130);
    expect(t.output()).not.toContain('RAN');
  });

  it('is not shown as it is typed, and the command goes on with it', async () => {
    const t = runInPty(process.execPath, [BIN, 'exec', '-p', 'staging-deploy', '--', 'sh', '-c', 'echo RAN'], w.env);
    await t.waitFor('MFA code for arn:aws:iam::111111111111:mfa/alice: ');
    const before = t.output().length;
    t.write('123');
    t.write('456\r');
    expect((await t.exited).exitCode).toBe(0);
    const after = t.output().slice(before);
    expect(after).toContain('RAN');
    expect(after).not.toContain('123');
    expect(after).not.toContain('456');
    expect(after).not.toContain('*');
  });
});

describe('at 80 columns', () => {
  it('the identity line fits on one line and keeps the account and PROTECTED', async () => {
    const t = runInPty(process.execPath, [BIN, 'exec', '-p', 'payments-prod-eu-central-0-admin', '--mfa-code', '123456', '--', 'true'], w.env, 80, 24);
    await t.waitFor('Type its alias to continue: ');
    const line = visibleLines(t.output()).find((l) => l.startsWith('awsguard: '))!;
    expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(line).toContain('acme-prod (333333333333)');
    expect(line).toMatch(/PROTECTED$/);
    t.write('\x03');
    expect((await t.exited).exitCode).toBe(130);
  });

  it('profiles: one line per row, none wider than the terminal; piped, the whole table', async () => {
    const t = runInPty(process.execPath, [BIN, 'profiles'], w.env, 80, 40);
    expect((await t.exited).exitCode).toBe(0);
    const lines = visibleLines(t.output()).filter((l) => l !== '');
    const rows = lines.filter((l) => l.startsWith('payments-prod-eu-central-'));
    expect(rows).toHaveLength(6);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(80);
    for (const r of rows) expect(r).toMatch(/333333333333\s+eu-central-1$/);
    const piped = runCli(['profiles'], w.env);
    expect(piped.status).toBe(0);
    expect(Math.max(...piped.stdout.split('\n').map(displayWidth))).toBeGreaterThan(80);
    expect(piped.stdout).not.toContain('…');
  });

  it('audit: one line per record, none wider than the terminal; piped, the whole table', async () => {
    // Records with long names and commands, as a day's work leaves them.
    for (let i = 0; i < 3; i++) {
      const r = await runAsync(process.execPath, [BIN, 'exec', '-p', 'ci', '--', 'sh', '-c', `echo a long command line that a person ran number ${i} > /dev/null`], w.env);
      expect(r.status, r.stderr).toBe(0);
    }
    const t = runInPty(process.execPath, [BIN, 'audit'], w.env, 80, 40);
    expect((await t.exited).exitCode).toBe(0);
    const lines = visibleLines(t.output()).filter((l) => l !== '');
    expect(lines.filter((l) => /\bci\b/.test(l)).length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(80);
    const piped = runCli(['audit'], w.env);
    expect(piped.status).toBe(0);
    expect(Math.max(...piped.stdout.split('\n').map(displayWidth))).toBeGreaterThan(80);
  });
});
