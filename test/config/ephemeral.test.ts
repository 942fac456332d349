import { describe, expect, it } from 'vitest';
import { resolveChain } from '../../src/config/chain.js';
import { ephemeralName, parseEphemeral } from '../../src/config/ephemeral.js';
import { buildConfig, parseSections } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const CONFIG = `[sso-session my/org]
sso_start_url = https://org.awsapps.com/start
sso_region = eu-west-1

[profile sso:my/org/111111111111/Admin]
region = us-east-1
credential_process = /bin/true
`;
const config = () => buildConfig('/c', parseSections(CONFIG, '/c', 'config'), '/k', undefined);

describe('ephemeral profiles', () => {
  it('names an account and role of a session, and reads the name back from the right', () => {
    const ref = { session: 'my/org', accountId: '222222222222', role: 'ReadOnlyAccess' };
    expect(ephemeralName(ref)).toBe('sso:my/org/222222222222/ReadOnlyAccess');
    expect(parseEphemeral(ephemeralName(ref))).toEqual(ref);
    for (const name of ['acme-dev', 'sso:', 'sso:org', 'sso:org/1', 'sso:/1/R', 'sso:org/1/']) expect(parseEphemeral(name)).toBeUndefined();
  });

  it('resolves to an SSO chain through the named session, without a profile written', () => {
    const c = config();
    const chain = resolveChain(c, 'sso:my/org/222222222222/ReadOnlyAccess');
    expect(chain.roles).toEqual([]);
    expect(chain.base).toMatchObject({ kind: 'sso', session: 'my/org', startUrl: 'https://org.awsapps.com/start', region: 'eu-west-1', accountId: '222222222222', roleName: 'ReadOnlyAccess' });
    // Found again like any profile, pointing at the session's section.
    expect(c.profiles.get('sso:my/org/222222222222/ReadOnlyAccess')?.origin).toMatchObject({ file: '/c', line: 1 });
  });

  it('loses to a profile of the same name in the config', () => {
    expect(resolveChain(config(), 'sso:my/org/111111111111/Admin').base.kind).toBe('process');
  });

  it('says what is wrong with a bad one', () => {
    expect(() => resolveChain(config(), 'sso:my/orgg/222222222222/X')).toThrow(/no \[sso-session my\/orgg\] section \(did you mean my\/org\?\)/);
    expect(() => resolveChain(config(), 'sso:my/org/2222/X')).toThrow(ConfigError);
    expect(() => resolveChain(config(), 'sso:my/org/2222/X')).toThrow(/not an account id/);
  });
});
