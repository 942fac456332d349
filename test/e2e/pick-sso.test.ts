/**
 * The picker with the SSO portal's accounts and roles (`pick --sso`, Ctrl-S), in a real
 * pseudo-terminal against the fake portal: an account and role with no profile is chosen,
 * printed as an ephemeral profile, and then used by other commands without any profile written.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { ready, startPicker } from '../support/picker-pty.js';
import { createWorld, type World } from '../support/world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => w.close());

const awsguard = (...args: string[]) => runAsync(process.execPath, [BIN, ...args], w.env);
/** The demo has 12 profiles; the portal offers 15 accounts and roles, 4 of them reached by SSO profiles. */
const PROFILES = 12;
const WITH_PORTAL = PROFILES + 11;

describe('awsguard pick with the SSO portal', () => {
  it('without a login, --sso says how to log in and takes over no screen', async () => {
    const p = startPicker({ dir: w.home, env: w.env }, ['--sso']);
    const { stdout, code } = await p.result();
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(p.screen.lines().join('')).toContain('run: awsguard login --sso-session acme');
  });

  it('--sso lists the portal, and an account and role without a profile is chosen as an ephemeral profile', async () => {
    w.ssoLogin();
    // 130 columns: the whole row, source included (at 100 the name, account and role come first).
    const p = startPicker({ dir: w.home, env: w.env }, ['--sso', '--json'], 130);
    await p.until(ready(WITH_PORTAL), `${WITH_PORTAL} rows`);
    // Reached by the profile acme-dev: listed once, as the profile.
    expect(p.screen.text()).not.toContain('sso:acme/111111111111/AdministratorAccess');
    p.pty.write('sandbox adm');
    await p.until((lines) => /^> +sso:acme\/555\S* acme-sandbox 555555555555 +AdministratorAccess +portal$/.test(lines[1] ?? ''), 'the portal row first');
    p.pty.write('\r');
    const { stdout, code } = await p.result();
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      profile: 'sso:acme/555555555555/AdministratorAccess',
      account_id: '555555555555',
      account_alias: 'acme-sandbox',
      role: 'AdministratorAccess',
      region: null,
      source: 'sso',
      ephemeral: true,
    });
    // Nothing was written for it: the person's config is as it was, and there is no synced file.
    expect(readFileSync(w.env.AWS_CONFIG_FILE!, 'utf8')).toBe(readFileSync('fixtures/demo/config', 'utf8'));

    const who = await awsguard('whoami', '-p', 'sso:acme/555555555555/AdministratorAccess', '--json');
    expect(who.status, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ account_id: '555555555555', arn: expect.stringContaining('AWSReservedSSO_AdministratorAccess') });
  });

  it('Ctrl-S adds the portal (from its cache) and takes it away again', async () => {
    const calls = w.fake.calls('ListAccounts');
    const p = startPicker({ dir: w.home, env: w.env });
    await p.until(ready(PROFILES), `${PROFILES} rows`);
    p.pty.write('\x13');
    await p.until(ready(WITH_PORTAL), `${WITH_PORTAL} rows after Ctrl-S`);
    expect(w.fake.calls('ListAccounts')).toBe(calls);
    p.pty.write('\x13');
    await p.until(ready(PROFILES), 'the profiles alone again');
    p.pty.write('\x1b');
    expect((await p.result()).code).toBe(130);
  });

  it('use --sso opens the picker with the portal, and takes the chosen ephemeral profile into the shell', async () => {
    const p = startPicker({ dir: w.home, env: w.env }, ['--shell', 'bash', '--sso'], 100, 30, 'use');
    await p.until(ready(WITH_PORTAL), `${WITH_PORTAL} rows`);
    p.pty.write('logging');
    await p.until((lines) => /^> +sso:acme\/777/.test(lines[1] ?? ''), 'acme-logging first');
    p.pty.write('\r');
    const { stdout, code } = await p.result();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^export AWSGUARD_PROFILE='sso:acme\/777777777777\/ReadOnlyAccess'$/m);
    expect(stdout).toMatch(/^export AWS_SESSION_TOKEN=/m);
    expect((await awsguard('use', '--sso', 'acme-dev')).status).toBe(2);
  });

  it('an ephemeral profile with a session that does not exist is a config error with a suggestion', async () => {
    const r = await awsguard('whoami', '-p', 'sso:acm/555555555555/AdministratorAccess');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('did you mean acme?');
  });
});
