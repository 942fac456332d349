import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAwsConfig } from '../../src/config/load.js';
import { resolveProfile } from '../../src/credentials/resolver.js';
import { isValidAccountAlias } from '../../src/guard/alias-rule.js';
import { identify } from '../../src/guard/identity.js';
import { createWorld, type World } from '../support/world.js';

describe('isValidAccountAlias: AWS rule (botocore accountAliasType)', () => {
  it.each(['acme-prod', 'abc', 'a1-b2-c3', '123', 'a'.repeat(63)])('accepts %j', (alias) => expect(isValidAccountAlias(alias)).toBe(true));
  it.each(['ab', 'a'.repeat(64), 'Acme-prod', '-acme', 'acme-', 'acme--prod', 'acme_prod', 'acme.prod', 'acme prod', 'acme\x1b]0;x\x07', 'acme\nprod', 'acme\u202eprod', 'ac\x9bme', 'ácme', ''])(
    'refuses %j',
    (alias) => expect(isValidAccountAlias(alias)).toBe(false),
  );
});

describe('identify with an alias IAM would never have created', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(async () => w.close());

  it('does not use it: the alias counts as unknown, so the account is protected and confirmed by its id', async () => {
    w.fake.answerAliasAs('222222222222', 'acme\x1b]0;title\x07\r\nSTAGING');
    const res = await resolveProfile(loadAwsConfig({ env: w.env }), 'staging-deploy', { env: w.env, now: w.now, cacheDir: w.cacheDir, mfa: { code: '123456' } });
    const id = await identify(res, { env: w.env, now: w.now, cacheDir: w.cacheDir });
    expect(w.fake.calls('ListAccountAliases')).toBe(1);
    expect(id).toMatchObject({ accountId: '222222222222', aliasSource: 'unknown', aliasError: "IAM answered an alias that breaks AWS's alias rules" });
    expect(id.alias).toBeUndefined();
  });
});
