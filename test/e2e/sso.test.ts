/** `awsguard sso accounts` and `sso sync` against the fake portal. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { createWorld, type World } from '../support/world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld();
  w.ssoLogin();
});
afterAll(async () => w.close());
const awsguard = (...args: string[]) => runAsync(process.execPath, [BIN, ...args], w.env);

describe('awsguard sso', () => {
  it('lists every account and role the portal gives, and caches the listing', async () => {
    const r = await awsguard('sso', 'accounts', '--json');
    expect(r.status, r.stderr).toBe(0);
    const accounts = JSON.parse(r.stdout) as Array<{ account_id: string; account_name: string; roles: string[] }>;
    expect(accounts).toHaveLength(12);
    expect(accounts.find((a) => a.account_id === '111111111111')?.roles).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
    expect(accounts.find((a) => a.account_id === '333333333333')?.roles).toEqual(['ReadOnlyAccess']);
    const calls = w.fake.calls('ListAccounts');
    expect((await awsguard('sso', 'accounts')).stdout).toMatch(/333333333333\s+acme-prod\s+ReadOnlyAccess/);
    expect(w.fake.calls('ListAccounts')).toBe(calls);
  });

  it('sync writes profiles into awsguard\'s own file, which the other commands then use', async () => {
    const config = readFileSync(w.env.AWS_CONFIG_FILE!, 'utf8');
    const r = await awsguard('sso', 'sync', '--region', 'eu-west-1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote 15 profiles to .*sso-profiles/);
    const file = join(w.env.XDG_CONFIG_HOME!, 'awsguard', 'sso-profiles');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(w.env.AWS_CONFIG_FILE!, 'utf8')).toBe(config);
    const names = (await awsguard('profiles', '--names')).stdout.split('\n');
    expect(names).toContain('acme-prod.ReadOnlyAccess');
    expect(names).toContain('acme-dev'); // the person's own profiles are still there
    const who = await awsguard('whoami', '-p', 'acme-sandbox.AdministratorAccess', '--json');
    expect(who.status, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ account_id: '555555555555' });
  });

  it('asks which session when the name is wrong', async () => {
    const r = await awsguard('sso', 'accounts', '--sso-session', 'acm');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('did you mean acme?');
  });
});
