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

  it('falls back to the settings alias, then the account id, when the role may not list aliases', async () => {
    const none = await run('sandbox');
    expect(none).toMatchObject({ accountId: '555555555555', aliasSource: 'none' });
    expect(none.alias).toBeUndefined();
    // The refusal is remembered with the session: the next run asks IAM nothing.
    const calls = w.fake.calls('ListAccountAliases');
    await run('sandbox');
    expect(w.fake.calls('ListAccountAliases')).toBe(calls);
    const named = await run('sandbox', new Map([['555555555555', 'acme-sandbox']]));
    expect(named).toMatchObject({ alias: 'acme-sandbox', aliasSource: 'settings' });
  });

  it('reads principal names from ARNs', () => {
    expect(principalName('arn:aws:sts::1:assumed-role/Admin/me')).toBe('Admin');
    expect(principalName('arn:aws:iam::1:user/alice')).toBe('alice');
    expect(principalName('arn:aws:sts::1:federated-user/bob')).toBe('bob');
    expect(principalName('arn:aws:sts::1:assumed-role/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef/alice@x')).toBe('ReadOnlyAccess');
  });
});
