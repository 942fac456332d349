/**
 * awsguard in a pipeline: no terminal (the child is started in a new session, so /dev/tty cannot
 * be opened), CI=true, a web identity token file as the only credential, the audit log where the
 * pipeline says (XDG_STATE_HOME). The guard must work unchanged: the identity line, a protected
 * account refused without --confirm, let in with it, every outcome audited.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type RunResult } from '../support/cli.js';
import { requirePython, requireTool } from '../support/require-tool.js';
import { assertNoSecrets, createWorld, type World } from '../support/world.js';

const aws = requireTool('/usr/bin/aws');
const boto3 = requirePython('boto3');
let w: World;
let tokenFile: string;
let stateHome: string;
let env: Record<string, string>;

/** Like a CI runner: a new session without a controlling terminal, no stdin. */
function pipeline(args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const audit = () =>
  readFileSync(join(stateHome, 'awsguard', 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const writeToken = (jti: string, expiresInSeconds = 3600) =>
  writeFileSync(tokenFile, w.fake.webIdentityToken({ sub: 'repo:acme/app:ref:refs/heads/main', jti, expiresInSeconds }));

beforeAll(async () => {
  w = await createWorld({ credentials: '' });
  tokenFile = join(w.home, 'oidc-token');
  stateHome = mkdtempSync(join(tmpdir(), 'awsguard-ci-state-'));
  writeFileSync(
    w.env.AWS_CONFIG_FILE!,
    `[profile ci-oidc]\nrole_arn = arn:aws:iam::111111111111:role/GitHubActions\nweb_identity_token_file = ${tokenFile}\nrole_session_name = gha-42\nregion = eu-west-1\n\n` +
      `[profile deploy-prod]\nrole_arn = arn:aws:iam::333333333333:role/Deploy\nsource_profile = ci-oidc\nrole_session_name = deploy-42\nregion = eu-west-1\n`,
  );
  env = { ...w.env, CI: 'true', XDG_STATE_HOME: stateHome, AWS_DATA_PATH: w.fake.botocoreDataPath() };
  writeToken('one');
});
afterAll(async () => w.close());

describe.skipIf(aws.skip || boto3.skip)(aws.label(boto3.label('in a pipeline (no terminal, CI=true, web identity)')), () => {
  it('refuses the protected account without --confirm (exit 5), lets it in with it, and audits both', async () => {
    aws.assert();
    const refused = await pipeline(['exec', '-p', 'deploy-prod', '--', '/usr/bin/aws', 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn']);
    expect(refused.status, refused.stderr).toBe(5);
    expect(refused.stderr).toContain('acme-prod (333333333333)');
    expect(refused.stderr).toContain('pass --confirm acme-prod');
    expect(refused.stdout).toBe('');
    const ran = await pipeline(['exec', '-p', 'deploy-prod', '--confirm', 'acme-prod', '--', '/usr/bin/aws', 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn']);
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout.trim()).toBe('arn:aws:sts::333333333333:assumed-role/Deploy/deploy-42');
    // The identity line, in the job's log.
    expect(ran.stderr).toContain('acme-prod');
    const records = audit();
    // A protected run's grant is written before the child starts, its end after.
    expect(records.map((r) => [r.profile, r.account_id, r.protected, r.refused, r.confirmation, r.exit_code, r.phase ?? null])).toEqual([
      ['deploy-prod', '333333333333', true, 'no-terminal', null, null, null],
      ['deploy-prod', '333333333333', true, null, 'flag', null, 'start'],
      ['deploy-prod', '333333333333', true, null, 'flag', 0, null],
    ]);
    const token = readFileSync(tokenFile, 'utf8');
    for (const text of [refused.stderr, ran.stderr, ran.stdout, readFileSync(join(stateHome, 'awsguard', 'audit.jsonl'), 'utf8')]) {
      expect(text).not.toContain(token);
      assertNoSecrets(text, w.secrets());
    }
  }, 60_000);

  it('reaches the same role as botocore itself does with the same config (boto3 against the fake)', async () => {
    boto3.assert();
    const script = 'import boto3; print(boto3.Session(profile_name="deploy-prod").client("sts").get_caller_identity()["Arn"])';
    const theirs = await new Promise<string>((resolve) => {
      const c = spawn('/usr/bin/python3', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      c.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      c.on('close', () => resolve(out.trim()));
    });
    const ours = await pipeline(['exec', '-p', 'deploy-prod', '--confirm', 'acme-prod', '--', '/usr/bin/python3', '-c', 'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])']);
    expect(theirs).toBe('arn:aws:sts::333333333333:assumed-role/Deploy/deploy-42');
    expect(ours.stdout.trim()).toBe(theirs);
    // botocore's AssumeRoleWithWebIdentity went unsigned, as awsguard's does.
    expect(w.fake.requests.filter((q) => q.action === 'AssumeRoleWithWebIdentity').every((q) => q.accessKeyId === undefined && q.status === 200)).toBe(true);
  }, 60_000);

  it('takes the environment form (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) with no -p, and the child sees neither', async () => {
    boto3.assert();
    const script = 'import boto3, json, os; print(json.dumps([boto3.client("sts").get_caller_identity()["Arn"], sorted(k for k in os.environ if k.startswith("AWS_ROLE") or k == "AWS_WEB_IDENTITY_TOKEN_FILE")]))';
    const r = await pipeline(['exec', '--', '/usr/bin/python3', '-c', script], {
      AWS_ROLE_ARN: 'arn:aws:iam::111111111111:role/GitHubActions',
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_SESSION_NAME: 'gha-env',
      AWS_REGION: 'eu-west-1',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['arn:aws:sts::111111111111:assumed-role/GitHubActions/gha-env', []]);
    expect(r.stderr).toContain('awsguard: note: web identity from the environment (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME)');
  }, 60_000);

  it('exec --server renewals read the rotated token file', async () => {
    boto3.assert();
    w.fake.setSessionLifetime(3);
    w.fake.reset();
    writeToken('before-rotation', 30);
    // At least 9 seconds (three 3-second sessions) and six calls, however slow the machine is.
    const script =
      'import boto3, time\nstart = time.time()\nn = 0\nwhile time.time() - start < 35 and (time.time() - start < 9 or n < 6):\n    boto3.Session().client("sts").get_caller_identity(); n += 1; time.sleep(0.5)\nprint(n)';
    const run = pipeline(['exec', '--server', '--refresh', '-p', 'ci-oidc', '--', '/usr/bin/python3', '-c', script], { AWS_REGION: 'eu-west-1' });
    // The issuer rotates the token in place while the job runs, once the first one was used
    // (a fixed delay would race a slow start); the first one expires soon after.
    const firstUse = () => w.fake.requests.some((q) => q.action === 'AssumeRoleWithWebIdentity' && q.status === 200);
    for (let waited = 0; !firstUse() && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    writeToken('after-rotation');
    const r = await run;
    w.fake.setSessionLifetime(undefined);
    expect(r.status, r.stderr).toBe(0);
    expect(Number(r.stdout.trim())).toBeGreaterThan(5);
    const used = w.fake.requests.filter((q) => q.action === 'AssumeRoleWithWebIdentity' && q.status === 200).map((q) => q.webIdentityTokenId);
    expect(used[0]).toBe('before-rotation');
    expect(used.slice(1)).toContain('after-rotation');
    expect(used.lastIndexOf('before-rotation')).toBeLessThan(used.indexOf('after-rotation'));
    expect(r.stderr).not.toContain('cannot renew');
  }, 90_000);
});
