/** The fake's AssumeRoleWithWebIdentity: the token checked the way STS checks it, AWS's errors. */
import { generateKeyPairSync } from 'node:crypto';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credsFrom, rejection, stsClient, userCreds } from '../support/fake-aws/clients.js';
import { GITHUB_ISSUER, signJwt, startFakeAws, type FakeAws } from '../support/fake-aws/index.js';

let fake: FakeAws;
let sts: STSClient;
const ROLE = 'arn:aws:iam::111111111111:role/GitHubActions';
const SUB = 'repo:acme/app:ref:refs/heads/main';
const call = (token: string, extra: Record<string, unknown> = {}) =>
  sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE, RoleSessionName: 'job', WebIdentityToken: token, ...extra }));

beforeAll(async () => {
  fake = await startFakeAws();
  // Unsigned, as botocore and the SDK send this call.
  sts = new STSClient({ region: 'us-east-1', endpoint: fake.url, maxAttempts: 1, credentials: async () => ({ accessKeyId: '', secretAccessKey: '' }) });
});
afterAll(async () => fake.close());

describe('AssumeRoleWithWebIdentity', () => {
  it('issues a role session for a good token, and reports subject, provider and audience', async () => {
    const out = await call(fake.webIdentityToken({ sub: SUB }));
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/GitHubActions/job');
    expect(out.SubjectFromWebIdentityToken).toBe(SUB);
    expect(out.Provider).toBe('arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com');
    expect(out.Audience).toBe('sts.amazonaws.com');
    const who = await stsClient(fake, credsFrom(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(out.AssumedRoleUser?.Arn);
    expect(fake.requests.at(-2)).toMatchObject({ action: 'AssumeRoleWithWebIdentity', webIdentity: true, webIdentitySubject: SUB });
    expect(fake.requests.at(-2)?.accessKeyId).toBeUndefined();
  });

  it('refuses a token signed by another key, expired, not yet valid, or for another audience, with AWS errors', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(fake.clock.now() / 1000);
    const forged = signJwt({ iss: GITHUB_ISSUER, sub: SUB, aud: 'sts.amazonaws.com', iat: now, exp: now + 600 }, privateKey);
    // The SDK names errors by the model's shapes; the wire codes are AWS's (InvalidIdentityToken, IDPRejectedClaim).
    expect(await rejection(call(forged))).toMatchObject({ name: 'InvalidIdentityTokenException', status: 400 });
    const expired = await rejection(call(fake.webIdentityToken({ sub: SUB, expiresInSeconds: -1 })));
    expect(expired).toMatchObject({ name: 'ExpiredTokenException' });
    expect(expired.message).toMatch(/^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/);
    const future = await rejection(call(fake.webIdentityToken({ sub: SUB, nbf: now + 3600 })));
    expect(future).toMatchObject({ name: 'IDPRejectedClaimException', status: 403 });
    expect(await rejection(call(fake.webIdentityToken({ sub: SUB, aud: 'other' })))).toMatchObject({ name: 'InvalidIdentityTokenException', message: 'Incorrect token audience' });
    expect(await rejection(call('not-a-jwt'))).toMatchObject({ name: 'InvalidIdentityTokenException' });
    const otherIssuer = signJwt({ iss: 'https://gitlab.example.com', sub: SUB, aud: 'sts.amazonaws.com', iat: now, exp: now + 600 }, privateKey);
    expect((await rejection(call(otherIssuer))).message).toBe('No OpenIDConnect provider found in your account for https://gitlab.example.com');
  });

  it("holds the role's trust policy: provider principal and sub condition", async () => {
    expect(await rejection(call(fake.webIdentityToken({ sub: 'repo:evil/app:ref:refs/heads/main' })))).toMatchObject({ name: 'AccessDenied' });
    const admin = await rejection(
      sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::111111111111:role/Admin', RoleSessionName: 'job', WebIdentityToken: fake.webIdentityToken({ sub: SUB }) })),
    );
    expect(admin).toMatchObject({ name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' });
  });

  it("validates parameters as botocore's model says (session name, duration), and only this call may go unsigned", async () => {
    expect((await rejection(call(fake.webIdentityToken({ sub: SUB }), { RoleSessionName: 'a b' }))).name).toBe('ValidationError');
    expect((await rejection(call(fake.webIdentityToken({ sub: SUB }), { DurationSeconds: 7200 }))).message).toContain('MaxSessionDuration');
    const unsigned = await fetch(fake.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    // A signed call is authenticated as usual.
    const signed = await stsClient(fake, userCreds(fake.seed, 'ci-bot')).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE, RoleSessionName: 'signed', WebIdentityToken: fake.webIdentityToken({ sub: SUB }) }),
    );
    expect(signed.AssumedRoleUser?.Arn).toContain('/signed');
  });
});
