import { describe, expect, it } from 'vitest';
import { buildConfig, parseSections } from '../../src/config/load.js';
import { chainAccountId, describeChain, resolveChain } from '../../src/config/chain.js';
import { ConfigError, ProfileNotFoundError } from '../../src/errors.js';

function cfg(config: string, credentials = '') {
  return buildConfig('/c', parseSections(config, '/c', 'config'), '/k', parseSections(credentials, '/k', 'credentials'));
}
const keys = (name: string) => `[${name}]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n`;

describe('resolveChain', () => {
  it('follows a three-hop role chain from the base outwards', () => {
    const c = cfg(
      `[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = base\nexternal_id = ext\n` +
        `[profile b]\nrole_arn = arn:aws:iam::222222222222:role/B\nsource_profile = a\nmfa_serial = arn:aws:iam::1:mfa/x\nduration_seconds = 1800\n` +
        `[profile c]\nrole_arn = arn:aws:iam::333333333333:role/C\nsource_profile = b\nrole_session_name = me\n`,
      keys('base'),
    );
    const chain = resolveChain(c, 'c');
    expect(chain.base).toMatchObject({ kind: 'static', profile: 'base', file: 'credentials', sessionToken: false });
    expect(chain.roles.map((r) => r.profile)).toEqual(['a', 'b', 'c']);
    expect(chain.roles[0]).toMatchObject({ externalId: 'ext' });
    expect(chain.roles[1]).toMatchObject({ mfaSerial: 'arn:aws:iam::1:mfa/x', durationSeconds: 1800 });
    expect(chain.roles[2]).toMatchObject({ roleSessionName: 'me' });
    expect(chainAccountId(chain)).toBe('333333333333');
    expect(describeChain(chain)).toBe('role C <- role B <- role A <- keys (base)');
  });

  it('uses the static keys of a source profile that also has role_arn, as botocore does', () => {
    const c = cfg(
      `[profile top]\nrole_arn = arn:aws:iam::1:role/T\nsource_profile = mid\n[profile mid]\nrole_arn = arn:aws:iam::1:role/M\nsource_profile = nowhere\n`,
      keys('mid'),
    );
    const chain = resolveChain(c, 'top');
    expect(chain.roles.map((r) => r.profile)).toEqual(['top']);
    expect(chain.base).toMatchObject({ kind: 'static', profile: 'mid' });
  });

  it('allows a profile to source its own static keys, and names real cycles', () => {
    const self = cfg(`[profile s]\nrole_arn = arn:aws:iam::1:role/S\nsource_profile = s\n`, keys('s'));
    expect(resolveChain(self, 's').base).toMatchObject({ kind: 'static', profile: 's' });
    const selfNoKeys = cfg(`[profile s]\nrole_arn = arn:aws:iam::1:role/S\nsource_profile = s\n`);
    expect(() => resolveChain(selfNoKeys, 's')).toThrow(/source_profile cycle: s -> s/);
    const cyc = cfg(
      `[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = c\n[profile c]\nrole_arn = arn:aws:iam::1:role/C\nsource_profile = b\n`,
    );
    expect(() => resolveChain(cyc, 'a')).toThrow(/source_profile cycle: b -> c -> b/);
  });

  it('suggests the profile that was meant, with file and line', () => {
    const c = cfg(`[profile prod-admin]\nregion = x\n[profile p]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = prod-admn\n`);
    expect(() => resolveChain(c, 'p')).toThrow('/c:5: source_profile "prod-admn" in profile "p" does not exist (did you mean prod-admin?)');
    let err: unknown;
    try {
      resolveChain(c, 'prod-admn');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProfileNotFoundError);
    expect((err as Error).message).toBe('profile "prod-admn" not found (did you mean prod-admin?)');
  });

  it('checks credential_source and the role settings', () => {
    expect(resolveChain(cfg(`[profile e]\nrole_arn = arn:aws:iam::1:role/E\ncredential_source = Environment\n`), 'e').base).toMatchObject({
      kind: 'credential-source',
      source: 'Environment',
    });
    expect(() => resolveChain(cfg(`[profile e]\nrole_arn = arn:aws:iam::1:role/E\ncredential_source = Laptop\n`), 'e')).toThrow(/credential_source "Laptop"/);
    expect(() => resolveChain(cfg(`[profile e]\nrole_arn = arn:aws:iam::1:role/E\ncredential_source = Environment\nsource_profile = x\n`), 'e')).toThrow(/both source_profile and credential_source/);
    expect(() => resolveChain(cfg(`[profile e]\nrole_arn = arn:aws:iam::1:role/E\n`), 'e')).toThrow(/neither source_profile nor credential_source/);
  });

  it('reads SSO from sso-session sections and the legacy inline form', () => {
    const c = cfg(
      `[sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\nsso_region = eu-west-1\n` +
        `[profile new]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = Admin\n` +
        `[profile old]\nsso_start_url = https://old/start\nsso_region = us-east-1\nsso_account_id = 222222222222\nsso_role_name = Read\n` +
        `[profile typo]\nsso_session = acm\nsso_account_id = 1\nsso_role_name = R\n` +
        `[profile clash]\nsso_session = acme\nsso_start_url = https://other\nsso_account_id = 1\nsso_role_name = R\n` +
        `[profile half]\nsso_account_id = 1\n`,
    );
    expect(resolveChain(c, 'new').base).toEqual({
      kind: 'sso',
      profile: 'new',
      session: 'acme',
      startUrl: 'https://acme.awsapps.com/start',
      region: 'eu-west-1',
      accountId: '111111111111',
      roleName: 'Admin',
    });
    expect(resolveChain(c, 'old').base).toMatchObject({ kind: 'sso', startUrl: 'https://old/start', accountId: '222222222222' });
    expect(() => resolveChain(c, 'typo')).toThrow(/did you mean acme\?/);
    expect(() => resolveChain(c, 'clash')).toThrow(/sso_start_url of profile "clash" differs/);
    expect(() => resolveChain(c, 'half')).toThrow(/missing sso_start_url, sso_region, sso_role_name/);
  });

  it('orders providers as botocore: credentials-file keys, then credential_process, then config-file keys', () => {
    const both = cfg(`[profile p]\ncredential_process = /bin/get-creds\n`, keys('p'));
    expect(resolveChain(both, 'p').base).toMatchObject({ kind: 'static', file: 'credentials' });
    const inConfig = cfg(`[profile p]\ncredential_process = /bin/get-creds\naws_access_key_id = A\naws_secret_access_key = s\n`);
    expect(resolveChain(inConfig, 'p').base).toMatchObject({ kind: 'process', command: '/bin/get-creds' });
    const session = cfg('', `[t]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = tok\n`);
    expect(resolveChain(session, 't').base).toMatchObject({ kind: 'static', sessionToken: true });
    const web = cfg(`[profile w]\nrole_arn = arn:aws:iam::1:role/W\nweb_identity_token_file = /tok\n`);
    expect(resolveChain(web, 'w').base).toMatchObject({ kind: 'web-identity', tokenFile: '/tok' });
    expect(resolveChain(cfg(`[profile n]\nregion = x\n`), 'n').base.kind).toBe('none');
    expect(() => resolveChain(cfg('', `[h]\naws_access_key_id = A\n`), 'h')).toThrow(ConfigError);
  });
});
