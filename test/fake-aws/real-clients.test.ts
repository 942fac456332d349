import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credsFrom, stsClient, userCreds } from '../support/fake-aws/clients.js';
import type { Creds } from '../support/fake-aws/clients.js';
import { allSecrets, startFakeAws } from '../support/fake-aws/index.js';
import type { FakeAws } from '../support/fake-aws/index.js';
import { requirePython, requireTool } from '../support/require-tool.js';

/**
 * Faithfulness check: Debian's AWS CLI 2.9.19 and boto3 1.26 (botocore 1.29)
 * talk to the fake as they would to AWS, through an explicit endpoint and
 * through AWS_DATA_PATH endpoint rule sets (they predate AWS_ENDPOINT_URL).
 */

const AWS = '/usr/bin/aws';
const PYTHON = '/usr/bin/python3';
const cli = requireTool(AWS);
const boto = requirePython('boto3', PYTHON);

let fake: FakeAws;
let home: string;
let temp: Creds;

beforeAll(async () => {
  fake = await startFakeAws({ autoApprove: 0 });
  home = mkdtempSync(join(tmpdir(), 'fake-aws-home-'));
  mkdirSync(join(home, '.aws'));
  const out = await stsClient(fake, userCreds(fake.seed, 'alice')).send(
    new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/Deploy', RoleSessionName: 'real-client' }),
  );
  temp = credsFrom(out.Credentials);
});
afterAll(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});

/** A clean environment: nothing from the parent's AWS_* and a throwaway HOME. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...extra,
  };
}

const tempEnv = (c: Creds): Record<string, string> => ({
  AWS_ACCESS_KEY_ID: c.accessKeyId,
  AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
  ...(c.sessionToken ? { AWS_SESSION_TOKEN: c.sessionToken } : {}),
});

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a child asynchronously (the fake lives in this process and must keep
 * answering). `detached` gives it no controlling terminal, so a prompt such as
 * the CLI's MFA getpass reads stdin instead of a developer's tty.
 */
function run(cmd: string, args: string[], env: Record<string, string>, input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

const json = (r: RunResult): Record<string, unknown> => {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

const DEPLOY_ARN = 'arn:aws:sts::222222222222:assumed-role/Deploy/real-client';

describe.skipIf(cli.skip)(cli.label('AWS CLI 2.9 (/usr/bin/aws) against the fake'), () => {
  beforeAll(() => cli.assert());

  it('sts get-caller-identity with temporary credentials via --endpoint-url', async () => {
    const r = await run(AWS, ['sts', 'get-caller-identity', '--endpoint-url', fake.url], cleanEnv(tempEnv(temp)));
    expect(json(r)).toMatchObject({ Arn: DEPLOY_ARN, Account: '222222222222' });
  });

  it('sts get-caller-identity via AWS_DATA_PATH, with no endpoint flag', async () => {
    fake.reset();
    const r = await run(AWS, ['sts', 'get-caller-identity'], cleanEnv({ ...tempEnv(temp), AWS_DATA_PATH: fake.botocoreDataPath() }));
    expect(json(r)).toMatchObject({ Arn: DEPLOY_ARN });
    expect(fake.requests).toMatchObject([{ service: 'sts', action: 'GetCallerIdentity', status: 200, accessKeyId: temp.accessKeyId }]);
  });

  it('a wrong secret makes the real CLI fail with SignatureDoesNotMatch', async () => {
    const r = await run(
      AWS,
      ['sts', 'get-caller-identity'],
      cleanEnv({ ...tempEnv({ ...temp, secretAccessKey: 'E'.repeat(40) }), AWS_DATA_PATH: fake.botocoreDataPath() }),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation');
  });

  it('a three-hop role profile chain with MFA prompt and external id (botocore AssumeRole)', async () => {
    const alice = userCreds(fake.seed, 'alice');
    writeFileSync(
      join(home, '.aws', 'credentials'),
      `[base]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`,
    );
    writeFileSync(
      join(home, '.aws', 'config'),
      [
        '[profile deploy222]',
        'role_arn = arn:aws:iam::222222222222:role/Deploy',
        'source_profile = base',
        'mfa_serial = arn:aws:iam::111111111111:mfa/alice',
        '[profile admin333]',
        'role_arn = arn:aws:iam::333333333333:role/Admin',
        'source_profile = deploy222',
        '[profile admin444]',
        'role_arn = arn:aws:iam::444444444444:role/Admin',
        'source_profile = admin333',
        'external_id = acme-ext-id',
        'role_session_name = cli-hop3',
        '',
      ].join('\n'),
    );
    fake.reset();
    const r = await run(
      AWS,
      ['sts', 'get-caller-identity', '--profile', 'admin444'],
      cleanEnv({ AWS_DATA_PATH: fake.botocoreDataPath() }),
      '123456\n',
    );
    expect(json(r)).toMatchObject({ Arn: 'arn:aws:sts::444444444444:assumed-role/Admin/cli-hop3', Account: '444444444444' });
    const hops = fake.requests.filter((x) => x.action === 'AssumeRole');
    expect(hops.map((h) => [h.roleArn, h.status])).toEqual([
      ['arn:aws:iam::222222222222:role/Deploy', 200],
      ['arn:aws:iam::333333333333:role/Admin', 200],
      ['arn:aws:iam::444444444444:role/Admin', 200],
    ]);
    expect(hops[0]?.serialNumber).toBe('arn:aws:iam::111111111111:mfa/alice');
    expect(hops[2]?.externalId).toBe('acme-ext-id');
    for (const s of allSecrets(fake.seed)) expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('aws sso login --no-browser (device flow, auto-approved), then an SSO profile', async () => {
    writeFileSync(
      join(home, '.aws', 'config'),
      [
        '[profile sso-admin]',
        'sso_session = acme',
        'sso_account_id = 222222222222',
        'sso_role_name = AdministratorAccess',
        '[sso-session acme]',
        'sso_start_url = https://acme.awsapps.com/start',
        'sso_region = eu-west-1',
        'sso_registration_scopes = sso:account:access',
        '',
      ].join('\n'),
    );
    fake.reset();
    const env = cleanEnv({ AWS_DATA_PATH: fake.botocoreDataPath() });
    const login = await run(AWS, ['sso', 'login', '--profile', 'sso-admin', '--no-browser'], env);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('Successfully logged into Start URL: https://acme.awsapps.com/start');
    const who = await run(AWS, ['sts', 'get-caller-identity', '--profile', 'sso-admin'], env);
    expect(json(who).Arn).toMatch(
      /^arn:aws:sts::222222222222:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/alice@acme\.example$/,
    );
    const actions = fake.requests.map((x) => x.action);
    expect(actions.slice(0, 2)).toEqual(['RegisterClient', 'StartDeviceAuthorization']);
    expect(actions).toContain('CreateToken');
    expect(actions.slice(-2)).toEqual(['GetRoleCredentials', 'GetCallerIdentity']);
  });
});

describe.skipIf(boto.skip)(boto.label('boto3 1.26 (/usr/bin/python3) against the fake'), () => {
  beforeAll(() => boto.assert());

  const script = [
    'import boto3, json, os, sys',
    "kw = {'endpoint_url': sys.argv[1]} if len(sys.argv) > 1 else {}",
    "ident = boto3.client('sts', **kw).get_caller_identity()",
    "aliases = boto3.client('iam', **kw).list_account_aliases()['AccountAliases']",
    "print(json.dumps({'Arn': ident['Arn'], 'Account': ident['Account'], 'Aliases': aliases}))",
  ].join('\n');

  it('get_caller_identity and list_account_aliases with endpoint_url=', async () => {
    const r = await run(PYTHON, ['-c', script, fake.url], cleanEnv(tempEnv(temp)));
    expect(json(r)).toEqual({ Arn: DEPLOY_ARN, Account: '222222222222', Aliases: ['acme-staging'] });
  });

  it('the same through AWS_DATA_PATH, with no endpoint_url', async () => {
    fake.reset();
    const r = await run(PYTHON, ['-c', script], cleanEnv({ ...tempEnv(temp), AWS_DATA_PATH: fake.botocoreDataPath() }));
    expect(json(r)).toEqual({ Arn: DEPLOY_ARN, Account: '222222222222', Aliases: ['acme-staging'] });
    expect(fake.requests.map((x) => `${x.service}:${x.action}`)).toEqual(['sts:GetCallerIdentity', 'iam:ListAccountAliases']);
  });

  it('a tampered session token is rejected as InvalidClientTokenId', async () => {
    const bad = { ...temp, sessionToken: `${(temp.sessionToken ?? '').slice(0, -4)}AAAA` };
    const r = await run(PYTHON, ['-c', script, fake.url], cleanEnv(tempEnv(bad)));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('InvalidClientTokenId');
  });
});
