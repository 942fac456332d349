/**
 * One role hop against the fake STS, whose roles check their trust: 333333333333 Admin requires
 * MFA, 444444444444 Admin an external id (test/support/fake-aws/seed.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RoleHop } from '../../../src/config/chain.js';
import { assumeRoleLabel, assumeRoleMaterial, assumeRoleNeedsMfa, assumeRoleStep, resolveAssumeRole, type AssumeRoleRequest } from '../../../src/credentials/sources/assume-role.js';
import type { WithMfa } from '../../../src/credentials/sources/source.js';
import { getSessionToken } from '../../../src/credentials/sts.js';
import { READ_ONLY_POLICY_ARN } from '../../../src/credentials/types.js';
import { fakeSecret } from '../../support/fake-aws/index.js';
import { credentialFailure as failure, useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const ALICE = { accessKeyId: 'AKIAFAKEALICE0000001', secretAccessKey: fakeSecret('alice') };
const ALICE_MFA = 'arn:aws:iam::111111111111:mfa/alice';
const ADMIN_333: RoleHop = { profile: 'prod-admin', roleArn: 'arn:aws:iam::333333333333:role/Admin', mfaSerial: ALICE_MFA };
const ADMIN_444: RoleHop = { profile: 'prod-eu-admin', roleArn: 'arn:aws:iam::444444444444:role/Admin', externalId: 'acme-ext-id' };

const asked: string[] = [];
const withCode =
  (code: string): WithMfa =>
  async (serial, step, declaredBy, call) => {
    asked.push(`${serial} / ${step} / ${declaredBy}`);
    return call({ serial, code });
  };
const request = (extra: Partial<AssumeRoleRequest> = {}): AssumeRoleRequest => ({ from: async () => ALICE, sessionName: 'awsguard-tester', step: assumeRoleStep(ADMIN_333, 'alice'), ...extra });

describe('resolveAssumeRole', () => {
  it("asks for the hop's MFA code on its own profile's behalf, sends it, and the session carries MFA", async () => {
    asked.length = 0;
    const s = await resolveAssumeRole(t.ctx('prod-admin'), ADMIN_333, request({ durationSeconds: 1800 }), withCode('123456'));
    expect(s.mfa).toBe(true);
    expect(asked).toEqual([`${ALICE_MFA} / assume role arn:aws:iam::333333333333:role/Admin (via alice) / prod-admin`]);
    expect(await t.arnOf(s.credentials)).toBe('arn:aws:sts::333333333333:assumed-role/Admin/awsguard-tester');
    expect(t.w.fake.requests.find((q) => q.action === 'AssumeRole')).toMatchObject({ status: 200, accessKeyId: ALICE.accessKeyId, serialNumber: ALICE_MFA, durationSeconds: 1800 });
  });

  it('asks no code when the credentials it is assumed from carry that MFA; the role trusts only a real MFA session', async () => {
    const mfaSession = await getSessionToken(t.ctx('alice'), ALICE, { mfa: { serial: ALICE_MFA, code: '123456' } }, 'get session token with MFA');
    asked.length = 0;
    const s = await resolveAssumeRole(t.ctx('prod-admin'), ADMIN_333, request({ from: async () => mfaSession, fromMfaSerial: ALICE_MFA }), withCode('123456'));
    expect(asked).toEqual([]);
    expect(s.mfa).toBe(true);
    expect(await t.arnOf(s.credentials)).toBe('arn:aws:sts::333333333333:assumed-role/Admin/awsguard-tester');
    // Long-term keys said to carry the MFA do not: the role's trust refuses, and the error names the hop.
    const refused = await failure(resolveAssumeRole(t.ctx('prod-admin'), ADMIN_333, request({ fromMfaSerial: ALICE_MFA }), withCode('123456')));
    expect(refused.message).toMatch(/^prod-admin: assume role arn:aws:iam::333333333333:role\/Admin \(via alice\): AccessDenied: /);
    expect(asked).toEqual([]);
  });

  it('sends the external id and, on the last hop, the scope', async () => {
    const scope = { policyArns: [READ_ONLY_POLICY_ARN], readOnly: true };
    const s = await resolveAssumeRole(t.ctx('prod-eu-admin'), ADMIN_444, request({ step: assumeRoleStep(ADMIN_444, 'alice'), scope }), withCode('unused'));
    expect(s.mfa).toBeUndefined();
    expect(t.w.fake.requests.find((q) => q.action === 'AssumeRole')).toMatchObject({ status: 200, externalId: 'acme-ext-id', policyArns: [READ_ONLY_POLICY_ARN] });
    const without = await failure(resolveAssumeRole(t.ctx('prod-eu-admin'), { ...ADMIN_444, externalId: 'wrong' }, request({ step: assumeRoleStep(ADMIN_444, 'alice') }), withCode('unused')));
    expect(without.code).toBe('AccessDenied');
  });

  it('names the step, label and material as the cache has always keyed them', () => {
    expect(assumeRoleStep(ADMIN_333, 'prod-admin')).toBe('assume role arn:aws:iam::333333333333:role/Admin');
    expect(assumeRoleLabel(ADMIN_444)).toBe('role Admin');
    expect(assumeRoleNeedsMfa(ADMIN_333, undefined)).toBe(true);
    expect(assumeRoleNeedsMfa(ADMIN_333, ALICE_MFA)).toBe(false);
    expect(assumeRoleNeedsMfa(ADMIN_444, ALICE_MFA)).toBe(false);
    expect(assumeRoleMaterial([1, 'x'], ADMIN_444, 'awsguard-tester', 900, undefined)).toEqual([1, 'x', 'role', ADMIN_444.roleArn, 'acme-ext-id', 'awsguard-tester', 900, null, null]);
  });
});
