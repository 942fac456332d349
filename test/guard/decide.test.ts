import { describe, expect, it } from 'vitest';
import { decide, outerSession, preDecide, type GuardInput, type ReachedAccount } from '../../src/guard/decide.js';
import { parseSettings } from '../../src/guard/settings.js';

const defaults = parseSettings('', undefined);
const listed = parseSettings(
  '[protect]\naccounts = 333333333333\nunprotected = 555555555555\n[aliases]\n444444444444 = acme-partner\n[pins]\nprod-admin = 333333333333\nprod.admin = 333333333333\n',
  'f',
);

const input = (over: Partial<GuardInput> = {}): GuardInput => ({ settings: defaults, door: 'exec', profile: 'dev', flags: {}, ...over });
const acct = (accountId: string, alias?: string, aliasSource: ReachedAccount['aliasSource'] = alias ? 'iam' : 'none'): ReachedAccount => ({
  accountId,
  aliasSource,
  ...(alias ? { alias } : {}),
});

describe('decide: protection', () => {
  it('lets an unprotected account through with nothing to type', () => {
    expect(decide(input(), acct('111111111111', 'acme-dev'))).toEqual({ protected: false, reasons: [] });
  });

  it('asks for the alias of an account protected by its alias, and for the id of one without', () => {
    expect(decide(input(), acct('333333333333', 'acme-prod')).confirm).toEqual({ expected: 'acme-prod', what: 'alias' });
    const byList = decide(input({ settings: listed, profile: 'x' }), acct('333333333333'));
    expect(byList.protected).toBe(true);
    expect(byList.confirm).toEqual({ expected: '333333333333', what: 'account id' });
  });

  it('protects a harmless profile name that reaches production: the account decides', () => {
    expect(decide(input({ profile: 'sandbox' }), acct('333333333333', 'acme-prod')).protected).toBe(true);
  });

  it('fails closed: an alias that could not be learned makes the account protected, with a hint', () => {
    const v = decide(input(), { accountId: '222222222222', aliasSource: 'unknown', aliasError: 'Throttling from iam:ListAccountAliases' });
    expect(v.protected).toBe(true);
    expect(v.reasons.join(' ')).toMatch(/could not be learned \(Throttling from iam:ListAccountAliases\)/);
    expect(v.hint).toMatch(/\[aliases\] 222222222222 = ALIAS/);
    expect(v.hint).toMatch(/\[protect\] unprotected = 222222222222/);
    expect(v.confirm).toEqual({ expected: '222222222222', what: 'account id' });
  });

  it('an account declared unprotected is not protected for an unknown alias, but still by its profile name', () => {
    expect(decide(input({ settings: listed }), { accountId: '555555555555', aliasSource: 'unknown' }).protected).toBe(false);
    expect(decide(input({ settings: listed, profile: 'live-sandbox' }), { accountId: '555555555555', aliasSource: 'unknown' }).protected).toBe(true);
  });

  it('"no alias" from IAM is an answer, not an unknown', () => {
    expect(decide(input(), acct('555555555555')).protected).toBe(false);
  });
});

describe('decide: --confirm and the held window', () => {
  it('accepts --confirm naming the account reached, and refuses any other', () => {
    expect(decide(input({ flags: { confirm: 'acme-prod' } }), acct('333333333333', 'acme-prod')).confirm?.satisfiedBy).toBe('flag');
    const wrong = decide(input({ flags: { confirm: 'acme-staging' } }), acct('333333333333', 'acme-prod'));
    expect(wrong.refusal?.reason).toBe('wrong-confirm-flag');
    expect(wrong.refusal?.message).toMatch(/does not name the account reached \(acme-prod\)/);
  });

  it('a held confirmation stands in for typing, --confirm still wins', () => {
    expect(decide(input({ door: 'export', heldConfirmation: true }), acct('333333333333', 'acme-prod')).confirm?.satisfiedBy).toBe('window');
  });

  it('--confirm for an unprotected account changes nothing', () => {
    expect(decide(input({ flags: { confirm: 'whatever' } }), acct('111111111111', 'acme-dev')).refusal).toBeUndefined();
  });
});

describe('decide: pins', () => {
  it('lets a pinned profile reach its account, and an unpinned one anywhere', () => {
    expect(decide(input({ settings: listed, profile: 'prod-admin', flags: { confirm: '333333333333' } }), acct('333333333333')).refusal).toBeUndefined();
    expect(decide(input({ settings: listed, profile: 'dev' }), acct('111111111111')).refusal).toBeUndefined();
  });

  it('refuses a profile that reached another account than its [pins] entry', () => {
    const v = decide(input({ settings: listed, profile: 'prod.admin' }), acct('222222222222', 'acme-staging'));
    expect(v.refusal?.reason).toBe('pin-mismatch');
    expect(v.refusal?.message).toMatch(/pinned to account 333333333333 \(\[pins\] in the awsguard settings\), but its credentials reached account 222222222222/);
  });

  it('holds an awsguard_account pin from the AWS config, and both when both exist', () => {
    expect(decide(input({ profilePin: ' 111111111111 ' }), acct('111111111111')).refusal).toBeUndefined();
    expect(decide(input({ profilePin: '111111111111' }), acct('999999999999')).refusal?.message).toMatch(/awsguard_account in the AWS config/);
    expect(decide(input({ settings: listed, profile: 'prod-admin', profilePin: '444444444444' }), acct('333333333333')).refusal?.message).toMatch(/pinned to account 444444444444/);
  });
});

describe('decide: nesting', () => {
  const inExec = { accountId: '111111111111', alias: 'acme-dev', kind: 'exec' as const };
  const inUse = { accountId: '111111111111', alias: 'acme-dev', kind: 'use' as const };

  it('refuses another account from inside an exec child unless --nest', () => {
    const v = decide(input({ outer: inExec }), acct('222222222222', 'acme-staging'));
    expect(v.refusal?.reason).toBe('nested-account');
    expect(v.refusal?.message).toMatch(/from account acme-dev to acme-staging .*--nest/);
    expect(decide(input({ outer: inExec, flags: { nest: true } }), acct('222222222222', 'acme-staging')).refusal).toBeUndefined();
    expect(decide(input({ outer: inExec }), acct('111111111111', 'acme-dev')).refusal).toBeUndefined();
  });

  it('applies to every door in a child but the credentials server, which renews the child’s own session', () => {
    for (const door of ['export', 'console', 'use'] as const) expect(decide(input({ door, outer: inExec }), acct('222222222222')).refusal?.reason).toBe('nested-account');
    expect(decide(input({ door: 'server', outer: inExec }), acct('222222222222')).refusal).toBeUndefined();
  });

  it('does not apply in a shell that switched itself with use', () => {
    expect(decide(input({ outer: inUse }), acct('222222222222')).refusal).toBeUndefined();
  });

  it('reads the outer session from the markers; markers without a kind are an exec child', () => {
    expect(outerSession({})).toBeUndefined();
    expect(outerSession({ AWSGUARD_ACCOUNT_ID: '111111111111' })).toEqual({ accountId: '111111111111', kind: 'exec' });
    expect(outerSession({ AWSGUARD_ACCOUNT_ID: '111111111111', AWSGUARD_ACCOUNT_ALIAS: 'acme-dev', AWSGUARD_SESSION: 'use' })).toEqual(inUse);
  });
});

describe('preDecide: what is known before any credentials', () => {
  it('refuses a nested account the config already names, before an MFA prompt', () => {
    const v = preDecide(input({ outer: { accountId: '111111111111', kind: 'exec' }, profile: 'prod-admin' }), { accountId: '333333333333' });
    expect(v.refusal?.reason).toBe('nested-account');
  });

  it('refuses a pin the config contradicts', () => {
    expect(preDecide(input({ settings: listed, profile: 'prod-admin' }), { accountId: '222222222222' }).refusal?.message).toMatch(/its config points at account 222222222222/);
  });

  it('says a profile is protected for sure by its name or a listed account, and decides nothing without a claim', () => {
    expect(preDecide(input({ profile: 'prod-admin' }), {}).protectedForSure).toBe(true);
    expect(preDecide(input({ settings: listed, profile: 'x' }), { accountId: '333333333333' }).protectedForSure).toBe(true);
    expect(preDecide(input({ outer: { accountId: '1', kind: 'exec' } }), {})).toEqual({ protectedForSure: false, reasons: [] });
  });
});
