import { describe, expect, it } from 'vitest';
import { buildConfig, parseSections } from '../../src/config/load.js';
import { emptyCacheView } from '../../src/tui/cache-view.js';
import { rowsFromPortal, rowsFromProfiles } from '../../src/tui/rows.js';
import { protection } from '../../src/guard/protection.js';
import { parseSettings } from '../../src/guard/settings.js';

function cfg(config: string, credentials = '') {
  return buildConfig('/c', parseSections(config, '/c', 'config'), '/k', parseSections(credentials, '/k', 'credentials'));
}

const CONFIG = `
[sso-session org]
sso_start_url = https://org.awsapps.com/start
sso_region = eu-west-1

[profile acme-prod]
sso_session = org
sso_account_id = 222222222222
sso_role_name = AdministratorAccess
region = eu-west-1

[profile deploy]
role_arn = arn:aws:iam::333333333333:role/ci/Deploy
source_profile = me
region = us-east-1

[profile broken]
role_arn = arn:aws:iam::444444444444:role/X
source_profile = nobody

[profile tool]
credential_process = /bin/tool
`;
const CREDENTIALS = `[me]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n`;

describe('rowsFromProfiles', () => {
  it('describes each profile: account, role, region, source and protection, in config order', () => {
    const rows = rowsFromProfiles(cfg(CONFIG, CREDENTIALS), { cache: emptyCacheView() });
    expect(rows.map((r) => r.profile)).toEqual(['acme-prod', 'deploy', 'broken', 'tool', 'me']);
    expect(rows[0]).toEqual({
      profile: 'acme-prod',
      accountId: '222222222222',
      alias: undefined,
      role: 'AdministratorAccess',
      region: 'eu-west-1',
      source: 'sso',
      protected: true,
      sessionExpires: undefined,
    });
    expect(rows[1]).toMatchObject({ accountId: '333333333333', role: 'Deploy', source: 'role', protected: false });
    expect(rows[2]).toMatchObject({ source: 'broken', accountId: undefined });
    expect(rows[3]).toMatchObject({ source: 'process', accountId: undefined, role: undefined });
    expect(rows[4]).toMatchObject({ source: 'keys' });
  });

  it('adds what the caches know: session expiry, identity for profiles the config cannot place, aliases', () => {
    const cache = emptyCacheView();
    cache.sessions.set('acme-prod', 1_000);
    cache.identities.set('me', { accountId: '999999999999' });
    cache.aliases.set('222222222222', 'acme-production');
    cache.aliases.set('333333333333', 'ci-live');
    const rows = rowsFromProfiles(cfg(CONFIG, CREDENTIALS), { cache, settingsAliases: new Map([['333333333333', 'ci-tools']]) });
    expect(rows[0]).toMatchObject({ alias: 'acme-production', sessionExpires: 1_000 });
    // Settings win over the cache, and protection follows the alias shown.
    expect(rows[1]).toMatchObject({ alias: 'ci-tools', protected: false });
    expect(rows[4]).toMatchObject({ accountId: '999999999999' });
  });

  it('marks a profile protected by its alias too', () => {
    const cache = emptyCacheView();
    cache.aliases.set('333333333333', 'payments-live');
    expect(rowsFromProfiles(cfg(CONFIG, CREDENTIALS), { cache })[1]).toMatchObject({ profile: 'deploy', protected: true });
  });

  it("follows the guard's rules when given them: listed accounts and settings aliases", () => {
    const settings = parseSettings('[protect]\naccounts = 333333333333\npatterns = prod\n[aliases]\n333333333333 = acme-deploy\n', '/s');
    const rows = rowsFromProfiles(cfg(CONFIG, CREDENTIALS), {
      cache: emptyCacheView(),
      settingsAliases: settings.aliases,
      isProtected: ({ accountId, alias, profile }) => protection(settings, { accountId: accountId ?? '', profile, ...(alias ? { alias } : {}) }).protected,
    });
    const byName = Object.fromEntries(rows.map((r) => [r.profile, r]));
    expect(byName.deploy!.protected).toBe(true); // account listed in [protect]
    expect(byName['acme-prod']!.protected).toBe(true); // "prod" pattern
    expect(byName.deploy!.alias).toBe('acme-deploy');
    expect(byName.broken!.protected).toBe(false);
    expect(byName.tool!.protected).toBe(false);
  });
});

describe('rowsFromPortal', () => {
  const listing = {
    startUrl: 'https://org.awsapps.com/start',
    session: 'org',
    fetchedAt: '2026-11-23T00:00:00Z',
    accounts: [
      { accountId: '222222222222', accountName: 'acme-prod', roles: ['AdministratorAccess', 'ReadOnlyAccess'] },
      { accountId: '777777777777', accountName: 'acme logging', roles: ['ReadOnlyAccess'] },
    ],
  };

  it('adds a row per account and role no profile reaches, named as an ephemeral profile', () => {
    const config = cfg(CONFIG, CREDENTIALS);
    const profiles = rowsFromProfiles(config, { cache: emptyCacheView() });
    const rows = rowsFromPortal([{ session: 'org', listing }], profiles, { cache: emptyCacheView() });
    // acme-prod/AdministratorAccess is the profile acme-prod: not listed twice.
    expect(rows.map((r) => r.profile)).toEqual(['sso:org/222222222222/ReadOnlyAccess', 'sso:org/777777777777/ReadOnlyAccess']);
    expect(rows[0]).toMatchObject({ accountId: '222222222222', alias: 'acme-prod', role: 'ReadOnlyAccess', source: 'sso', ephemeral: true, protected: true });
    expect(rows[1]).toMatchObject({ alias: 'acme logging', protected: false, region: undefined });
  });

  it("lets the settings' and IAM's aliases win over the portal's account name, and shows live sessions", () => {
    const cache = emptyCacheView();
    cache.aliases.set('777777777777', 'logs-iam');
    cache.sessions.set('sso:org/777777777777/ReadOnlyAccess', 1234);
    const rows = rowsFromPortal([{ session: 'org', listing }], [], { cache, settingsAliases: new Map([['222222222222', 'payments']]) });
    expect(rows.map((r) => r.alias)).toEqual(['payments', 'payments', 'logs-iam']);
    expect(rows[2]!.sessionExpires).toBe(1234);
  });
});
