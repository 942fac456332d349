/**
 * The guard at every door, tried from outside as the findings of issue 13 were: export and
 * credential_process into a protected account, the alias that could not be learned, a scope on
 * a harmlessly named profile that reaches production, a settings file others can write. The
 * real CLI against the loopback fake AWS; Debian's AWS CLI as the credential_process caller; a
 * real pseudo-terminal where a person would type.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { runInPty } from '../support/pty.js';
import { requireTool } from '../support/require-tool.js';
import { assertNoSecrets, createWorld, type World } from '../support/world.js';

const aws = requireTool('/usr/bin/aws');
const node = process.execPath;
const exportLine = (profile: string, extra = '') => `${node} ${BIN} export -p ${profile} --format credential-process${extra}`;

const CONFIG = `${readFileSync('fixtures/demo/config', 'utf8')}
# A harmless name that reaches production.
[profile tools]
role_arn = arn:aws:iam::333333333333:role/ReadOnly
source_profile = alice
region = eu-west-1

[profile staging-ro]
role_arn = arn:aws:iam::222222222222:role/ReadOnly
source_profile = alice
region = eu-west-1

[profile via-export]
credential_process = ${exportLine('prod-readonly')}
region = eu-west-1

[profile via-export-confirmed]
credential_process = ${exportLine('prod-readonly', ' --confirm acme-prod')}
region = eu-west-1
`;

let w: World;
let env: Record<string, string>;
beforeAll(async () => {
  w = await createWorld({ config: CONFIG });
  env = { ...w.env, AWS_DATA_PATH: w.fake.botocoreDataPath(), AWS_PAGER: '' };
  // One MFA session for alice serves every role behind her for hours: later calls ask nothing.
  const r = await awsguard(['exec', '-p', 'staging-deploy', '--mfa-code', '123456', '--', 'true']);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(async () => w.close());
beforeEach(() => w.fake.clearFaults());

function awsguard(args: string[], extra: Record<string, string> = {}) {
  return runAsync(node, [BIN, ...args], { ...env, ...extra });
}

const auditPath = () => join(w.home, '.local', 'state', 'awsguard', 'audit.jsonl');
const audit = () =>
  readFileSync(auditPath(), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown> & { argv: string[] });

describe('export passes the same guard as exec', () => {
  it('refuses a protected account without a terminal, prints no credentials, and records the refusal', async () => {
    for (const format of ['env', 'json', 'credential-process', 'fish']) {
      const r = await awsguard(['export', '-p', 'prod-readonly', '--format', format]);
      expect(r.status, r.stderr).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/acme-prod is a protected account and there is no terminal.*--confirm acme-prod/);
    }
    const refused = audit().filter((l) => l.argv[0] === 'export' && l.refused === 'no-terminal');
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused[0]).toMatchObject({ account_id: '333333333333', account_alias: 'acme-prod', protected: true });
  });

  it('hands out a protected account with --confirm naming it, and records it', async () => {
    const before = audit().length;
    const r = await awsguard(['export', '-p', 'prod-readonly', '--format', 'json', '--confirm', 'acme-prod']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(r.stderr).toMatch(/prod-readonly → acme-prod \(333333333333\).*PROTECTED/);
    const added = audit().slice(before);
    expect(added).toEqual([expect.objectContaining({ argv: expect.arrayContaining(['export']), confirmation: 'flag', exit_code: 0, account_alias: 'acme-prod' })]);
    const wrong = await awsguard(['export', '-p', 'prod-readonly', '--confirm', 'acme-staging']);
    expect(wrong.status).toBe(5);
    expect(wrong.stdout).toBe('');
    assertNoSecrets(readFileSync(auditPath(), 'utf8'), w.secrets());
  });

  it('an unprotected export says nothing on stderr and writes no audit record', async () => {
    const before = audit().length;
    const r = await awsguard(['export', '-p', 'staging-deploy']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/export AWS_ACCESS_KEY_ID='ASIA/);
    expect(r.stderr).toBe('');
    expect(audit().length).toBe(before);
  });

  it('inside an exec child, export to another account needs --nest, like exec', async () => {
    const inner = `'${node}' '${BIN}' export -p staging-deploy`;
    const r = await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', inner]);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/inside an awsguard session; pass --nest/);
    expect(r.stdout).not.toMatch(/AWS_ACCESS_KEY_ID/);
    const nested = await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', `${inner} --nest`]);
    expect(nested.status, nested.stderr).toBe(0);
  });

  it('refuses a nested account before asking for an MFA code', async () => {
    // No cached MFA session for this chain and no --mfa-code: the refusal must come first.
    const r = await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', `'${node}' '${BIN}' exec -p prod-admin --refresh -- true`]);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/its config points|inside an awsguard session/);
    expect(r.stderr).not.toMatch(/MFA/);
  });
});

describe.skipIf(aws.skip)('credential_process = awsguard export, called by the AWS CLI', () => {
  it('without a terminal, the AWS CLI gets nothing for a protected account', async () => {
    aws.assert();
    const r = await runAsync('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', 'via-export'], env);
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain('333333333333');
  });

  it('a --confirm written in the credential_process line is the one way without a terminal, and doctor lists it', async () => {
    aws.assert();
    const r = await runAsync('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', 'via-export-confirmed', '--output', 'json'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ Account: '333333333333' });
    const doctor = await awsguard(['doctor', '--json']);
    const { checks } = JSON.parse(doctor.stdout) as { checks: Array<{ check: string; status: string; detail: string }> };
    const pre = checks.find((c) => c.check === 'pre-confirmed');
    expect(pre?.status).toBe('warn');
    expect(pre?.detail).toMatch(/via-export-confirmed: .*--confirm acme-prod/);
    expect(pre?.detail).not.toMatch(/via-export:/);
  });

  it('asks on the terminal the AWS CLI runs in, and a typed confirmation holds for the next calls there', async () => {
    aws.assert();
    const before = audit().length;
    const calls = `/usr/bin/aws sts get-caller-identity --profile via-export --output text --query Account; /usr/bin/aws sts get-caller-identity --profile via-export --output text --query Account; echo DONE`;
    const t = runInPty('/bin/sh', ['-c', calls], env);
    await t.waitFor(/Type its alias/);
    t.write('acme-prod\r');
    await t.waitFor('DONE');
    await t.exited;
    const screen = t.output();
    expect(screen.match(/Type its alias/g)?.length).toBe(1);
    expect(screen.match(/^333333333333\r?$/gm)?.length).toBe(2);
    const added = audit().slice(before).filter((l) => l.argv[0] === 'export');
    expect(added.map((l) => l.confirmation)).toEqual(['typed', 'window']);
  });

  it('with confirm_window = 0 it asks every time; in another terminal session it asks again', async () => {
    aws.assert();
    const settings = join(w.home, 'window0.ini');
    writeFileSync(settings, '[protect]\nconfirm_window = 0\n', { mode: 0o600 });
    const calls = `/usr/bin/aws sts get-caller-identity --profile via-export --output text --query Account; /usr/bin/aws sts get-caller-identity --profile via-export --output text --query Account; echo DONE`;
    const t = runInPty('/bin/sh', ['-c', calls], { ...env, AWSGUARD_CONFIG: settings });
    await t.waitFor(/Type its alias/);
    t.write('acme-prod\r');
    await t.waitFor(/Type its alias[\s\S]*Type its alias/);
    t.write('acme-prod\r');
    await t.waitFor('DONE');
    await t.exited;
    // A new pseudo-terminal is a new session: the window of the test above does not hold here.
    const other = runInPty('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', 'via-export', '--output', 'text', '--query', 'Account'], env);
    await other.waitFor(/Type its alias/);
    other.write('acme-staging\r');
    expect((await other.exited).exitCode).not.toBe(0);
    expect(other.output()).toMatch(/typed "acme-staging", which is not acme-prod/);
    expect(other.output()).not.toMatch(/^333333333333\r?$/m);
  });
});

describe('protection fails closed', () => {
  it('a scope that may not list aliases on a harmless name still finds production', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const r = await awsguard(['exec', '-p', 'tools', '--policy', policy, '--', 'true']);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/tools → acme-prod \(333333333333\).*scoped.*PROTECTED/);
    expect(r.stderr).toMatch(/--confirm acme-prod/);
  });

  it('an IAM that fails (throttled, down) makes the account protected, says why and how to settle it, and is asked again next time', async () => {
    // A role session not seen before, and no alias kept for its account: IAM must be asked.
    rmSync(join(w.cacheDir, 'aliases.json'), { force: true });
    w.fake.failNext('ListAccountAliases', { status: 400, code: 'Throttling', message: 'Rate exceeded' }, 20);
    const r = await awsguard(['exec', '-p', 'staging-ro', '--', 'echo', 'RAN']);
    expect(r.status).toBe(5);
    expect(r.stdout).not.toContain('RAN');
    expect(r.stderr).toMatch(/staging-ro → 222222222222 .*PROTECTED/);
    expect(r.stderr).toMatch(/alias of 222222222222 is unknown \(Throttling from iam:ListAccountAliases\).*\[aliases\] 222222222222 = ALIAS/);
    expect(r.stderr).toMatch(/--confirm 222222222222/);
    w.fake.clearFaults();
    // Nothing of the failure was kept: with IAM back, the alias is learned and the account is not protected.
    const again = await awsguard(['exec', '-p', 'staging-ro', '--', 'echo', 'RAN']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/staging-ro → acme-staging \(222222222222\)/);
    expect(again.stderr).not.toMatch(/PROTECTED/);
  });

  it('a role that may not list aliases is protected until the settings name the account or mark it unprotected', async () => {
    const r = await awsguard(['exec', '-p', 'sandbox', '--', 'true']);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/AccessDenied from iam:ListAccountAliases/);
    const named = join(w.home, 'named.ini');
    writeFileSync(named, '[aliases]\n555555555555 = acme-sandbox\n', { mode: 0o600 });
    expect((await awsguard(['exec', '-p', 'sandbox', '--', 'true'], { AWSGUARD_CONFIG: named })).status).toBe(0);
    const marked = join(w.home, 'marked.ini');
    writeFileSync(marked, '[protect]\nunprotected = 555555555555\n', { mode: 0o600 });
    expect((await awsguard(['exec', '-p', 'sandbox', '--', 'true'], { AWSGUARD_CONFIG: marked })).status).toBe(0);
  });
});

describe('the settings file is trusted only when nobody else can write it', () => {
  const dir = () => {
    const d = join(w.home, 'settings-dir');
    mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  };

  it('refuses a world-writable settings file, with the fix, and doctor reports it', async () => {
    const file = join(dir(), 'loose.ini');
    writeFileSync(file, '[protect]\npatterns =\n');
    chmodSync(file, 0o666);
    const r = await awsguard(['exec', '-p', 'prod-readonly', '--', 'echo', 'RAN'], { AWSGUARD_CONFIG: file });
    expect(r.status).toBe(3);
    expect(r.stdout).not.toContain('RAN');
    expect(r.stderr).toMatch(/refusing to use the awsguard settings: others can write .*loose\.ini \(mode 0666\).*chmod go-w/);
    const doctor = await awsguard(['doctor', '--json'], { AWSGUARD_CONFIG: file });
    const { checks } = JSON.parse(doctor.stdout) as { checks: Array<{ check: string; status: string; detail: string }> };
    expect(checks.find((c) => c.check === 'settings')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/others can write/) });
  });

  it('refuses a symbolic link to a file others can write, and one into a directory others can write', async () => {
    const target = join(dir(), 'target.ini');
    writeFileSync(target, '[protect]\npatterns =\n');
    chmodSync(target, 0o646);
    const link = join(dir(), 'link.ini');
    symlinkSync(target, link);
    const r = await awsguard(['exec', '-p', 'prod-readonly', '--', 'true'], { AWSGUARD_CONFIG: link });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/a link to .*target\.ini/);
    const open = join(w.home, 'open-dir');
    mkdirSync(open);
    chmodSync(open, 0o777);
    writeFileSync(join(open, 'config.ini'), '[protect]\npatterns =\n', { mode: 0o600 });
    const d = await awsguard(['exec', '-p', 'prod-readonly', '--', 'true'], { AWSGUARD_CONFIG: join(open, 'config.ini') });
    expect(d.status).toBe(3);
    expect(d.stderr).toMatch(/others can write its directory/);
  });
});
