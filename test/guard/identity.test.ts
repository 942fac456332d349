import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAwsConfig } from '../../src/config/load.js';
import { resolveProfile, type ResolveOptions } from '../../src/credentials/resolver.js';
import { identify, principalName } from '../../src/guard/identity.js';
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
