import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetRoleCredentialsCommand } from '@aws-sdk/client-sso';
import { CreateTokenCommand, RegisterClientCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { credsFrom, oidcClient, rejection, ssoClient, stsClient, userCreds } from '../support/fake-aws/clients.js';
import { allSecrets, defaultSeed, startFakeAws } from '../support/fake-aws/index.js';
import { fakeAwsForFile } from '../support/fake-aws/per-file.js';
import { REQUIRE_ALL_ENV, hasPython, hasTool, requireOrSkip } from '../support/require-tool.js';

const { fake } = await fakeAwsForFile();

describe('startFakeAws basics', () => {
  it('listens on loopback and exposes the environment for clients', () => {
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    expect(fake.env()).toEqual({
      AWS_ENDPOINT_URL: fake.url,
      AWS_ENDPOINT_URL_STS: fake.url,
      AWS_ENDPOINT_URL_IAM: fake.url,
      AWS_ENDPOINT_URL_SSO: fake.url,
      AWS_ENDPOINT_URL_SSO_OIDC: fake.url,
      AWS_ENDPOINT_URL_SIGNIN: fake.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });

  it('the default seed has the documented shape', () => {
    const seed = defaultSeed();
    expect(seed.accounts).toHaveLength(12);
    expect(seed.accounts.find((a) => a.id === '555555555555')?.alias).toBeUndefined();
    for (const u of seed.users) {
      for (const k of u.accessKeys) {
        expect(k.accessKeyId).toMatch(/^AKIAFAKE[A-Z0-9]{12}$/);
        expect(k.secretAccessKey).toHaveLength(40);
      }
    }
    expect(allSecrets(seed)).toHaveLength(2);
    expect(seed.sso[0]).toMatchObject({ startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' });
  });

  it('botocoreDataPath holds an endpoint rule set for sts, iam, sso and sso-oidc', () => {
    const dir = fake.botocoreDataPath();
    for (const rel of ['sts/2011-06-15', 'iam/2010-05-08', 'sso/2019-06-10', 'sso-oidc/2019-06-10']) {
      const file = join(dir, rel, 'endpoint-rule-set-1.json');
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain(fake.url);
    }
    expect(fake.botocoreDataPath()).toBe(dir);
  });
});

describe('clock', () => {
  afterEach(() => fake.clock.set(Date.now()));

  it('advances, jumps, and drives the HTTP Date header', async () => {
    const t0 = fake.clock.now();
    expect(Math.abs(t0 - Date.now())).toBeLessThan(1000);
    fake.clock.advance(3600);
    expect(fake.clock.now() - t0).toBeGreaterThanOrEqual(3600_000);
    fake.clock.set(Date.UTC(2030, 0, 1));
    const res = await fetch(`${fake.url}/assignment/accounts`);
    expect(res.headers.get('date')).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
  });

  it('now and skewSeconds set the starting point; the SDK corrects for a skewed server', async () => {
    const at = await startFakeAws({ now: Date.UTC(2031, 5, 1) });
    const skewed = await startFakeAws({ skewSeconds: 3600 });
    try {
      expect(Math.abs(at.clock.now() - Date.UTC(2031, 5, 1))).toBeLessThan(1000);
      expect(Math.abs(skewed.clock.now() - Date.now() - 3600_000)).toBeLessThan(1000);
      const alice = userCreds(skewed.seed, 'alice');
      expect((await rejection(stsClient(skewed, alice).send(new GetCallerIdentityCommand({})))).name).toBe('SignatureDoesNotMatch');
      const ok = await stsClient(skewed, alice, { maxAttempts: 2 }).send(new GetCallerIdentityCommand({}));
      expect(ok.Arn).toBe('arn:aws:iam::111111111111:user/alice');
    } finally {
      await at.close();
      await skewed.close();
    }
  });
});

describe('request log', () => {
  it('records who did what, and never a secret, token or MFA code', async () => {
    fake.reset();
    const alice = userCreds(fake.seed, 'alice');
    const sts = stsClient(fake, alice);
    await sts.send(new GetSessionTokenCommand({ SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456' }));
    const role = credsFrom(
      (
        await sts.send(
          new AssumeRoleCommand({
            RoleArn: 'arn:aws:iam::444444444444:role/Admin',
            RoleSessionName: 'logged',
            ExternalId: 'acme-ext-id',
            DurationSeconds: 1800,
          }),
        )
      ).Credentials,
    );
    await stsClient(fake, role).send(new GetCallerIdentityCommand({}));
    await rejection(stsClient(fake, { ...alice, secretAccessKey: 'D'.repeat(40) }).send(new GetCallerIdentityCommand({})));
    const { accessToken } = fake.sso.issueToken('alice@acme.example', { refresh: true });
    await ssoClient(fake).send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'ReadOnlyAccess' }));
    const oidc = oidcClient(fake);
    const c = await oidc.send(new RegisterClientCommand({ clientName: 'log', clientType: 'public', scopes: ['sso:account:access'] }));
    const d = await oidc.send(
      new StartDeviceAuthorizationCommand({ clientId: c.clientId, clientSecret: c.clientSecret, startUrl: 'https://acme.awsapps.com/start' }),
    );
    fake.sso.approve(d.userCode ?? '', 'alice@acme.example');
    await oidc.send(
      new CreateTokenCommand({
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
        deviceCode: d.deviceCode,
      }),
    );

    expect(fake.requests.map((r) => `${r.service}:${r.action}:${r.status}`)).toEqual([
      'sts:GetSessionToken:200',
      'sts:AssumeRole:200',
      'sts:GetCallerIdentity:200',
      'sts:GetCallerIdentity:403',
      'sso:GetRoleCredentials:200',
      'sso-oidc:RegisterClient:200',
      'sso-oidc:StartDeviceAuthorization:200',
      'sso-oidc:CreateToken:200',
    ]);
    expect(fake.requests[0]).toMatchObject({ serialNumber: 'arn:aws:iam::111111111111:mfa/alice', accessKeyId: alice.accessKeyId });
    expect(fake.requests[1]).toMatchObject({
      callerArn: 'arn:aws:iam::111111111111:user/alice',
      account: '111111111111',
      roleArn: 'arn:aws:iam::444444444444:role/Admin',
      roleSessionName: 'logged',
      externalId: 'acme-ext-id',
      durationSeconds: 1800,
    });
    expect(fake.requests[2]).toMatchObject({ callerArn: 'arn:aws:sts::444444444444:assumed-role/Admin/logged', account: '444444444444' });
    expect(fake.requests[3]).toMatchObject({ errorCode: 'SignatureDoesNotMatch' });
    expect(fake.requests[4]).toMatchObject({ bearer: true });
    expect(fake.requests[6]).toMatchObject({ startUrl: 'https://acme.awsapps.com/start' });
    expect(fake.requests[7]).toMatchObject({ grantType: 'urn:ietf:params:oauth:grant-type:device_code' });

    const log = JSON.stringify(fake.requests);
    const secrets = [...allSecrets(fake.seed), ...fake.issuedSecrets(), 'D'.repeat(40), '123456'];
    expect(secrets.length).toBeGreaterThan(10);
    for (const s of secrets) expect(log).not.toContain(s);
    expect(fake.calls('GetCallerIdentity')).toBe(2);
    fake.reset();
    expect(fake.requests).toEqual([]);
  });
});

describe('faults', () => {
  it('failNext fails the next call in the service’s own error format, then clears', async () => {
    const alice = userCreds(fake.seed, 'alice');
    fake.failNext('GetCallerIdentity', { status: 400, code: 'Throttling', message: 'Rate exceeded' });
    const e = await rejection(stsClient(fake, alice).send(new GetCallerIdentityCommand({})));
    expect(e).toMatchObject({ name: 'Throttling', message: 'Rate exceeded', status: 400 });
    // The SDK retries throttling; the second attempt goes through.
    fake.failNext('GetCallerIdentity', { status: 400, code: 'Throttling', message: 'Rate exceeded' });
    const ok = await stsClient(fake, alice, { maxAttempts: 3 }).send(new GetCallerIdentityCommand({}));
    expect(ok.$metadata.attempts).toBe(2);

    fake.failNext('CreateToken', { status: 400, code: 'SlowDownException' });
    const oidcErr = await rejection(oidcClient(fake).send(new CreateTokenCommand({ clientId: 'x', clientSecret: 'y', grantType: 'refresh_token' })));
    expect(oidcErr.name).toBe('SlowDownException');
    fake.failNext('*', { status: 503, code: 'ServiceUnavailable', message: 'down' }, 2);
    expect((await rejection(stsClient(fake, alice).send(new GetCallerIdentityCommand({})))).status).toBe(503);
    const { accessToken } = fake.sso.issueToken('alice@acme.example');
    const ssoErr = await rejection(
      ssoClient(fake).send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'ReadOnlyAccess' })),
    );
    expect(ssoErr).toMatchObject({ name: 'ServiceUnavailable', status: 503 });
    expect((await stsClient(fake, alice).send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
  });

  it('setLatency delays responses', async () => {
    fake.setLatency(150);
    try {
      const t = Date.now();
      await stsClient(fake, userCreds(fake.seed, 'alice')).send(new GetCallerIdentityCommand({}));
      expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    } finally {
      fake.setLatency(0);
    }
  });
});

describe('main.ts', () => {
  it('prints export lines and hints, serves, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/fake-aws/main.ts', '--port', '0'], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`main.ts did not start: ${out}`)), 20_000);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ctrl-C')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`main.ts exited early (${code}): ${out}`)));
    });
    const url = /export AWS_ENDPOINT_URL='(http:\/\/127\.0\.0\.1:\d+)'/.exec(out)?.[1];
    expect(url).toBeDefined();
    expect(out).toMatch(/export AWS_DATA_PATH='[^']+'/);
    expect(out).toContain('AKIAFAKEALICE0000001');
    expect(out).toContain('https://acme.awsapps.com/start');
    const res = await fetch(`${url}/assignment/accounts`);
    expect(res.status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe('require-tool helper', () => {
  const saved = process.env[REQUIRE_ALL_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[REQUIRE_ALL_ENV];
    else process.env[REQUIRE_ALL_ENV] = saved;
  });

  it('skips a missing tool with the reason in the title, unless everything is required', () => {
    delete process.env[REQUIRE_ALL_ENV];
    const missing = requireOrSkip('/nonexistent/tool', hasTool('/nonexistent/tool'));
    expect(missing.skip).toBe(true);
    // The label is also printed (the reporter hides skipped titles): caught here, as it is no real skip.
    const printed = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let label: string;
    let calls: unknown[][];
    try {
      label = missing.label('real tool');
    } finally {
      calls = [...printed.mock.calls];
      printed.mockRestore();
    }
    expect(label).toMatch(/^real tool \[skipped: \/nonexistent\/tool is not available; set AWSGUARD_TEST_REQUIRE_ALL=1/);
    expect(calls).toEqual([[`${label}\n`]]);
    expect(() => missing.assert()).toThrow(/required/);

    process.env[REQUIRE_ALL_ENV] = '1';
    const required = requireOrSkip('/nonexistent/tool', false);
    expect(required.skip).toBe(false);
    expect(required.label('real tool')).toBe('real tool');
    expect(() => required.assert()).toThrow(/AWSGUARD_TEST_REQUIRE_ALL=1/);

    const present = requireOrSkip(process.execPath, hasTool(process.execPath));
    expect(present).toMatchObject({ skip: false, available: true, reason: '' });
    expect(() => present.assert()).not.toThrow();
    expect(hasPython('surely_no_such_module_xyz')).toBe(false);
  });
});
