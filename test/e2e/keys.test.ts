/**
 * `awsguard keys` against a real Secret Service (gnome-keyring on a private D-Bus, started here)
 * and the encrypted file, with the AWS CLI and boto3 reading the rewritten credentials file.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { hasPython, requireTool } from '../support/require-tool.js';
import { startSecretService, type SecretService } from '../support/secret-service.js';
import { runInPty } from '../support/pty.js';
import { fakeSecret } from '../support/fake-aws/index.js';
import { createWorld, type World } from '../support/world.js';

const keyring = requireTool('/usr/bin/gnome-keyring-daemon');
const aws = requireTool('/usr/bin/aws');
const secretTool = requireTool('/usr/bin/secret-tool');

/** Every file under `dir` that holds `needle` (bytes), by path relative to it. */
function filesHolding(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && readFileSync(p).includes(Buffer.from(needle))) found.push(p.slice(dir.length + 1));
    }
  };
  walk(dir);
  return found;
}

/** What botocore makes of the config and credentials files: every profile's settings. */
function botocoreProfiles(env: Record<string, string>): Record<string, Record<string, string>> {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import json, botocore.session; print(json.dumps(botocore.session.Session().full_config["profiles"], sort_keys=True))'], {
    env: { PATH: '/usr/bin:/bin', HOME: env.HOME, AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, Record<string, string>>;
}

/** `awsguard` on PATH, as the credential_process line names it. */
function binDir(home: string): string {
  const dir = join(home, 'bin');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'awsguard'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(dir, 'awsguard'), 0o755);
  return dir;
}

const CREDENTIALS = [
  '# my keys; keep this comment',
  '[alice]',
  'aws_access_key_id = AKIAFAKEALICE0000001',
  `aws_secret_access_key = ${fakeSecret('alice')}`,
  '',
  '; the pipeline user',
  '[ci]',
  'region = us-east-1',
  `AWS_Secret_Access_Key=${fakeSecret('ci-bot')}`,
  'aws_access_key_id   =   AKIAFAKECIBOT0000001\r',
  'output = json',
  '',
].join('\n');

const ROLE_ON_TOP = '\n[profile ci-deploy]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = ci\nregion = us-east-1\n';

describe.skipIf(keyring.skip)(keyring.label('keys in the Secret Service (gnome-keyring)'), () => {
  let w: World;
  let ss: SecretService;
  let env: Record<string, string>;
  const awsguard = (args: string[], extra: Record<string, string> = {}) => runAsync(process.execPath, [BIN, ...args], { ...env, ...extra });

  beforeAll(async () => {
    keyring.assert();
    w = await createWorld({ credentials: CREDENTIALS });
    writeFileSync(w.env.AWS_CONFIG_FILE!, readFileSync(w.env.AWS_CONFIG_FILE!, 'utf8') + ROLE_ON_TOP);
    ss = await startSecretService(w.home);
    env = { ...w.env, ...ss.env, PATH: `${binDir(w.home)}:${w.env.PATH}`, AWS_DATA_PATH: w.fake.botocoreDataPath() };
  }, 30_000);
  afterAll(async () => {
    await ss?.close();
    await w?.close();
  });

  it('imports keys: the file keeps every other byte, botocore reads it the same, the secret is only in the keyring', async () => {
    const before = readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8');
    const botocoreBefore = botocoreProfiles(env);
    const r = await awsguard(['keys', 'import', 'ci']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('moved AKIAFAKECIBOT0000001 of profile ci into the Secret Service');
    expect(r.stdout + r.stderr).not.toContain(fakeSecret('ci-bot'));
    const after = readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8');
    expect(after).toBe(before.replace(`AWS_Secret_Access_Key=${fakeSecret('ci-bot')}\naws_access_key_id   =   AKIAFAKECIBOT0000001\r\n`, 'credential_process = awsguard export -p ci --format credential-process\n'));
    const botocoreAfter = botocoreProfiles(env);
    const { aws_access_key_id: _id, aws_secret_access_key: _secret, ...ciRest } = botocoreBefore.ci!;
    expect(botocoreAfter).toEqual({ ...botocoreBefore, ci: { ...ciRest, credential_process: 'awsguard export -p ci --format credential-process' } });
    // No byte of the secret is left anywhere under HOME (the keyring file is encrypted).
    expect(filesHolding(w.home, fakeSecret('ci-bot'))).toEqual([]);
    expect(filesHolding(w.home, fakeSecret('alice')).map((p) => p.replace(/^\.aws\//, ''))).toEqual(['credentials']);
    // ...and it is in the Secret Service, under awsguard's service and the profile's name.
    if (!secretTool.skip) {
      const st = spawnSync('secret-tool', ['lookup', 'service', 'awsguard', 'username', 'ci'], { env: { ...env }, encoding: 'utf8' });
      expect(st.status, st.stderr).toBe(0);
      expect(JSON.parse(st.stdout)).toMatchObject({ version: 1, accessKeyId: 'AKIAFAKECIBOT0000001', secretAccessKey: fakeSecret('ci-bot') });
    }
  });

  it.skipIf(aws.skip)(aws.label('the AWS CLI works through the new line and gets a session'), async () => {
    aws.assert();
    w.fake.reset();
    const r = await runAsync('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', 'ci', '--output', 'json'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).Arn).toBe('arn:aws:iam::111111111111:user/ci-bot');
    const calls = w.fake.requests.filter((q) => q.action === 'GetCallerIdentity');
    // awsguard's own look at the session and the CLI's call: both signed with a session, never the key.
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.map((c) => c.accessKeyId?.slice(0, 4))).toEqual(calls.map(() => 'ASIA'));
  });

  it.skipIf(!hasPython('boto3'))('boto3 gets ASIA credentials through it too', async () => {
    const py = 'import boto3; s = boto3.Session(profile_name="ci"); c = s.get_credentials().get_frozen_credentials(); print(c.access_key[:4], bool(c.token), s.client("sts").get_caller_identity()["Arn"])';
    const r = await runAsync('/usr/bin/python3', ['-c', py], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('ASIA True arn:aws:iam::111111111111:user/ci-bot');
  });

  it.skipIf(aws.skip)(aws.label('the line goes through the guard: a protected account still needs its confirmation'), async () => {
    w.fake.seed.users.push({ account: '111111111111', name: 'ops', userId: 'AIDAFAKEOPS000000001', accessKeys: [{ accessKeyId: 'AKIAFAKEOPS000000001', secretAccessKey: fakeSecret('ops') }] });
    const file = env.AWS_SHARED_CREDENTIALS_FILE!;
    writeFileSync(file, readFileSync(file, 'utf8') + `\n[prod-ops]\naws_access_key_id = AKIAFAKEOPS000000001\naws_secret_access_key = ${fakeSecret('ops')}\n`);
    expect((await awsguard(['keys', 'import', 'prod-ops'])).status).toBe(0);
    // "prod" in the profile name protects it; without a terminal only --confirm would let it through.
    const r = await runAsync('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', 'prod-ops'], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("acme-dev is a protected account and there is no terminal to confirm on");
    expect(r.stdout).toBe('');
  });

  it('exec of a role on top of the imported profile works, and a cache hit never opens the store', async () => {
    const r = await awsguard(['exec', '-p', 'ci-deploy', '--', 'sh', '-c', 'echo "$AWS_ACCESS_KEY_ID"']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ASIA/);
    // A hook that records every load of the keychain library; the bus made unreachable too.
    const hook = join(w.home, 'hook.cjs');
    const log = join(w.home, 'loads.log');
    writeFileSync(hook, `const M = require('module'); const o = M._load; M._load = function (r, ...a) { if (String(r).includes('keyring')) require('fs').appendFileSync(${JSON.stringify(log)}, r + '\\n'); return o.call(this, r, ...a); };\n`);
    const again = await awsguard(['exec', '-p', 'ci-deploy', '--', 'true'], { NODE_OPTIONS: `--require ${hook}`, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' });
    expect(again.status, again.stderr).toBe(0);
    expect(() => readFileSync(log, 'utf8')).toThrow();
    // A miss (the cache forgotten) does load it, and reads the key.
    await awsguard(['logout', '--all']);
    const miss = await awsguard(['export', '-p', 'ci'], { NODE_OPTIONS: `--require ${hook}` });
    expect(miss.status, miss.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('@napi-rs/keyring');
  });

  it('lists keys with their age and last use from IAM', async () => {
    const r = await awsguard(['keys', 'list', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const [ci] = JSON.parse(r.stdout) as Array<Record<string, string | null>>;
    expect(ci).toMatchObject({ name: 'ci', access_key_id: 'AKIAFAKECIBOT0000001', backend: 'keychain', status: 'Active', last_service: 'sts', iam_error: null });
    expect(Date.parse(ci!.last_used!)).toBeGreaterThan(Date.now() - 60_000);
    const table = await awsguard(['keys', 'list']);
    expect(table.stdout).toMatch(/^NAME +KEY ID +BACKEND +AGE +LAST USED/);
    // The listing just before was itself a use of the key, through IAM.
    expect(table.stdout).toMatch(/ci +AKIAFAKECIBOT0000001 +keychain +0d +0d ago \(iam\)/);
  });

  it('add refuses temporary keys and keys STS does not accept, and never prints the secret', async () => {
    const temp = await awsguard(['keys', 'add', 'other', '--from-env'], { AWS_ACCESS_KEY_ID: 'ASIAFAKE000000000001', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) });
    expect(temp.status).toBe(2);
    expect(temp.stderr).toContain('temporary');
    const bad = await awsguard(['keys', 'add', 'other', '--from-env'], { AWS_ACCESS_KEY_ID: 'AKIAFAKENOBODY000001', AWS_SECRET_ACCESS_KEY: 'wrong-secret-wrong-secret-wrong-secret00' });
    expect(bad.status).toBe(4);
    expect(bad.stderr).toContain('InvalidClientTokenId');
    expect(bad.stderr).not.toContain('wrong-secret');
    const noTerminal = await awsguard(['keys', 'add', 'other']);
    expect(noTerminal.status).toBe(6);
    const list = JSON.parse((await awsguard(['keys', 'list', '--json'])).stdout) as Array<{ name: string }>;
    expect(list.map((k) => k.name)).toEqual(['ci', 'prod-ops']);
  });

  it('add stores a key from the environment and gives the profile its line', async () => {
    w.fake.seed.users.push({ account: '111111111111', name: 'bob', userId: 'AIDAFAKEBOB000000001', accessKeys: [{ accessKeyId: 'AKIAFAKEBOB000000001', secretAccessKey: fakeSecret('bob') }] });
    const r = await awsguard(['keys', 'add', 'bob', '--from-env'], { AWS_ACCESS_KEY_ID: 'AKIAFAKEBOB000000001', AWS_SECRET_ACCESS_KEY: fakeSecret('bob') });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('stored AKIAFAKEBOB000000001 (arn:aws:iam::111111111111:user/bob)');
    expect(r.stderr).not.toContain(fakeSecret('bob'));
    expect(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8')).toMatch(/\n\[bob\]\ncredential_process = awsguard export -p bob --format credential-process\n$/);
    const who = await awsguard(['whoami', '-p', 'bob', '--json']);
    expect(who.status, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout).arn).toBe('arn:aws:iam::111111111111:user/bob');
  });

  it('remove asks, or takes --yes without a terminal', async () => {
    const asks = await awsguard(['keys', 'remove', 'bob']);
    expect(asks.status).toBe(6);
    const r = await awsguard(['keys', 'remove', 'bob', '--yes']);
    expect(r.status, r.stderr).toBe(0);
    const st = spawnSync('secret-tool', ['lookup', 'service', 'awsguard', 'username', 'bob'], { env: { ...env }, encoding: 'utf8' });
    expect(st.stdout).toBe('');
    const who = await awsguard(['whoami', '-p', 'bob']);
    expect(who.status).toBe(4);
    expect(who.stderr).toContain('no key is stored for profile "bob"; run: awsguard keys add bob');
  });

  it('export-plaintext needs a typed confirmation on a terminal', async () => {
    const r = await awsguard(['keys', 'export-plaintext', 'ci']);
    expect(r.status).toBe(6);
    expect(r.stdout).toBe('');
    const wrong = runInPty(process.execPath, [BIN, 'keys', 'export-plaintext', 'ci'], env);
    await wrong.waitFor('Type the profile name to go on: ');
    wrong.write('cj\r');
    expect((await wrong.exited).exitCode).toBe(5);
    expect(wrong.output()).not.toContain(fakeSecret('ci-bot'));
    const right = runInPty(process.execPath, [BIN, 'keys', 'export-plaintext', 'ci'], env);
    await right.waitFor('Type the profile name to go on: ');
    right.write('ci\r');
    expect((await right.exited).exitCode).toBe(0);
    expect(right.output()).toContain(`aws_access_key_id = AKIAFAKECIBOT0000001\r\naws_secret_access_key = ${fakeSecret('ci-bot')}`);
  });

  it('add asks on the terminal, and the secret is not echoed', async () => {
    w.fake.seed.users.push({ account: '111111111111', name: 'dave', userId: 'AIDAFAKEDAVE00000001', accessKeys: [{ accessKeyId: 'AKIAFAKEDAVE00000001', secretAccessKey: fakeSecret('dave') }] });
    const run = runInPty(process.execPath, [BIN, 'keys', 'add', 'dave'], env);
    await run.waitFor('Access key ID for dave: ');
    run.write('AKIAFAKEDAVE00000001\r');
    await run.waitFor('Secret access key (not shown): ');
    run.write(`${fakeSecret('dave')}\r`);
    expect((await run.exited).exitCode, run.output()).toBe(0);
    expect(run.output()).toContain('AKIAFAKEDAVE00000001');
    expect(run.output()).toContain('stored AKIAFAKEDAVE00000001 (arn:aws:iam::111111111111:user/dave)');
    expect(run.output()).not.toContain(fakeSecret('dave'));
  });
});

describe('keys in the encrypted file', () => {
  let w: World;
  let env: Record<string, string>;
  const awsguard = (args: string[], extra: Record<string, string> = {}) => runAsync(process.execPath, [BIN, ...args], { ...env, ...extra });

  beforeAll(async () => {
    w = await createWorld({ credentials: CREDENTIALS });
    const settings = join(w.home, 'settings.ini');
    writeFileSync(settings, '[keys]\nbackend = file\n');
    env = { ...w.env, AWSGUARD_CONFIG: settings, AWSGUARD_FILE_PASSPHRASE: 'correct horse battery staple', PATH: `${binDir(w.home)}:${w.env.PATH}` };
  });
  afterAll(async () => w?.close());

  it('doctor warns about keys in plaintext, old keys and unused keys, with thresholds from the settings', async () => {
    w.fake.seed.users.find((u) => u.name === 'alice')!.accessKeys[0]!.createdAt = w.fake.clock.now() - 100 * 86_400_000;
    const r = await awsguard(['doctor', '--json']);
    const checks = (JSON.parse(r.stdout) as { checks: Array<{ check: string; status: string; detail: string; fix?: string }> }).checks;
    const find = (name: string) => checks.find((c) => c.check === name);
    expect(find('key store')).toMatchObject({ status: 'ok', detail: 'new keys go to the encrypted file: [keys] backend = file' });
    expect(find('plaintext keys')).toMatchObject({ status: 'warn', fix: 'move them into the key store: awsguard keys import alice ci' });
    expect(find('plaintext keys')?.detail).toContain('alice (~/.aws/credentials), ci (~/.aws/credentials)');
    expect(find('key alice')).toMatchObject({ status: 'warn', detail: 'AKIAFAKEALICE0000001 is 100 days old (more than 90; CIS 1.14) and never used in 100 days (more than 45; CIS 2.11)' });
    expect(find('key ci')?.status).toBe('ok');
    // Thresholds are settings.
    writeFileSync(env.AWSGUARD_CONFIG!, '[keys]\nbackend = file\nmax_age_days = 200\nunused_days = 150\n');
    const relaxed = (JSON.parse((await awsguard(['doctor', '--json'])).stdout) as { checks: Array<{ check: string; status: string }> }).checks;
    expect(relaxed.find((c) => c.check === 'key alice')?.status).toBe('ok');
    writeFileSync(env.AWSGUARD_CONFIG!, '[keys]\nbackend = file\n');
  });

  it('imports every profile with keys into a private, encrypted file', async () => {
    const r = await awsguard(['keys', 'import', '--all', '--backup']);
    expect(r.status, r.stderr).toBe(0);
    const file = join(w.home, '.local', 'share', 'awsguard', 'keys.enc');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(w.home, '.local', 'share', 'awsguard')).mode & 0o777).toBe(0o700);
    const backup = /a private copy of the file as it was: ~\/(\S+)/.exec(r.stderr)![1]!;
    expect(statSync(join(w.home, backup)).mode & 0o777).toBe(0o600);
    for (const secret of [fakeSecret('ci-bot'), fakeSecret('alice')]) expect(filesHolding(w.home, secret)).toEqual([backup]);
    const text = readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8');
    expect(text).toContain('[alice]\ncredential_process = awsguard export -p alice --format credential-process\n\n; the pipeline user');
    const out = await awsguard(['export', '-p', 'ci', '--format', 'json']);
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout).AccessKeyId).toMatch(/^ASIA/);
  });

  it('a wrong passphrase or none is a clear error', async () => {
    await awsguard(['logout', '--all']);
    const wrong = await awsguard(['export', '-p', 'ci'], { AWSGUARD_FILE_PASSPHRASE: 'wrong' });
    expect(wrong.status).toBe(4);
    expect(wrong.stderr).toBe('awsguard: cannot open ~/.local/share/awsguard/keys.enc: wrong passphrase, or the file was altered\n');
    const none = await awsguard(['export', '-p', 'ci'], { AWSGUARD_FILE_PASSPHRASE: '' });
    expect(none.status).toBe(4);
    expect(none.stderr).toContain('set AWSGUARD_FILE_PASSPHRASE for unattended use');
  });

  it('doctor reads the stored keys with the passphrase from the environment, and no plaintext is left', async () => {
    const checks = (JSON.parse((await awsguard(['doctor', '--json'])).stdout) as { checks: Array<{ check: string; status: string; detail: string }> }).checks;
    expect(checks.find((c) => c.check === 'plaintext keys')?.status).toBe('ok');
    expect(checks.find((c) => c.check === 'key alice')?.detail).toMatch(/^AKIAFAKEALICE0000001 is 100 days old/);
  });

  it('never falls back from the keychain it was told to use; auto says why it chose the file', async () => {
    writeFileSync(env.AWSGUARD_CONFIG!, '[keys]\nbackend = keychain\n');
    const r = await awsguard(['keys', 'add', 'nobody', '--from-env'], { AWS_ACCESS_KEY_ID: 'AKIAFAKEALICE0000001', AWS_SECRET_ACCESS_KEY: fakeSecret('alice'), DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' });
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/^awsguard: \[keys\] backend = keychain, but the keychain cannot be used: no Secret Service answers on D-Bus/);
    writeFileSync(env.AWSGUARD_CONFIG!, '[keys]\nbackend = auto\n');
    const checks = (JSON.parse((await awsguard(['doctor', '--json'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' })).stdout) as { checks: Array<{ check: string; detail: string }> }).checks;
    expect(checks.find((c) => c.check === 'key store')?.detail).toMatch(/^new keys go to the encrypted file: no keychain: no Secret Service answers on D-Bus/);
    writeFileSync(env.AWSGUARD_CONFIG!, '[keys]\nbackend = file\n');
  });

  it('a second import of the same profile is refused with the line to look at', async () => {
    const r = await awsguard(['keys', 'import', 'ci']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/credentials:\d+: \[ci\]: has no aws_access_key_id/);
  });
});
