import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAwsConfig } from '../../src/config/load.js';
import { resolveProfile, type ResolveOptions } from '../../src/credentials/resolver.js';
import { identify, principalName } from '../../src/guard/identity.js';
import { assumedIdentity, getCallerIdentity } from '../../src/credentials/sts.js';
import { createWorld, type World } from '../support/world.js';

let w: World;
beforeEach(async () => {
  w = await createWorld();
});
afterEach(async () => w.close());

const opts = (): ResolveOptions => ({ env: w.env, now: w.now, cacheDir: w.cacheDir, mfa: { code: '123456' } });
const run = async (profile: string, aliases?: Map<string, string>) => {
  const res = await resolveProfile(loadAwsConfig({ env: w.env }), profile, opts());
  return identify(res, { env: w.env, now: w.now, cacheDir: w.cacheDir, ...(aliases ? { settingsAliases: aliases } : {}) });
};

describe('identify', () => {
  it('finds the real account, role and alias, and caches them with the session', async () => {
    const id = await run('staging-deploy');
    expect(id).toMatchObject({ accountId: '222222222222', alias: 'acme-staging', aliasSource: 'iam', principal: 'Deploy' });
    const calls = w.fake.requests.length;
    const again = await run('staging-deploy');
    expect(again).toMatchObject({ accountId: '222222222222', alias: 'acme-staging' });
    expect(w.fake.requests.length).toBe(calls);
  });

  it('takes a role session\'s identity from the AssumeRole answer: what GetCallerIdentity says, without asking it', async () => {
    const res = await resolveProfile(loadAwsConfig({ env: w.env }), 'staging-deploy', opts());
    expect(w.fake.calls('AssumeRole')).toBe(1);
    const id = await identify(res, { env: w.env, now: w.now, cacheDir: w.cacheDir });
    expect(w.fake.calls('GetCallerIdentity')).toBe(0);
    const asked = await getCallerIdentity({ env: w.env, region: 'eu-west-1', profile: 'staging-deploy' }, res.credentials);
    expect({ accountId: id.accountId, arn: id.arn, userId: id.userId }).toEqual(asked);
    expect(asked.arn).toMatch(/^arn:aws:sts::222222222222:assumed-role\/Deploy\//);
    // A chain that ends in a session token (no role) still asks.
    await identify(await resolveProfile(loadAwsConfig({ env: w.env }), 'ci', opts()), { env: w.env, now: w.now, cacheDir: w.cacheDir });
    expect(w.fake.calls('GetCallerIdentity')).toBe(2);
  });

  it('reads an identity only from a plain assumed-role ARN with its session id', () => {
    const user = { Arn: 'arn:aws:sts::123456789012:assumed-role/Admin/awsguard-me', AssumedRoleId: 'AROAEXAMPLE:awsguard-me' };
    expect(assumedIdentity(user)).toEqual({ accountId: '123456789012', arn: user.Arn, userId: user.AssumedRoleId });
    expect(assumedIdentity({ ...user, Arn: 'arn:aws-cn:sts::123456789012:assumed-role/Admin/s' })?.accountId).toBe('123456789012');
    for (const arn of ['arn:aws:iam::123456789012:user/alice', 'arn:aws:sts::12345:assumed-role/Admin/s', 'arn:aws:sts::123456789012:assumed-role/Admin', 'arn:aws:sts::123456789012:federated-user/x', '']) {
      expect(assumedIdentity({ ...user, Arn: arn })).toBeUndefined();
    }
    expect(assumedIdentity({ Arn: user.Arn })).toBeUndefined();
    expect(assumedIdentity(undefined)).toBeUndefined();
  });

  it('says the alias is unknown, and remembers nothing, when the role may not list aliases; the settings name it', async () => {
    const unknown = await run('sandbox');
    expect(unknown).toMatchObject({ accountId: '555555555555', aliasSource: 'unknown', aliasError: 'AccessDenied from iam:ListAccountAliases' });
    expect(unknown.alias).toBeUndefined();
    // A denial says nothing about the alias: the next run asks again instead of trusting "none".
    const calls = w.fake.calls('ListAccountAliases');
    expect((await run('sandbox')).aliasSource).toBe('unknown');
    expect(w.fake.calls('ListAccountAliases')).toBe(calls + 1);
    const named = await run('sandbox', new Map([['555555555555', 'acme-sandbox']]));
    expect(named).toMatchObject({ alias: 'acme-sandbox', aliasSource: 'settings' });
  });

  it('takes "no alias" from IAM as an answer, and remembers it', async () => {
    w.fake.seed.roles.push({ arn: 'arn:aws:iam::555555555555:role/Lister', roleId: 'AROAFAKELISTER000001', trust: { principals: ['111111111111'] }, allow: ['iam:List*', 'sts:GetCallerIdentity'] });
    const config = `[profile alice]\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n[profile lister]\nrole_arn = arn:aws:iam::555555555555:role/Lister\nsource_profile = alice\n`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(w.env.AWS_CONFIG_FILE!, config);
    const none = await run('lister');
    expect(none).toMatchObject({ accountId: '555555555555', aliasSource: 'none' });
    const calls = w.fake.calls('ListAccountAliases');
    expect((await run('lister')).aliasSource).toBe('none');
    expect(w.fake.calls('ListAccountAliases')).toBe(calls);
  });

  it('asks with the unscoped role, so a scope that may not list aliases still learns it', async () => {
    const res = await resolveProfile(loadAwsConfig({ env: w.env }), 'prod-readonly', {
      ...opts(),
      scope: { policyArns: [], readOnly: false, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) },
    });
    expect(res.scoped).toBe(true);
    const id = await identify(res, { env: w.env, now: w.now, cacheDir: w.cacheDir });
    expect(id).toMatchObject({ accountId: '333333333333', alias: 'acme-prod', aliasSource: 'iam' });
  });

  it('never takes an alias that breaks AWS\'s alias rule', async () => {
    const { isValidAccountAlias } = await import('../../src/guard/alias-rule.js');
    for (const ok of ['acme-prod', 'a1b', 'x'.repeat(63)]) expect(isValidAccountAlias(ok), ok).toBe(true);
    for (const bad of ['ab', 'Acme', '-acme', 'acme-', 'ac--me', 'acme\x1b[2J', 'acme\u202eprod', 'x'.repeat(64), 'acme prod']) expect(isValidAccountAlias(bad), bad).toBe(false);
  });

  it('reads principal names from ARNs', () => {
    expect(principalName('arn:aws:sts::1:assumed-role/Admin/me')).toBe('Admin');
    expect(principalName('arn:aws:iam::1:user/alice')).toBe('alice');
    expect(principalName('arn:aws:sts::1:federated-user/bob')).toBe('bob');
    expect(principalName('arn:aws:sts::1:assumed-role/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef/alice@x')).toBe('ReadOnlyAccess');
  });
});
