/** export, whoami, login and logout as a person or a script runs them, against the fake AWS. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { requireTool } from '../support/require-tool.js';
import { assertNoSecrets, createWorld, type World } from '../support/world.js';

let w: World;
let env: Record<string, string>;
beforeAll(async () => {
  w = await createWorld({ autoApprove: 1 });
  env = { ...w.env, AWS_DATA_PATH: w.fake.botocoreDataPath() };
});
afterAll(async () => w.close());

function awsguard(args: string[], extra: Record<string, string> = {}, input = '') {
  return runAsync(process.execPath, [BIN, ...args], { ...env, ...extra }, input);
}
const aws = requireTool('/usr/bin/aws');

describe('export', () => {
  it('prints the credential_process JSON the SDKs accept, short-lived only', async () => {
    const r = await awsguard(['export', '-p', 'ci', '--format', 'credential-process']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, string>;
    expect(j.Version).toBe(1);
    expect(j.AccessKeyId).toMatch(/^ASIA/);
    expect(new Date(j.Expiration!).getTime()).toBeGreaterThan(Date.now());
  });

  it('prints sh export lines that a shell can eval', async () => {
    const r = await awsguard(['export', '-p', 'ci']);
    const sh = spawnSync('sh', ['-c', `eval "$1"; echo "$AWS_ACCESS_KEY_ID $AWS_REGION"`, 'sh', r.stdout], { encoding: 'utf8' });
    expect(sh.stdout).toMatch(/^ASIA\S+ us-east-1\n$/);
  });

  it.skipIf(aws.skip)(aws.label('serves the AWS CLI as a credential_process'), async () => {
    aws.assert();
    const cfg = join(w.home, 'cli-config');
    writeFileSync(cfg, `[profile via-awsguard]\ncredential_process = env AWS_CONFIG_FILE='${env.AWS_CONFIG_FILE}' '${process.execPath}' '${BIN}' export -p staging-deploy --mfa-code 123456 --format credential-process\nregion = us-east-1\n`);
    const r = await runAsync('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', 'via-awsguard', '--output', 'json'], { ...env, AWS_CONFIG_FILE: cfg });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).Arn).toBe('arn:aws:sts::222222222222:assumed-role/Deploy/awsguard-tester');
  });

  it('makes one STS call for ten parallel processes', async () => {
    w.fake.reset();
    await awsguard(['logout', '-p', 'staging-deploy']);
    const again = await Promise.all(
      Array.from({ length: 10 }, () =>
        new Promise<number | null>((resolve) => spawn(process.execPath, [BIN, 'export', '-p', 'staging-deploy', '--mfa-code', '123456'], { env, stdio: 'ignore' }).on('close', resolve)),
      ),
    );
    expect(again.every((c) => c === 0)).toBe(true);
    expect(w.fake.calls('AssumeRole')).toBe(1);
  });
});

describe('whoami', () => {
  it('prints the account, alias and ARN as JSON', async () => {
    const r = await awsguard(['whoami', '-p', 'staging-deploy', '--mfa-code', '123456', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ profile: 'staging-deploy', account_id: '222222222222', account_alias: 'acme-staging', principal: 'Deploy' });
  });

  it("takes the region from awsguard's settings when the profile and environment name none", async () => {
    const settings = join(w.home, 'settings.ini');
    writeFileSync(settings, '[defaults]\nregion = ap-southeast-2\n');
    writeFileSync(w.env.AWS_CONFIG_FILE!, readFileSync(w.env.AWS_CONFIG_FILE!, 'utf8') + '\n[profile bare]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = ci\n');
    const region = async (profile: string, extra: Record<string, string>) => {
      const r = await awsguard(['export', '-p', profile, '--format', 'json'], extra);
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { Region?: string }).Region;
    };
    expect(await region('bare', {})).toBeUndefined();
    expect(await region('bare', { AWSGUARD_CONFIG: settings })).toBe('ap-southeast-2');
    expect(await region('bare', { AWSGUARD_CONFIG: settings, AWS_REGION: 'sa-east-1' })).toBe('sa-east-1');
    // The profile's own region still wins.
    expect(await region('ci', { AWSGUARD_CONFIG: settings })).toBe('us-east-1');
  });

  it('suggests the profile that was meant', async () => {
    const r = await awsguard(['whoami', '-p', 'staging-deplyo']);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('awsguard: profile "staging-deplyo" not found (did you mean staging-deploy?)\n');
  });
});

describe('login and logout', () => {
  it('logs in with the device flow and writes the AWS CLI token cache that both tools use', async () => {
    const r = await awsguard(['login', '--sso-session', 'acme', '--no-browser']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/open this page and check that it shows the code [A-Z0-9-]+/);
    expect(r.stderr).toMatch(/Logged in to acme/);
    assertNoSecrets(r.stdout + r.stderr, w.secrets());
    expect((await awsguard(['whoami', '-p', 'acme-dev', '--json'])).status).toBe(0);
    if (!aws.skip) {
      const cli = await runAsync('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', 'acme-staging', '--output', 'json'], env);
      expect(cli.status, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout).Account).toBe('222222222222');
    }
  });

  it('forgets sessions, and SSO tokens with --sso', async () => {
    expect((await awsguard(['export', '-p', 'ci'])).status).toBe(0);
    const out = await awsguard(['logout', '--all', '--sso']);
    expect(out.status).toBe(0);
    expect(out.stderr).toMatch(/Removed \d+ cached sessions? and 1 SSO token/);
    const sso = join(w.home, '.aws', 'sso', 'cache');
    expect(existsSync(sso) ? readdirSync(sso).filter((f) => f.endsWith('.json')).length : 0).toBeLessThanOrEqual(1);
    expect((await awsguard(['whoami', '-p', 'acme-dev'])).stderr).toContain('run: awsguard login --sso-session acme');
  });
});
