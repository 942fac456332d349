import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { runInPty } from '../support/pty.js';
import { createWorld, type World } from '../support/world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => w.close());

interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}
const doctor = async (extra: Record<string, string> = {}) => {
  const r = await runAsync(process.execPath, [BIN, 'doctor', '--json'], { ...w.env, ...extra });
  return { status: r.status, report: JSON.parse(r.stdout) as { ok: boolean; checks: Check[] } };
};
const find = (checks: Check[], name: string) => checks.find((c) => c.check === name);

describe('awsguard doctor', () => {
  it('reports a healthy setup: the protected accounts, SSO status, the shell and the clock', async () => {
    w.ssoLogin();
    const { status, report } = await doctor({ AWSGUARD_SHELL: 'zsh' });
    expect(status).toBe(0);
    expect(report.ok).toBe(true);
    expect(find(report.checks, 'config files')?.status).toBe('ok');
    expect(find(report.checks, 'profile chains')?.status).toBe('ok');
    expect(find(report.checks, 'protection')?.detail).toMatch(/333333333333: .*prod-admin/);
    expect(find(report.checks, 'sso acme')?.detail).toMatch(/logged in/);
    expect(find(report.checks, 'shell integration')?.status).toBe('ok');
    expect(find(report.checks, 'clock')?.status).toBe('ok');
  });

  it('sees clock skew in the Date header of STS', async () => {
    // A fake AWS whose clock runs ten minutes ahead of this machine's.
    const skewed = await createWorld({ now: Date.now() + 600_000 });
    try {
      const r = await runAsync(process.execPath, [BIN, 'doctor', '--json'], skewed.env);
      expect(r.status).toBe(1);
      const clock = find((JSON.parse(r.stdout) as { checks: Check[] }).checks, 'clock');
      expect(clock).toMatchObject({ status: 'fail', detail: expect.stringMatching(/clock is (59\d|60\d)s behind AWS/), fix: expect.stringContaining('NTP') });
    } finally {
      await skewed.close();
    }
  });

  it('a Date header that cannot be read: the clock is not measured, a warning, never "ok NaNs"', async () => {
    const server = createServer((_req, res) => {
      res.sendDate = false;
      res.writeHead(403, { Date: 'the day after tomorrow' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const { report } = await doctor({ AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` });
      expect(find(report.checks, 'clock')).toEqual({ check: 'clock', status: 'warn', detail: `not measured: http://127.0.0.1:${port} sent a Date header that cannot be read ("the day after tomorrow")` });
    } finally {
      server.close();
    }
  });

  it('shell integration: from a script it says which shell it looked at, no warning; at a terminal it warns', async () => {
    // `; true`: bash runs doctor as its child rather than exec'ing it.
    const script = await runAsync('/usr/bin/bash', ['-c', `"${process.execPath}" "${BIN}" doctor --json; true`], w.env);
    const scripted = find((JSON.parse(script.stdout) as { checks: Check[] }).checks, 'shell integration');
    expect(scripted).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^not checked: bash \(pid \d+\) ran doctor without a terminal/) });
    const p = runInPty('/usr/bin/bash', ['-c', `"${process.execPath}" "${BIN}" doctor; true`], w.env, 200);
    await p.exited;
    expect(p.output()).toMatch(/warn +shell integration: not loaded in bash \(pid \d+\)/);
  });

  it('fails on a broken chain and an unsafe cache directory, with fixes', async () => {
    writeFileSync(w.env.AWS_CONFIG_FILE!, '[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n');
    mkdirSync(w.cacheDir, { recursive: true });
    chmodSync(w.cacheDir, 0o755);
    const { status, report } = await doctor();
    expect(status).toBe(1);
    expect(find(report.checks, 'profile chains')).toMatchObject({ status: 'fail', detail: expect.stringContaining('source_profile cycle') });
    expect(find(report.checks, 'cache directory')).toMatchObject({ status: 'fail', fix: `chmod 700 ${join('~', '.cache', 'awsguard')}` });
    // Without a terminal (as here) the shell integration is not looked for: see above.
    expect(find(report.checks, 'shell integration')?.status).toBe('ok');
  });
});
