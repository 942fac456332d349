import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPattern, protection } from '../../src/guard/protection.js';
import { parseSettings } from '../../src/guard/settings.js';

const defaults = parseSettings('', undefined);
const listed = parseSettings('[protect]\naccounts = 333333333333\n[pins]\nprod-admin = 333333333333\nprod.admin = 333333333333\n', 'f');

describe('matchesPattern: whole words, any case', () => {
  it.each(['prod', 'acme-prod', 'prod.admin', 'PROD_eu', 'Prod', 'eu/prod/1', 'x prod y', 'prod-', '_prod_', 'ünï-prod'])('%j contains prod', (text) => {
    expect(matchesPattern(text, 'prod')).toBe(true);
  });

  it.each(['product', 'prodigy', 'prod2', 'preprod', 'reprod', 'p-rod', 'pröd', 'prodé'])('%j does not contain prod', (text) => {
    expect(matchesPattern(text, 'prod')).toBe(false);
  });

  it('matches a pattern of several words as that sequence, whatever separates them', () => {
    expect(matchesPattern('acme-pre-prod', 'pre-prod')).toBe(true);
    expect(matchesPattern('ACME_PRE.PROD', 'pre-prod')).toBe(true);
    expect(matchesPattern('acme-preprod', 'pre-prod')).toBe(false);
    expect(matchesPattern('pre-product', 'pre-prod')).toBe(false);
  });

  it('treats pattern text literally, not as a regular expression', () => {
    expect(matchesPattern('aXb', 'a.b')).toBe(false);
    expect(matchesPattern('a-b', 'a.b')).toBe(true);
  });

  it('property: a word joined to anything by a separator matches; glued to a letter or digit it does not', () => {
    const alnum = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const sep = fc.constantFrom('-', '.', '_', '/', ' ', ':', '@');
    fc.assert(
      fc.property(alnum, sep, alnum, (left, s, right) => {
        expect(matchesPattern(`${left}${s}live${s}${right}`, 'live')).toBe(true);
        expect(matchesPattern(`${left}live`, 'live')).toBe(left === '' );
        expect(matchesPattern(`live${right}`, 'live')).toBe(false);
      }),
    );
  });
});

describe('protection', () => {
  it('protects a listed account whatever its names', () => {
    expect(protection(listed, { accountId: '333333333333', profile: 'sandbox', alias: 'acme-sandbox' })).toEqual({
      protected: true,
      reasons: ['account 333333333333 is listed under [protect] accounts'],
    });
  });

  it('protects by the alias of the account reached, or the profile name, and says which', () => {
    expect(protection(defaults, { accountId: '1', profile: 'admin', alias: 'acme-prod' })).toEqual({ protected: true, reasons: ['alias acme-prod has the word "prod"'] });
    expect(protection(defaults, { accountId: '1', profile: 'PROD_eu' })).toEqual({ protected: true, reasons: ['profile PROD_eu has the word "prod"'] });
    expect(protection(defaults, { accountId: '1', profile: 'live.admin', alias: 'acme-production' }).reasons).toEqual([
      'alias acme-production has the word "production"',
      'profile live.admin has the word "live"',
    ]);
  });

  it('does not protect what only looks like a pattern', () => {
    expect(protection(defaults, { accountId: '1', profile: 'product-team', alias: 'prodigy' })).toEqual({ protected: false, reasons: [] });
  });

  it('uses the settings’ patterns instead of the defaults, and none when empty', () => {
    const custom = parseSettings('[protect]\npatterns = critical\n', 'f');
    expect(protection(custom, { accountId: '1', profile: 'prod' }).protected).toBe(false);
    expect(protection(custom, { accountId: '1', profile: 'acme-critical' }).protected).toBe(true);
    const none = parseSettings('[protect]\npatterns =\n', 'f');
    expect(protection(none, { accountId: '1', profile: 'prod' }).protected).toBe(false);
  });
});
