import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
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

  it('fails on a broken chain and an unsafe cache directory, with fixes', async () => {
    writeFileSync(w.env.AWS_CONFIG_FILE!, '[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n');
    mkdirSync(w.cacheDir, { recursive: true });
    chmodSync(w.cacheDir, 0o755);
    const { status, report } = await doctor();
    expect(status).toBe(1);
    expect(find(report.checks, 'profile chains')).toMatchObject({ status: 'fail', detail: expect.stringContaining('source_profile cycle') });
    expect(find(report.checks, 'cache directory')).toMatchObject({ status: 'fail', fix: `chmod 700 ${join('~', '.cache', 'awsguard')}` });
    expect(find(report.checks, 'shell integration')?.status).toBe('warn');
  });
});
