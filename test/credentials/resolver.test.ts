import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAwsConfig } from '../../src/config/load.js';
import { resolveProfile, resolveEnvironment, type ResolveOptions } from '../../src/credentials/resolver.js';
import { getCallerIdentity } from '../../src/credentials/sts.js';
import { READ_ONLY_POLICY_ARN } from '../../src/credentials/types.js';
import { CredentialError } from '../../src/errors.js';
import { assertNoSecrets, createWorld, type World } from '../support/world.js';

let w: World;
let prompts: string[];

function opts(extra: Partial<ResolveOptions> = {}): ResolveOptions {
  return {
    env: w.env,
    now: w.now,
    cacheDir: w.cacheDir,
    mfa: {
      prompt: async (serial) => {
        prompts.push(serial);
        return '123456';
      },
    },
    ...extra,
  };
}
const resolve = (profile: string, extra: Partial<ResolveOptions> = {}) => resolveProfile(loadAwsConfig({ env: w.env }), profile, opts(extra));
const whoami = async (profile: string, extra: Partial<ResolveOptions> = {}) => {
  const r = await resolve(profile, extra);
  return getCallerIdentity({ env: w.env, region: 'us-east-1', profile }, r.credentials);
};

async function failure(p: Promise<unknown>): Promise<CredentialError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CredentialError);
    return err as CredentialError;
  }
  throw new Error('expected a CredentialError');
}

beforeEach(async () => {
  w = await createWorld();
  prompts = [];
});
afterEach(async () => w.close());

describe('static keys', () => {
  it('never hands on long-term keys: a session token from GetSessionToken, cached', async () => {
    const r = await resolve('ci');
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(r.credentials.sessionToken).toBeTruthy();
    expect(r.fromCache).toBe(false);
    expect(w.fake.calls('GetSessionToken')).toBe(1);
    const again = await resolve('ci');
    expect(again.fromCache).toBe(true);
    expect(again.credentials.accessKeyId).toBe(r.credentials.accessKeyId);
    expect(w.fake.calls('GetSessionToken')).toBe(1);
    expect((await whoami('ci')).arn).toBe('arn:aws:iam::111111111111:user/ci-bot');
  });

  it('asks for the MFA code of mfa_serial once, then reuses the MFA session', async () => {
    const r = await resolve('alice');
    expect(prompts).toEqual(['arn:aws:iam::111111111111:mfa/alice']);
    expect(w.fake.requests.find((q) => q.action === 'GetSessionToken')?.serialNumber).toBe('arn:aws:iam::111111111111:mfa/alice');
    await resolve('alice');
    expect(prompts).toHaveLength(1);
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
  });

  it('fails a wrong MFA code the way AWS does, naming the step', async () => {
    const err = await failure(resolve('alice', { mfa: { code: '000000' } }));
    expect(err.message).toMatch(/^alice: get session token with MFA \(alice\): AccessDenied: MultiFactorAuthentication failed/);
  });

  it('without a terminal and no --mfa-code, says how to pass one', async () => {
    const err = await failure(resolve('alice', { mfa: {} }));
    expect(err.message).toContain('needs an MFA code for arn:aws:iam::111111111111:mfa/alice: pass --mfa-code');
  });
});

describe('role chains', () => {
  it('walks alice -> 222 Deploy -> 333 Admin (MFA) -> 444 Admin (external id) in one go', async () => {
    const id = await whoami('prod-eu-admin');
    expect(id.arn).toMatch(/^arn:aws:sts::444444444444:assumed-role\/Admin\/awsguard-tester$/);
    expect(prompts).toEqual(['arn:aws:iam::111111111111:mfa/alice']);
    const assumed = w.fake.requests.filter((q) => q.action === 'AssumeRole' && q.status === 200).map((q) => q.roleArn);
    expect(assumed).toEqual(['arn:aws:iam::222222222222:role/Deploy', 'arn:aws:iam::333333333333:role/Admin', 'arn:aws:iam::444444444444:role/Admin']);
    expect(w.fake.requests.find((q) => q.roleArn === 'arn:aws:iam::444444444444:role/Admin')?.externalId).toBe('acme-ext-id');
  });

  it('reuses the shared stages of another profile', async () => {
    await resolve('prod-admin');
    const before = w.fake.calls('AssumeRole');
    await resolve('prod-eu-admin');
    expect(w.fake.calls('AssumeRole')).toBe(before + 1);
    expect(w.fake.calls('GetSessionToken')).toBe(1);
  });

  it('names the hop that failed', async () => {
    w.fake.revokeRole('arn:aws:iam::333333333333:role/Admin');
    const err = await failure(resolve('prod-admin'));
    expect(err.message).toMatch(/^prod-admin: assume role arn:aws:iam::333333333333:role\/Admin \(via staging-deploy\): AccessDenied: /);
    assertNoSecrets(err.message, w.secrets());
  });

  it('caps a chained role at one hour and says so', async () => {
    const r = await resolve('prod-admin', { durationSeconds: 7200 });
    expect(r.notes.join('\n')).toMatch(/role chaining/);
  });

  it('fetches again once the session is about to end', async () => {
    await resolve('staging-deploy');
    w.fake.clock.advance(3 * 3600);
    const r = await resolve('staging-deploy');
    expect(r.fromCache).toBe(false);
  });
});

describe('scoped sessions', () => {
  it('applies --read-only on the last AssumeRole hop', async () => {
    const r = await resolve('prod-readonly', { scope: { policyArns: [READ_ONLY_POLICY_ARN], readOnly: true } });
    expect(r.scoped).toBe(true);
    const last = w.fake.requests.filter((q) => q.action === 'AssumeRole').pop();
    expect(last?.policyArns).toEqual([READ_ONLY_POLICY_ARN]);
  });

  it('uses GetFederationToken for a static-key profile and says what it cannot do', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const r = await resolve('ci', { scope: { policy, policyArns: [], readOnly: false } });
    expect(w.fake.calls('GetFederationToken')).toBe(1);
    expect(r.notes.join('\n')).toContain('cannot call IAM');
    expect((await getCallerIdentity({ env: w.env, region: 'us-east-1', profile: 'ci' }, r.credentials)).arn).toMatch(/federated-user/);
  });

  it('refuses to run an SSO profile unscoped when a scope was asked for', async () => {
    w.ssoLogin();
    const err = await failure(resolve('acme-dev', { scope: { policyArns: [READ_ONLY_POLICY_ARN], readOnly: true } }));
    expect(err.message).toContain('a session policy cannot be applied to the SSO role AdministratorAccess');
  });

  it('rejects a duration AWS would reject, before calling it', async () => {
    const err = await failure(resolve('ci', { durationSeconds: 60 }));
    expect(err.message).toContain('outside what AWS allows here (900s to 129600s)');
    expect(w.fake.requests).toHaveLength(0);
  });
});

describe('SSO', () => {
  it('uses the AWS CLI token cache and GetRoleCredentials', async () => {
    w.ssoLogin();
    const id = await whoami('acme-dev');
    expect(id.arn).toMatch(/^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]+\/alice@acme.example$/);
  });

  it('refreshes an access token about to expire with its refresh token, and writes it back', async () => {
    w.ssoLogin({ expiresInSeconds: 300 });
    const dir = join(w.home, '.aws', 'sso', 'cache');
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    const before = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { accessToken: string };
    await resolve('acme-staging');
    const after = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { accessToken: string; expiresAt: string };
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(new Date(after.expiresAt).getTime()).toBeGreaterThan(w.now() + 3000_000);
    expect(w.fake.calls('CreateToken')).toBe(1);
  });

  it('asks to log in when there is no token, or it expired with no way to refresh', async () => {
    let err = await failure(resolve('acme-dev'));
    expect(err.message).toBe('acme-dev: sso token for acme: NotLoggedIn: not logged in; run: awsguard login --sso-session acme');
    w.ssoLogin({ refresh: false, expiresInSeconds: 60 });
    w.fake.clock.advance(120);
    err = await failure(resolve('acme-dev'));
    expect(err.message).toContain('the SSO session has expired; run: awsguard login --sso-session acme');
  });
});

describe('credential_process', () => {
  function withProcess(script: string): string {
    const path = join(w.home, 'creds.sh');
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    writeFileSync(w.env.AWS_CONFIG_FILE!, `[profile proc]\ncredential_process = ${path} --flag "two words"\nregion = eu-west-1\n`);
    return path;
  }

  it('turns long-term keys from the process into a session', async () => {
    withProcess(`echo '{"Version": 1, "AccessKeyId": "AKIAFAKECIBOT0000001", "SecretAccessKey": "FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu"}'`);
    const r = await resolve('proc');
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(w.fake.calls('GetSessionToken')).toBe(1);
  });

  it('explains a failure with its stderr, and never shows its stdout', async () => {
    withProcess(`echo '{"SecretAccessKey": "FAKEsecretprintedbyprocess0000000000000' ; echo 'token expired, run sso-tool login' >&2; exit 3`);
    const err = await failure(resolve('proc'));
    expect(err.message).toContain('failed (exit code 3); it said:\n  token expired, run sso-tool login');
    expect(err.message).not.toContain('FAKEsecret');
    withProcess(`echo 'not json FAKEsecretprintedbyprocess0000000000000'`);
    const garbage = await failure(resolve('proc'));
    expect(garbage.message).toMatch(/printed something that is not JSON/);
    expect(garbage.message).not.toContain('FAKEsecret');
  });

  it('stops a process that hangs', async () => {
    withProcess('sleep 30');
    const started = Date.now();
    const err = await failure(resolve('proc', { processTimeoutMs: 300 }));
    expect(err.message).toContain("did not finish within 0.3s and was stopped");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('the cache', () => {
  it('makes one STS call for ten parallel requests', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, () => resolve('staging-deploy', { mfa: { code: '123456' } })));
    expect(new Set(all.map((r) => r.credentials.accessKeyId)).size).toBe(1);
    expect(w.fake.calls('AssumeRole')).toBe(1);
  });

  it('is private, and a cache others can read is refused', async () => {
    await resolve('ci');
    const dir = join(w.cacheDir, 'sessions');
    const [file] = readdirSync(dir);
    expect(readdirSync(dir)).toHaveLength(1);
    const { statSync } = await import('node:fs');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, file!)).mode & 0o777).toBe(0o600);
    assertNoSecrets(readFileSync(join(dir, file!), 'utf8'), w.fake.seed.users.flatMap((u) => u.accessKeys.map((k) => k.secretAccessKey)));
    chmodSync(dir, 0o750);
    await expect(resolve('ci')).rejects.toThrow(/refusing to use .*sessions: others can read it \(mode 0750\); run: chmod 700/);
    chmodSync(dir, 0o700);
    chmodSync(join(dir, file!), 0o640);
    await expect(resolve('ci')).rejects.toThrow(/others can read it \(mode 0640\)/);
  });

  it('ignores a corrupt entry and replaces it', async () => {
    await resolve('ci');
    const dir = join(w.cacheDir, 'sessions');
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), '{"version": 1, "credentials": {', { mode: 0o600 });
    const r = await resolve('ci');
    expect(r.fromCache).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, file!), 'utf8')).version).toBe(1);
  });
});

describe('environment credentials', () => {
  it('turns long-term keys from the environment into a session', async () => {
    const env = { ...w.env, AWS_ACCESS_KEY_ID: 'AKIAFAKECIBOT0000001', AWS_SECRET_ACCESS_KEY: 'FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu' };
    const r = await resolveEnvironment(opts({ env }));
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
  });
});

describe('--refresh', () => {
  it('gets new credentials instead of the cached ones', async () => {
    const first = await resolve('staging-deploy', { mfa: { code: '123456' } });
    const again = await resolve('staging-deploy', { mfa: { code: '123456' }, refresh: true });
    expect(again.fromCache).toBe(false);
    expect(again.credentials.accessKeyId).not.toBe(first.credentials.accessKeyId);
    expect(w.fake.calls('AssumeRole')).toBe(2);
  });
});
