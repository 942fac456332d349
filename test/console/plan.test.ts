import { describe, expect, it } from 'vitest';
import type { Chain } from '../../src/config/chain.js';
import { kindOf, planConsole, refineByArn } from '../../src/console/plan.js';

const keys: Chain['base'] = { kind: 'static', profile: 'alice', file: 'credentials', sessionToken: false };
const sso: Chain['base'] = { kind: 'sso', profile: 'dev', startUrl: 'https://x', region: 'eu-west-1', accountId: '111111111111', roleName: 'Admin' };
const proc: Chain['base'] = { kind: 'process', profile: 'p', command: 'x' };
const hop = (n: string) => ({ profile: n, roleArn: `arn:aws:iam::111111111111:role/${n}` });
const chain = (base: Chain['base'], roles: string[] = []): { chain: Chain } => ({ chain: { profile: 'x', base, roles: roles.map(hop) } });

describe('what kind of console session a profile can make', () => {
  it('tells role sessions, role chaining, federation tokens and the unknown apart', () => {
    expect(kindOf(chain(sso))).toBe('role');
    expect(kindOf(chain(keys, ['A']))).toBe('role');
    expect(kindOf(chain(keys, ['A', 'B']))).toBe('chained-role');
    expect(kindOf(chain(sso, ['A']))).toBe('chained-role');
    expect(kindOf(chain(keys))).toBe('federation');
    // Keys in awsguard's store are the same long-term keys.
    expect(kindOf(chain({ kind: 'stored', profile: 'alice' }))).toBe('federation');
    expect(kindOf(chain({ kind: 'stored', profile: 'alice' }, ['A']))).toBe('role');
    expect(kindOf(chain({ ...keys, sessionToken: true }))).toBe('unknown');
    expect(kindOf(chain(proc))).toBe('unknown');
    expect(kindOf(chain(proc, ['A']))).toBe('unknown');
    expect(kindOf(chain(proc, ['A', 'B']))).toBe('chained-role');
    expect(kindOf({ environment: { sessionToken: false } })).toBe('federation');
    expect(kindOf({ environment: { sessionToken: true } })).toBe('unknown');
  });
});

describe('--duration', () => {
  it('is the console\'s SessionDuration for role sessions, within 15m to 12h', () => {
    expect(planConsole(chain(sso), { scoped: false, durationSeconds: 14_400 })).toEqual({ kind: 'role', allowAll: false, sessionSeconds: 14_400 });
    expect(() => planConsole(chain(sso), { scoped: false, durationSeconds: 86_400 })).toThrow(/900s to 43200s/);
    expect(() => planConsole(chain(keys, ['A']), { scoped: false, durationSeconds: 600 })).toThrow(/900s to 43200s/);
  });

  it('never becomes SessionDuration for role chaining; more than 1h is refused with the reason', () => {
    expect(planConsole(chain(keys, ['A', 'B']), { scoped: false, durationSeconds: 1800 })).toEqual({ kind: 'chained-role', allowAll: false, credentialSeconds: 1800 });
    expect(planConsole(chain(keys, ['A', 'B']), { scoped: false })).toEqual({ kind: 'chained-role', allowAll: false });
    expect(() => planConsole(chain(sso, ['A']), { scoped: false, durationSeconds: 7200 })).toThrow(/role chaining.*1h at most.*no SessionDuration/);
  });

  it('is the federation token\'s own duration for IAM user keys, which get an allow-all policy when unscoped', () => {
    expect(planConsole(chain(keys), { scoped: false, durationSeconds: 7200 })).toEqual({ kind: 'federation', allowAll: true, credentialSeconds: 7200 });
    expect(planConsole(chain(keys), { scoped: true })).toEqual({ kind: 'federation', allowAll: false });
    expect(() => planConsole(chain(keys), { scoped: false, durationSeconds: 200_000 })).toThrow(/900s to 129600s/);
  });
});

describe('what the credentials turned out to be', () => {
  it('refuses an IAM user session and a SessionDuration for a federated user', () => {
    const unknown = planConsole(chain(proc), { scoped: false, durationSeconds: 3600 });
    expect(() => refineByArn(unknown, 'arn:aws:iam::111111111111:user/alice', 'p')).toThrow(/GetSessionToken.*GetFederationToken/);
    expect(() => refineByArn(unknown, 'arn:aws:sts::111111111111:federated-user/bob', 'p')).toThrow(/no SessionDuration/);
    expect(refineByArn(planConsole(chain(proc), { scoped: false }), 'arn:aws:sts::111111111111:federated-user/bob', 'p').kind).toBe('federation');
    expect(refineByArn(unknown, 'arn:aws:sts::111111111111:assumed-role/A/s', 'p')).toEqual(unknown);
  });
});
