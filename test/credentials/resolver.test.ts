import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_ONLY_POLICY_ARN } from '../../src/credentials/types.js';
import { credentialFailure as failure, useResolverWorld } from '../support/resolve.js';
import { assertNoSecrets } from '../support/world.js';

const t = useResolverWorld();
const { resolve, whoami } = t;

describe('role chains', () => {
  it('walks alice -> 222 Deploy -> 333 Admin (MFA) -> 444 Admin (external id) in one go', async () => {
    const id = await whoami('prod-eu-admin');
    expect(id.arn).toMatch(/^arn:aws:sts::444444444444:assumed-role\/Admin\/awsguard-tester$/);
    expect(t.prompts).toEqual(['arn:aws:iam::111111111111:mfa/alice']);
    const assumed = t.w.fake.requests.filter((q) => q.action === 'AssumeRole' && q.status === 200).map((q) => q.roleArn);
    expect(assumed).toEqual(['arn:aws:iam::222222222222:role/Deploy', 'arn:aws:iam::333333333333:role/Admin', 'arn:aws:iam::444444444444:role/Admin']);
    expect(t.w.fake.requests.find((q) => q.roleArn === 'arn:aws:iam::444444444444:role/Admin')?.externalId).toBe('acme-ext-id');
  });

  it('reuses the shared stages of another profile', async () => {
    await resolve('prod-admin');
    const before = t.w.fake.calls('AssumeRole');
    await resolve('prod-eu-admin');
    expect(t.w.fake.calls('AssumeRole')).toBe(before + 1);
    expect(t.w.fake.calls('GetSessionToken')).toBe(1);
  });

  it('names the hop that failed', async () => {
    t.w.fake.revokeRole('arn:aws:iam::333333333333:role/Admin');
    const err = await failure(resolve('prod-admin'));
    expect(err.message).toMatch(/^prod-admin: assume role arn:aws:iam::333333333333:role\/Admin \(via staging-deploy\): AccessDenied: /);
    assertNoSecrets(err.message, t.w.secrets());
  });

  it('caps a chained role at one hour and says so', async () => {
    const r = await resolve('prod-admin', { durationSeconds: 7200 });
    expect(r.notes.join('\n')).toMatch(/role chaining/);
  });

  it('fetches again once the session is about to end', async () => {
    await resolve('staging-deploy');
    t.w.fake.clock.advance(3 * 3600);
    const r = await resolve('staging-deploy');
    expect(r.fromCache).toBe(false);
  });
});

describe('scoped sessions', () => {
  it('applies --read-only on the last AssumeRole hop', async () => {
    const r = await resolve('prod-readonly', { scope: { policyArns: [READ_ONLY_POLICY_ARN], readOnly: true } });
    expect(r.scoped).toBe(true);
    const last = t.w.fake.requests.filter((q) => q.action === 'AssumeRole').pop();
    expect(last?.policyArns).toEqual([READ_ONLY_POLICY_ARN]);
  });

  it('refuses to run an SSO profile unscoped when a scope was asked for', async () => {
    t.w.ssoLogin();
    const err = await failure(resolve('acme-dev', { scope: { policyArns: [READ_ONLY_POLICY_ARN], readOnly: true } }));
    expect(err.message).toContain('a session policy cannot be applied to the SSO role AdministratorAccess');
  });

  it('rejects a duration AWS would reject, before calling it', async () => {
    const err = await failure(resolve('ci', { durationSeconds: 60 }));
    expect(err.message).toContain('outside what AWS allows here (900s to 129600s)');
    expect(t.w.fake.requests).toHaveLength(0);
  });
});

describe('the cache', () => {
  it('makes one STS call for ten parallel requests', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, () => resolve('staging-deploy', { mfa: { code: '123456' } })));
    expect(new Set(all.map((r) => r.credentials.accessKeyId)).size).toBe(1);
    expect(t.w.fake.calls('AssumeRole')).toBe(1);
  });

  it('is private, and a cache others can read is refused', async () => {
    await resolve('ci');
    const dir = join(t.w.cacheDir, 'sessions');
    const [file] = readdirSync(dir);
    expect(readdirSync(dir)).toHaveLength(1);
    const { statSync } = await import('node:fs');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, file!)).mode & 0o777).toBe(0o600);
    assertNoSecrets(readFileSync(join(dir, file!), 'utf8'), t.w.fake.seed.users.flatMap((u) => u.accessKeys.map((k) => k.secretAccessKey)));
    chmodSync(dir, 0o750);
    await expect(resolve('ci')).rejects.toThrow(/refusing to use .*sessions: others can read it \(mode 0750\); run: chmod 700/);
    chmodSync(dir, 0o700);
    chmodSync(join(dir, file!), 0o640);
    await expect(resolve('ci')).rejects.toThrow(/others can read it \(mode 0640\)/);
  });

  it('ignores a corrupt entry and replaces it', async () => {
    await resolve('ci');
    const dir = join(t.w.cacheDir, 'sessions');
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), '{"version": 1, "credentials": {', { mode: 0o600 });
    const r = await resolve('ci');
    expect(r.fromCache).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, file!), 'utf8')).version).toBe(1);
  });
});

describe('--refresh', () => {
  it('gets new credentials instead of the cached ones', async () => {
    const first = await resolve('staging-deploy', { mfa: { code: '123456' } });
    const again = await resolve('staging-deploy', { mfa: { code: '123456' }, refresh: true });
    expect(again.fromCache).toBe(false);
    expect(again.credentials.accessKeyId).not.toBe(first.credentials.accessKeyId);
    expect(t.w.fake.calls('AssumeRole')).toBe(2);
  });

  it('works on the first run, before the cache directory exists', async () => {
    const fresh = await resolve('staging-deploy', { mfa: { code: '123456' }, refresh: true, cacheDir: join(t.w.cacheDir, 'not-yet') });
    expect(fresh.fromCache).toBe(false);
    expect(readdirSync(join(t.w.cacheDir, 'not-yet', 'sessions')).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
  });
});
