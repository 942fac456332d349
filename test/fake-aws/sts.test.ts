import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { credsFrom, rejection, stsClient, userCreds } from '../support/fake-aws/clients.js';
import type { Creds } from '../support/fake-aws/clients.js';
import { startFakeAws } from '../support/fake-aws/index.js';
import { fakeAwsForFile } from '../support/fake-aws/per-file.js';
import { signRequest } from '../support/fake-aws/sigv4.js';

const ALICE_MFA = 'arn:aws:iam::111111111111:mfa/alice';
const DEPLOY_222 = 'arn:aws:iam::222222222222:role/Deploy';
const ADMIN_333 = 'arn:aws:iam::333333333333:role/Admin';
const ADMIN_444 = 'arn:aws:iam::444444444444:role/Admin';

const { fake, alice } = await fakeAwsForFile();

const whoami = async (creds: Creds) => stsClient(fake, creds).send(new GetCallerIdentityCommand({}));
const assume = async (creds: Creds, input: AssumeRoleCommandInput) => {
  const out = await stsClient(fake, creds).send(new AssumeRoleCommand(input));
  return { out, creds: credsFrom(out.Credentials) };
};

describe('STS happy paths with the real SDK v3 client', () => {
  it('GetCallerIdentity for a long-term IAM user', async () => {
    const id = await whoami(alice);
    expect(id).toMatchObject({ Arn: 'arn:aws:iam::111111111111:user/alice', UserId: 'AIDAFAKEALICE00000001', Account: '111111111111' });
  });

  it('AssumeRole returns realistic temporary credentials and an assumed-role identity', async () => {
    const before = fake.clock.now();
    const { out, creds } = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'alice-deploy', DurationSeconds: 7200 });
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds.secretAccessKey).toHaveLength(40);
    expect(creds.sessionToken?.length).toBeGreaterThan(100);
    const exp = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(Math.abs(exp - (before + 7200_000))).toBeLessThan(5000);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/Deploy/alice-deploy');
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:alice-deploy$/);
    const id = await whoami(creds);
    expect(id.Arn).toBe('arn:aws:sts::222222222222:assumed-role/Deploy/alice-deploy');
    expect(id.Account).toBe('222222222222');
    expect(id.UserId).toBe(out.AssumedRoleUser?.AssumedRoleId);
  });

  it('GetSessionToken defaults to 12 hours and keeps the user identity', async () => {
    const before = fake.clock.now();
    const out = await stsClient(fake, alice).send(new GetSessionTokenCommand({}));
    const exp = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(Math.abs(exp - (before + 43200_000))).toBeLessThan(5000);
    const id = await whoami(credsFrom(out.Credentials));
    expect(id.Arn).toBe('arn:aws:iam::111111111111:user/alice');
  });

  it('GetFederationToken returns a federated-user identity and records the policies', async () => {
    fake.reset();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const out = await stsClient(fake, alice).send(
      new GetFederationTokenCommand({
        Name: 'contractor',
        Policy: policy,
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
        DurationSeconds: 3600,
      }),
    );
    expect(out.FederatedUser).toEqual({
      FederatedUserId: '111111111111:contractor',
      Arn: 'arn:aws:sts::111111111111:federated-user/contractor',
    });
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    const id = await whoami(credsFrom(out.Credentials));
    expect(id).toMatchObject({ Arn: 'arn:aws:sts::111111111111:federated-user/contractor', UserId: '111111111111:contractor' });
    expect(fake.requests[0]).toMatchObject({
      action: 'GetFederationToken',
      status: 200,
      policy,
      policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      durationSeconds: 3600,
    });
  });
});

describe('authentication failures, as AWS reports them', () => {
  it('unknown access key → 403 InvalidClientTokenId', async () => {
    const e = await rejection(whoami({ accessKeyId: 'AKIAFAKEUNKNOWN00000', secretAccessKey: alice.secretAccessKey }));
    expect(e).toMatchObject({ name: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' });
  });

  it('wrong secret key → 403 SignatureDoesNotMatch', async () => {
    const e = await rejection(whoami({ accessKeyId: alice.accessKeyId, secretAccessKey: 'A'.repeat(40) }));
    expect(e).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(e.message).toMatch(/^The request signature we calculated does not match/);
  });

  it('inactive key → InvalidClientTokenId', async () => {
    const user = fake.seed.users.find((u) => u.name === 'ci-bot');
    user?.accessKeys.push({ accessKeyId: 'AKIAFAKECIBOTOLD0001', secretAccessKey: 'B'.repeat(40), active: false });
    const e = await rejection(whoami({ accessKeyId: 'AKIAFAKECIBOTOLD0001', secretAccessKey: 'B'.repeat(40) }));
    expect(e.name).toBe('InvalidClientTokenId');
  });

  it('temporary key without, with a tampered, or with another session’s token → InvalidClientTokenId', async () => {
    const { creds } = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'tokens' });
    const { creds: other } = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'tokens2' });
    const token = creds.sessionToken ?? '';
    const variants: Creds[] = [
      { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
      { ...creds, sessionToken: `${token.slice(0, -4)}AAAA` },
      { ...creds, sessionToken: other.sessionToken ?? '' },
    ];
    for (const v of variants) {
      const e = await rejection(whoami(v));
      expect(e).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    }
    // The right token still works: the rejections were about the token, not the key.
    expect((await whoami(creds)).Arn).toContain('assumed-role/Deploy/tokens');
  });

  it('a session token sent with a long-term key → InvalidClientTokenId', async () => {
    const { creds } = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'mix' });
    const e = await rejection(whoami({ ...alice, sessionToken: creds.sessionToken ?? '' }));
    expect(e.name).toBe('InvalidClientTokenId');
  });

  it('temporary credentials past their expiry → 400 ExpiredToken (clock advanced, no sleeping)', async () => {
    const own = await startFakeAws();
    try {
      const out = await stsClient(own, userCreds(own.seed, 'alice')).send(
        new AssumeRoleCommand({ RoleArn: DEPLOY_222, RoleSessionName: 'expiring', DurationSeconds: 900 }),
      );
      const creds = credsFrom(out.Credentials);
      // Ten seconds before the end, not one: the fake's clock also runs in real time, and a loaded
      // machine (CI runs the suite twice) took more than a second between the two calls.
      own.clock.advance(890);
      // Within the SigV4 window only because the SDK corrects skew from the Date header on retry.
      await expect(stsClient(own, creds, { maxAttempts: 3 }).send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
      own.clock.advance(11);
      const e = await rejection(stsClient(own, creds).send(new GetCallerIdentityCommand({})));
      expect(e).toMatchObject({ name: 'ExpiredToken', status: 400, message: 'The security token included in the request is expired' });
    } finally {
      await own.close();
    }
  });

  it('a request signed more than 15 minutes off the fake clock → SignatureDoesNotMatch "Signature expired"', async () => {
    const own = await startFakeAws();
    try {
      const creds = userCreds(own.seed, 'alice');
      own.clock.advance(16 * 60);
      const e = await rejection(stsClient(own, creds).send(new GetCallerIdentityCommand({})));
      expect(e.name).toBe('SignatureDoesNotMatch');
      expect(e.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
      own.clock.advance(-32 * 60);
      const future = await rejection(stsClient(own, creds).send(new GetCallerIdentityCommand({})));
      expect(future.message).toMatch(/^Signature not yet current: .* \+ 15 min\.\)$/);
      // The SDK reads the fake's Date header, corrects its offset and succeeds on retry.
      const ok = await stsClient(own, creds, { maxAttempts: 3 }).send(new GetCallerIdentityCommand({}));
      expect(ok.$metadata.attempts).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('no Authorization header → 403 MissingAuthenticationToken, as awsQuery XML', async () => {
    const res = await fetch(fake.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    const xml = await res.text();
    expect(xml).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(xml).toContain('<Type>Sender</Type>');
    expect(xml).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(xml).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a body changed after signing → SignatureDoesNotMatch; the untouched request passes', async () => {
    const url = new URL(fake.url);
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const sign = () =>
      signRequest(
        { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
        alice,
        { region: 'us-east-1', service: 'sts', timeMs: fake.clock.now() },
      );
    const good = await fetch(fake.url, { method: 'POST', headers: sign(), body });
    expect(good.status).toBe(200);
    const headers = sign();
    const tampered = 'Action=GetCallerIdentity&Version=2011-06-15&X=1';
    // Keep the claimed payload hash, change the body: the fake hashes what arrived.
    const res = await fetch(fake.url, { method: 'POST', headers, body: tampered });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('AssumeRole rules', () => {
  it('an unknown or untrusting role → AccessDenied in AWS wording', async () => {
    const nope = 'arn:aws:iam::999999999999:role/Nope';
    const e = await rejection(assume(alice, { RoleArn: nope, RoleSessionName: 'x1' }));
    expect(e).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${nope}`,
    });
    // 333 Admin trusts 222 Deploy but not 444 sessions.
    const { creds: deploy } = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'hop1' });
    const { creds: readOnly444 } = await assume(alice, { RoleArn: 'arn:aws:iam::444444444444:role/ReadOnly', RoleSessionName: 'ro' });
    expect((await rejection(assume(readOnly444, { RoleArn: ADMIN_444, RoleSessionName: 'x2', ExternalId: 'acme-ext-id' }))).name).toBe(
      'AccessDenied',
    );
    expect(deploy.accessKeyId).toMatch(/^ASIA/);
  });

  it('external id: missing or wrong → AccessDenied, right → credentials', async () => {
    expect((await rejection(assume(alice, { RoleArn: ADMIN_444, RoleSessionName: 'ext' }))).name).toBe('AccessDenied');
    expect((await rejection(assume(alice, { RoleArn: ADMIN_444, RoleSessionName: 'ext', ExternalId: 'wrong-id' }))).name).toBe(
      'AccessDenied',
    );
    const { out } = await assume(alice, { RoleArn: ADMIN_444, RoleSessionName: 'ext', ExternalId: 'acme-ext-id' });
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::444444444444:assumed-role/Admin/ext');
  });

  it('MFA required: absent → AccessDenied; bad code or serial → MFA errors; right code → credentials', async () => {
    expect((await rejection(assume(alice, { RoleArn: ADMIN_333, RoleSessionName: 'mfa' }))).name).toBe('AccessDenied');
    const bad = await rejection(assume(alice, { RoleArn: ADMIN_333, RoleSessionName: 'mfa', SerialNumber: ALICE_MFA, TokenCode: '000000' }));
    expect(bad).toMatchObject({ name: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.' });
    const serial = await rejection(
      assume(alice, { RoleArn: ADMIN_333, RoleSessionName: 'mfa', SerialNumber: 'arn:aws:iam::111111111111:mfa/bob', TokenCode: '123456' }),
    );
    expect(serial.message).toMatch(/^MultiFactorAuthentication failed, unable to validate MFA code/);
    // ci-bot has no MFA device at all.
    const ci = await rejection(
      assume(userCreds(fake.seed, 'ci-bot'), { RoleArn: ADMIN_333, RoleSessionName: 'mfa', SerialNumber: ALICE_MFA, TokenCode: '123456' }),
    );
    expect(ci.name).toBe('AccessDenied');
    const short = await rejection(assume(alice, { RoleArn: ADMIN_333, RoleSessionName: 'mfa', SerialNumber: ALICE_MFA, TokenCode: '12345' }));
    expect(short).toMatchObject({ name: 'ValidationError', status: 400 });
    const { out } = await assume(alice, { RoleArn: ADMIN_333, RoleSessionName: 'mfa', SerialNumber: ALICE_MFA, TokenCode: '123456' });
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::333333333333:assumed-role/Admin/mfa');
  });

  it('MFA from GetSessionToken carries into AssumeRole; a session without MFA does not', async () => {
    const withMfa = credsFrom(
      (await stsClient(fake, alice).send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: '123456', DurationSeconds: 900 })))
        .Credentials,
    );
    const { out } = await assume(withMfa, { RoleArn: ADMIN_333, RoleSessionName: 'via-gst' });
    expect(out.AssumedRoleUser?.Arn).toContain('assumed-role/Admin/via-gst');
    const noMfa = credsFrom((await stsClient(fake, alice).send(new GetSessionTokenCommand({}))).Credentials);
    expect((await rejection(assume(noMfa, { RoleArn: ADMIN_333, RoleSessionName: 'no-mfa' }))).name).toBe('AccessDenied');
    // A GetSessionToken session may still assume roles that need no MFA (not role chaining: 12h allowed).
    const { out: ro } = await assume(noMfa, { RoleArn: 'arn:aws:iam::222222222222:role/ReadOnly', RoleSessionName: 'ro', DurationSeconds: 43200 });
    expect(ro.AssumedRoleUser?.Arn).toContain('assumed-role/ReadOnly/ro');
  });

  it('DurationSeconds: below 900, above MaxSessionDuration → ValidationError; up to it → OK', async () => {
    const low = await rejection(assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'dur', DurationSeconds: 899 }));
    expect(low).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(low.message).toContain("Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
    const high = await rejection(assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'dd', DurationSeconds: 7201 }));
    expect(high).toMatchObject({ name: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });
    const { out } = await assume(alice, { RoleArn: 'arn:aws:iam::333333333333:role/ReadOnly', RoleSessionName: 'long', DurationSeconds: 43200 });
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    const bad = await rejection(assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'has space' }));
    expect(bad.name).toBe('ValidationError');
  });

  it('role chaining is capped at one hour', async () => {
    // A role session in 111111111111 is a trusted principal for 222 ReadOnly (which trusts that account).
    const { creds: deploy } = await assume(alice, { RoleArn: 'arn:aws:iam::111111111111:role/Deploy', RoleSessionName: 'chain' });
    // 222 ReadOnly allows 12h when assumed directly, but not through a chain.
    const e = await rejection(
      assume(deploy, { RoleArn: 'arn:aws:iam::222222222222:role/ReadOnly', RoleSessionName: 'chained', DurationSeconds: 3601 }),
    );
    expect(e).toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    const { out } = await assume(deploy, { RoleArn: 'arn:aws:iam::222222222222:role/ReadOnly', RoleSessionName: 'chained', DurationSeconds: 3600 });
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/ReadOnly/chained');
  });

  it('three hops: alice (MFA) → 222 Deploy → 333 Admin (needs MFA) → 444 Admin (needs external id)', async () => {
    fake.reset();
    const hop1 = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'h1', SerialNumber: ALICE_MFA, TokenCode: '123456' });
    const hop2 = await assume(hop1.creds, { RoleArn: ADMIN_333, RoleSessionName: 'h2' });
    const hop3 = await assume(hop2.creds, { RoleArn: ADMIN_444, RoleSessionName: 'h3', ExternalId: 'acme-ext-id' });
    const id = await whoami(hop3.creds);
    expect(id).toMatchObject({ Arn: 'arn:aws:sts::444444444444:assumed-role/Admin/h3', Account: '444444444444' });
    expect(fake.requests.filter((r) => r.action === 'AssumeRole').map((r) => [r.callerArn, r.roleArn, r.status])).toEqual([
      ['arn:aws:iam::111111111111:user/alice', DEPLOY_222, 200],
      ['arn:aws:sts::222222222222:assumed-role/Deploy/h1', ADMIN_333, 200],
      ['arn:aws:sts::333333333333:assumed-role/Admin/h2', ADMIN_444, 200],
    ]);
    // The same chain without MFA at the first hop stops at 333.
    const plain = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'p1' });
    expect((await rejection(assume(plain.creds, { RoleArn: ADMIN_333, RoleSessionName: 'p2' }))).name).toBe('AccessDenied');
  });

  it('revokeRole: no new sessions; old ones keep GetCallerIdentity but are denied everything else', async () => {
    const own = await startFakeAws();
    try {
      const me = userCreds(own.seed, 'alice');
      const s = credsFrom(
        (await stsClient(own, me).send(new AssumeRoleCommand({ RoleArn: DEPLOY_222, RoleSessionName: 'before' }))).Credentials,
      );
      own.revokeRole(DEPLOY_222);
      expect((await stsClient(own, s).send(new GetCallerIdentityCommand({}))).Arn).toContain('Deploy/before');
      const chained = await rejection(
        stsClient(own, s).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/ReadOnly', RoleSessionName: 'x9' })),
      );
      expect(chained.message).toContain('with an explicit deny in an identity-based policy');
      const again = await rejection(stsClient(own, me).send(new AssumeRoleCommand({ RoleArn: DEPLOY_222, RoleSessionName: 'after' })));
      expect(again.name).toBe('AccessDenied');
    } finally {
      await own.close();
    }
  });
});

describe('what temporary sessions may call', () => {
  it('GetSessionToken: only with long-term keys; 900..129600 seconds', async () => {
    const { creds } = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'gst' });
    const e = await rejection(stsClient(fake, creds).send(new GetSessionTokenCommand({})));
    expect(e).toMatchObject({ name: 'AccessDenied', message: 'Cannot call GetSessionToken with session credentials' });
    const high = await rejection(stsClient(fake, alice).send(new GetSessionTokenCommand({ DurationSeconds: 129601 })));
    expect(high.name).toBe('ValidationError');
    expect((await rejection(stsClient(fake, alice).send(new GetSessionTokenCommand({ DurationSeconds: 899 })))).name).toBe('ValidationError');
    const ok = await stsClient(fake, alice).send(new GetSessionTokenCommand({ DurationSeconds: 129600 }));
    const session = credsFrom(ok.Credentials);
    // A GetSessionToken session may call neither GetSessionToken nor GetFederationToken.
    expect((await rejection(stsClient(fake, session).send(new GetSessionTokenCommand({})))).name).toBe('AccessDenied');
    expect((await rejection(stsClient(fake, session).send(new GetFederationTokenCommand({ Name: 'fed' })))).message).toBe(
      'Cannot call GetFederationToken with session credentials',
    );
  });

  it('GetFederationToken: long-term keys only; the federated session may only call GetCallerIdentity', async () => {
    const { creds } = await assume(alice, { RoleArn: DEPLOY_222, RoleSessionName: 'gft' });
    expect((await rejection(stsClient(fake, creds).send(new GetFederationTokenCommand({ Name: 'fed' })))).name).toBe('AccessDenied');
    expect((await rejection(stsClient(fake, alice).send(new GetFederationTokenCommand({ Name: 'f' })))).name).toBe('ValidationError');
    expect(
      (await rejection(stsClient(fake, alice).send(new GetFederationTokenCommand({ Name: 'fed', DurationSeconds: 129601 })))).name,
    ).toBe('ValidationError');
    const fed = credsFrom((await stsClient(fake, alice).send(new GetFederationTokenCommand({ Name: 'fed' }))).Credentials);
    expect((await whoami(fed)).Arn).toBe('arn:aws:sts::111111111111:federated-user/fed');
    const e = await rejection(assume(fed, { RoleArn: DEPLOY_222, RoleSessionName: 'from-fed' }));
    expect(e.name).toBe('AccessDenied');
    expect((await rejection(stsClient(fake, fed).send(new GetSessionTokenCommand({})))).name).toBe('AccessDenied');
  });
});
