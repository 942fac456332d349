/**
 * GetFederationToken: a scope on long-term keys without a role after them, against the fake AWS
 * (which applies the session policy and names the federated user by the call's Name).
 */
import { describe, expect, it } from 'vitest';
import { getCallerIdentity } from '../../../src/credentials/sts.js';
import { federationTokenMaterial, federationTokenNotes, isFederationToken, resolveFederationToken } from '../../../src/credentials/sources/federation-token.js';
import { READ_ONLY_POLICY_ARN, type Scope } from '../../../src/credentials/types.js';
import { fakeSecret } from '../../support/fake-aws/index.js';
import { credentialFailure as failure, useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const { resolve } = t;
const CI = { accessKeyId: 'AKIAFAKECIBOT0000001', secretAccessKey: fakeSecret('ci-bot') };
const READ_ONLY: Scope = { policyArns: [READ_ONLY_POLICY_ARN], readOnly: true };

describe('scoped sessions from keys', () => {
  it('uses GetFederationToken for a static-key profile and says what it cannot do', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const r = await resolve('ci', { scope: { policy, policyArns: [], readOnly: false } });
    expect(t.w.fake.calls('GetFederationToken')).toBe(1);
    expect(r.notes.join('\n')).toContain('cannot call IAM');
    expect((await getCallerIdentity({ env: t.w.env, region: 'us-east-1', profile: 'ci' }, r.credentials)).arn).toMatch(/federated-user/);
  });
});

describe('resolveFederationToken', () => {
  it('names the federated user awsguard-USER, cut to the 32 characters the call allows, and sends the scope', async () => {
    const ctx = { ...t.ctx('ci'), env: { ...t.w.env, USER: 'a-very-long-user-name-for-federation' } };
    const s = await resolveFederationToken(ctx, async () => CI, { profile: 'ci', scope: READ_ONLY, durationSeconds: 3600 });
    expect(s.mfa).toBeUndefined();
    expect(await t.arnOf(s.credentials)).toBe('arn:aws:sts::111111111111:federated-user/awsguard-a-very-long-user-name-f');
    expect(t.w.fake.requests.find((q) => q.action === 'GetFederationToken')).toMatchObject({ status: 200, accessKeyId: CI.accessKeyId, policyArns: [READ_ONLY_POLICY_ARN], durationSeconds: 3600 });
  });

  it('fails naming the profile asked for and the keys it came from', async () => {
    const err = await failure(resolveFederationToken(t.ctx('asked'), async () => ({ ...CI, secretAccessKey: fakeSecret('mallory') }), { profile: 'ci', scope: READ_ONLY }));
    expect(err.message).toMatch(/^asked: get federation token \(ci\): SignatureDoesNotMatch: /);
  });

  it('applies only to the last hop with a scope; says it loses MFA; keys its session by the scope', () => {
    expect([isFederationToken(true, READ_ONLY), isFederationToken(false, READ_ONLY), isFederationToken(true, undefined)]).toEqual([true, false, false]);
    expect(federationTokenNotes('arn:aws:iam::111111111111:mfa/alice')[0]).toContain('cannot carry MFA');
    expect(federationTokenNotes(undefined)).toEqual(['a federation token session cannot call IAM, nor STS other than GetCallerIdentity']);
    expect(federationTokenMaterial([1, 'base', 'static', 'ci', CI.accessKeyId], READ_ONLY, undefined)).toEqual([1, 'base', 'static', 'ci', CI.accessKeyId, 'federation', READ_ONLY, null]);
  });
});
