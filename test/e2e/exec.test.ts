/**
 * `awsguard exec` end to end: the real CLI against the loopback fake AWS, real children
 * (Debian's AWS CLI v2 and boto3), a real pseudo-terminal for the typed confirmation.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { runInPty } from '../support/pty.js';
import { requirePython, requireTool } from '../support/require-tool.js';
import { assertNoSecrets, createWorld, type World } from '../support/world.js';

let w: World;
let env: Record<string, string>;
beforeAll(async () => {
  w = await createWorld();
  env = { ...w.env, AWS_DATA_PATH: w.fake.botocoreDataPath() };
});
afterAll(async () => w.close());

function awsguard(args: string[], extra: Record<string, string> = {}, input = '') {
  return runAsync(process.execPath, [BIN, ...args], { ...env, ...extra }, input);
}

const aws = requireTool('/usr/bin/aws');
const boto3 = requirePython('boto3');

describe('exec: the child', () => {
  it('gets short-lived credentials, a clean environment and the markers; never a long-term key', async () => {
    const r = await awsguard(['exec', '-p', 'ci', '--', 'env'], { AWS_PROFILE: 'something-else', AWS_SESSION_TOKEN: 'stale-token', AWS_ENDPOINT_URL_S3: 'http://keep.me' });
    expect(r.status, r.stderr).toBe(0);
    const childEnv = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(childEnv.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(childEnv.AWS_SESSION_TOKEN).toBeTruthy();
    expect(childEnv.AWS_SESSION_TOKEN).not.toBe('stale-token');
    expect(childEnv.AWS_PROFILE).toBeUndefined();
    expect(childEnv.AWS_ENDPOINT_URL_S3).toBe('http://keep.me');
    expect(childEnv.AWS_REGION).toBe('us-east-1');
    expect(childEnv.AWSGUARD_PROFILE).toBe('ci');
    expect(childEnv.AWSGUARD_ACCOUNT_ID).toBe('111111111111');
    // A session token without MFA may not call IAM (as on AWS): the alias is asked with the keys it came from.
    expect(childEnv.AWSGUARD_ACCOUNT_ALIAS).toBe('acme-dev');
    expect(childEnv.AWSGUARD_SESSION).toBe('exec');
    expect(childEnv.AWSGUARD_PROTECTED).toBe('0');
    expect(Number(childEnv.AWSGUARD_EXPIRES)).toBeGreaterThan(Date.now() / 1000);
    expect(r.stdout).not.toMatch(/AKIA/);
    assertNoSecrets(r.stdout + r.stderr, w.fake.seed.users.flatMap((u) => u.accessKeys.map((k) => k.secretAccessKey)));
  });

  it('shows who you are about to be on stderr, not stdout', async () => {
    const r = await awsguard(['exec', '-p', 'staging-deploy', '--mfa-code', '123456', '--', 'true']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/staging-deploy.*acme-staging.*222222222222.*Deploy/);
  });

  it.skipIf(aws.skip)(aws.label('the real AWS CLI v2 sees exactly the role awsguard assumed'), async () => {
    aws.assert();
    const r = await awsguard(['exec', '-p', 'staging-deploy', '--mfa-code', '123456', '--', '/usr/bin/aws', 'sts', 'get-caller-identity', '--output', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).Arn).toBe('arn:aws:sts::222222222222:assumed-role/Deploy/awsguard-tester');
  });

  it.skipIf(boto3.skip)(boto3.label('boto3 sees the same role and can list the alias'), async () => {
    boto3.assert();
    const script = 'import boto3, json; s = boto3.Session(); print(json.dumps([s.client("sts").get_caller_identity()["Arn"], s.client("iam").list_account_aliases()["AccountAliases"]]))';
    const r = await awsguard(['exec', '-p', 'staging-deploy', '--mfa-code', '123456', '--', '/usr/bin/python3', '-c', script]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['arn:aws:sts::222222222222:assumed-role/Deploy/awsguard-tester', ['acme-staging']]);
  });

  it("exits with the child's code, 128+N for a signal, 127 and 126 with a message", async () => {
    expect((await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', 'exit 42'])).status).toBe(42);
    expect((await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', 'kill -TERM $$'])).status).toBe(143);
    const nf = await awsguard(['exec', '-p', 'ci', '--', 'no-such-command-xyz']);
    expect(nf.status).toBe(127);
    expect(nf.stderr).toContain('no-such-command-xyz');
    expect((await awsguard(['exec', '-p', 'ci', '--', '/etc/passwd'])).status).toBe(126);
  });

  it('passes stdin to the child untouched', async () => {
    const r = await awsguard(['exec', '-p', 'ci', '--', 'cat'], {}, 'line one\nline two\n');
    expect(r.stdout).toBe('line one\nline two\n');
  });

  it('takes the command without -- too, like env and sudo', async () => {
    const r = await awsguard(['exec', '-p', 'ci', 'sh', '-c', 'echo $AWSGUARD_PROFILE']);
    expect(r.stdout).toBe('ci\n');
  });

  it.skipIf(!/^(20|22)\./.test(process.versions.node))('starts the child without node:child_process and its network and stream modules (Node 20 and 22)', async () => {
    // A preloaded script writes, as awsguard exits, the built-ins it loaded; the child (`true`) is not node.
    const dir = mkdtempSync(join(tmpdir(), 'awsguard-exec-modules-'));
    const hook = join(dir, 'hook.cjs');
    const list = join(dir, 'loaded.txt');
    writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));`);
    try {
      // The second run is a cache hit: no SDK, whose HTTP client needs node:net.
      for (let run = 0; run < 2; run++) {
        const r = await runAsync(process.execPath, ['--require', hook, BIN, 'exec', '-p', 'ci', '--', 'sh', '-c', 'exit 7'], env);
        expect(r.status, r.stderr).toBe(7);
      }
      const loaded = readFileSync(list, 'utf8').split('\n');
      expect(loaded).toContain('Internal Binding process_wrap');
      expect(loaded.filter((m) => /^NativeModule (child_process|net|dgram|stream)$/.test(m))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands the SDK the config files as it read them: the SDK reads neither again, and still sees their settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'awsguard-sdk-files-'));
    // The SDK's own settings come from [default] (awsguard names no profile to it); the app id shows in its User-Agent.
    const config = join(dir, 'config');
    writeFileSync(config, readFileSync(env.AWS_CONFIG_FILE!, 'utf8').replace(/^\[default\]\n/m, '[default]\nsdk_ua_app_id = awsguard-e2e\n'), { mode: 0o600 });
    expect(readFileSync(config, 'utf8')).toContain('sdk_ua_app_id');
    // A preloaded script records every fs.readFile (what the SDK reads files with) and writes them out as awsguard exits.
    const hook = join(dir, 'hook.cjs');
    const list = join(dir, 'read.txt');
    writeFileSync(
      hook,
      `const fs = require('node:fs'); const read = fs.readFile; const paths = [];
       fs.readFile = function (path, ...rest) { paths.push(String(path)); return read.call(this, path, ...rest); };
       process.on('exit', () => fs.writeFileSync(${JSON.stringify(list)}, paths.join('\\n')));`,
    );
    const before = w.fake.requests.length;
    try {
      const r = await runAsync(process.execPath, ['--require', hook, BIN, 'exec', '-p', 'ci', '--refresh', '--', 'true'], { ...env, AWS_CONFIG_FILE: config });
      expect(r.status, r.stderr).toBe(0);
      const read = readFileSync(list, 'utf8').split('\n');
      expect(read).not.toContain(config);
      expect(read).not.toContain(env.AWS_SHARED_CREDENTIALS_FILE);
      const calls = w.fake.requests.slice(before);
      expect(calls.map((q) => q.action)).toContain('GetSessionToken');
      for (const call of calls) expect(call.userAgent).toMatch(/(^| )app\/awsguard-e2e( |$)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on a cache miss loads no part of Node that its calls to AWS do not use', async () => {
    // As above; the same hook on an empty script says what Node loads by itself (Node 22 loads more at start).
    const dir = mkdtempSync(join(tmpdir(), 'awsguard-miss-modules-'));
    const hook = join(dir, 'hook.cjs');
    const list = join(dir, 'loaded.txt');
    writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));`);
    writeFileSync(join(dir, 'empty.cjs'), '');
    try {
      expect((await runAsync(process.execPath, ['--require', hook, join(dir, 'empty.cjs')], env)).status).toBe(0);
      const byNode = new Set(readFileSync(list, 'utf8').split('\n'));
      const r = await runAsync(process.execPath, ['--require', hook, BIN, 'exec', '-p', 'ci', '--refresh', '--', 'true'], env);
      expect(r.status, r.stderr).toBe(0);
      const loaded = readFileSync(list, 'utf8').split('\n').filter((m) => !byNode.has(m));
      // The SDK and its HTTP client did run...
      expect(loaded).toEqual(expect.arrayContaining(['NativeModule https', 'NativeModule crypto']));
      // ...without what the SDK asks for at start-up and these calls never use: gzip, fs/promises
      // (with readline and file watching), web streams, web crypto, and Node's ES module loader.
      const unused = /^NativeModule (zlib|fs\/promises|internal\/readline\/interface|internal\/webstreams\/readablestream|internal\/crypto\/webcrypto|internal\/modules\/esm\/loader)$/;
      expect(loaded.filter((m) => unused.test(m))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exec: what a new user typed', () => {
  it('no -p, no AWS_PROFILE, a [default] with only a region: says no profile was given and how to give one', async () => {
    const r = await awsguard(['exec', '--', 'true']);
    expect(r.status).toBe(4);
    expect(r.stderr).toBe(
      'awsguard: no profile given (no -p, no AWS_PROFILE) and [default] has no credentials: name one with -p PROFILE or AWS_PROFILE=PROFILE, or choose one in the picker in a terminal: -p "$(awsguard pick)"\n',
    );
    // A named default is what the person asked for: then the plain verdict.
    const named = await awsguard(['exec', '--', 'true'], { AWS_PROFILE: 'default' });
    expect(named.stderr).toMatch(/profile "default" has no credentials/);
  });

  it('exec true -p ci: the profile went to the command; refused with the fix before anything runs', async () => {
    const r = await awsguard(['exec', 'echo', 'RAN', '-p', 'ci']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "awsguard: exec: -p ci comes after the command, so it would go to echo and the session would not be ci's: awsguard exec -p ci -- echo RAN (or, if it is the command's own: awsguard exec -- echo RAN -p ci)\n",
    );
  });

  it("another of exec's flags after the command: one line on stderr, and the command gets it; none after --", async () => {
    const r = await awsguard(['exec', '-p', 'ci', 'echo', 'RAN', '--read-only']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('RAN --read-only\n');
    expect(r.stderr.split('\n').filter((l) => l.includes('after the command'))).toEqual([
      "awsguard: note: --read-only after the command goes to echo, not to awsguard (its flags go before the command; -- before the command says they are the command's)",
    ]);
    const quiet = await awsguard(['exec', '-p', 'ci', '--', 'echo', 'RAN', '--read-only']);
    expect(quiet.stderr).not.toContain('after the command');
    // A short flag of the command's own (mkdir -p, ssh -p 2222) is no profile: nothing said.
    const own = await awsguard(['exec', '-p', 'ci', 'echo', '-p', '2222']);
    expect(own.stdout).toBe('-p 2222\n');
    expect(own.stderr).not.toContain('after the command');
  });
});

describe('exec: protected accounts', () => {
  it('refuses without a terminal, says how to proceed, and starts nothing', async () => {
    const r = await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--', 'sh', '-c', 'echo RAN']);
    expect(r.status).toBe(5);
    expect(r.stdout).not.toContain('RAN');
    expect(r.stderr).toContain('--confirm');
    expect(r.stderr).toMatch(/PROTECTED/);
  });

  it('runs with --confirm naming the alias of the account reached, and refuses a wrong one', async () => {
    expect((await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--confirm', 'acme-prod', '--', 'sh', '-c', 'echo RAN'])).stdout).toBe('RAN\n');
    const wrong = await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--confirm', 'acme-staging', '--', 'sh', '-c', 'echo RAN']);
    expect(wrong.status).toBe(5);
    expect(wrong.stdout).toBe('');
  });

  it('does not take a confirmation from stdin', async () => {
    const r = await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--', 'sh', '-c', 'echo RAN'], {}, 'acme-prod\nacme-prod\n');
    expect(r.status).toBe(5);
  });

  it('asks for the alias on the terminal: right runs, wrong refuses, Ctrl-C aborts', async () => {
    const start = (cmd: string) => runInPty(process.execPath, [BIN, 'exec', '-p', 'prod-admin', '--mfa-code', '123456', '--', 'sh', '-c', cmd], env);
    const right = start('echo RAN-$AWSGUARD_ACCOUNT_ALIAS');
    await right.waitFor(/Type its alias/);
    right.write('acme-prod\r');
    expect((await right.exited).exitCode).toBe(0);
    expect(right.output()).toContain('RAN-acme-prod');

    const wrong = start('echo RAN');
    await wrong.waitFor(/Type its alias/);
    wrong.write('acme-staging\r');
    expect((await wrong.exited).exitCode).toBe(5);
    expect(wrong.output()).not.toContain('RAN');

    const cancel = start('echo RAN');
    await cancel.waitFor(/Type its alias/);
    cancel.write('\x03');
    expect((await cancel.exited).exitCode).toBe(130);
    expect(cancel.output()).not.toContain('RAN');
  });

  it('refuses another account from inside an awsguard child unless --nest', async () => {
    const inner = `'${process.execPath}' '${BIN}' exec -p prod-admin --mfa-code 123456 --confirm acme-prod -- true`;
    const r = await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', inner]);
    expect(r.status).toBe(5);
    expect(r.stderr).toContain('--nest');
    const same = await awsguard(['exec', '-p', 'ci', '--', 'sh', '-c', `'${process.execPath}' '${BIN}' exec -p ci -- true`]);
    expect(same.status, same.stderr).toBe(0);
  });
});

describe('exec: the audit log', () => {
  it('records every run and refusal, privately, without a secret', async () => {
    const path = join(w.home, '.local', 'state', 'awsguard', 'audit.jsonl');
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.refused === 'no-terminal')).toBe(true);
    expect(lines.some((l) => l.confirmation === 'flag' && l.account_alias === 'acme-prod' && l.exit_code === 0)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    assertNoSecrets(readFileSync(path, 'utf8'), w.secrets());
  });
});

describe('use without a profile', () => {
  it('opens the picker on the terminal, then prints the code for the shell', async () => {
    const t = runInPty(process.execPath, [BIN, 'use', '--shell', 'bash'], env, 120, 30);
    await t.waitFor(/\d+ of \d+/);
    t.write('ci');
    await new Promise((r) => setTimeout(r, 300));
    t.write('\r');
    const { exitCode } = await t.exited;
    expect(exitCode, t.output().slice(-1500)).toBe(0);
    expect(t.output()).toMatch(/export AWS_ACCESS_KEY_ID='ASIA/);
    expect(t.output()).toMatch(/export AWSGUARD_PROFILE='ci'/);
  });
});
