import { ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { credsFrom, iamClient, rejection, stsClient, userCreds } from '../support/fake-aws/clients.js';
import type { Creds } from '../support/fake-aws/clients.js';
import { fakeAwsForFile } from '../support/fake-aws/per-file.js';

const { fake, alice } = await fakeAwsForFile();

const aliases = async (creds: Creds) => (await iamClient(fake, creds).send(new ListAccountAliasesCommand({}))).AccountAliases;
const assume = async (input: AssumeRoleCommandInput, from: Creds = alice) =>
  credsFrom((await stsClient(fake, from).send(new AssumeRoleCommand(input))).Credentials);
const policy = (effect: 'Allow' | 'Deny', action: string | string[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });

describe('IAM ListAccountAliases', () => {
  it('returns the caller account alias (routed to IAM by the SigV4 scope)', async () => {
    fake.reset();
    expect(await aliases(alice)).toEqual(['acme-dev']);
    expect(await aliases(await assume({ RoleArn: 'arn:aws:iam::333333333333:role/ReadOnly', RoleSessionName: 'ro' }))).toEqual(['acme-prod']);
    expect(fake.requests.map((r) => [r.service, r.action])).toEqual([
      ['iam', 'ListAccountAliases'],
      ['sts', 'AssumeRole'],
      ['iam', 'ListAccountAliases'],
    ]);
  });

  it('an account without an alias gives an empty list; a role without the permission gets AccessDenied', async () => {
    expect(await aliases(await assume({ RoleArn: 'arn:aws:iam::555555555555:role/Admin', RoleSessionName: 'sbx' }))).toEqual([]);
    const sandbox = await assume({ RoleArn: 'arn:aws:iam::555555555555:role/Sandbox', RoleSessionName: 'sbx' });
    const e = await rejection(aliases(sandbox));
    expect(e).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:sts::555555555555:assumed-role/Sandbox/sbx is not authorized to perform: iam:ListAccountAliases on resource: * because no identity-based policy allows the iam:ListAccountAliases action',
    });
  });

  it('wrong secret and unknown key fail IAM the same way as STS', async () => {
    expect((await rejection(aliases({ ...alice, secretAccessKey: 'C'.repeat(40) }))).name).toBe('SignatureDoesNotMatch');
    const unknown = await rejection(aliases({ accessKeyId: 'AKIAFAKENOBODY000000', secretAccessKey: 'C'.repeat(40) }));
    expect(unknown).toMatchObject({ name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid' });
  });
});

describe('session policies', () => {
  const role = 'arn:aws:iam::222222222222:role/Admin';

  it('an explicit Deny in the session policy wins', async () => {
    const s = await assume({ RoleArn: role, RoleSessionName: 'deny', Policy: policy('Deny', 'iam:List*') });
    const e = await rejection(aliases(s));
    expect(e.message).toContain('with an explicit deny in a session policy');
  });

  it('a session policy that does not allow the action denies it', async () => {
    const s = await assume({ RoleArn: role, RoleSessionName: 's3only', Policy: policy('Allow', ['s3:*', 'ec2:Describe*']) });
    expect((await rejection(aliases(s))).message).toContain('because no session policy allows the iam:ListAccountAliases action');
  });

  it('wildcards in Allow match; ReadOnlyAccess as a policy ARN allows iam:List*', async () => {
    expect(await aliases(await assume({ RoleArn: role, RoleSessionName: 'wild', Policy: policy('Allow', 'iam:listaccount*') }))).toEqual([
      'acme-staging',
    ]);
    const ro = await assume({ RoleArn: role, RoleSessionName: 'ro', PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });
    expect(await aliases(ro)).toEqual(['acme-staging']);
    const unknown = await assume({ RoleArn: role, RoleSessionName: 'unk', PolicyArns: [{ arn: 'arn:aws:iam::222222222222:policy/Nothing' }] });
    expect((await rejection(aliases(unknown))).name).toBe('AccessDenied');
  });

  it('a malformed inline policy → MalformedPolicyDocumentException', async () => {
    const e = await rejection(assume({ RoleArn: role, RoleSessionName: 'bad', Policy: '{"Statement": [' }));
    expect(e).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
  });
});

describe('which temporary credentials may call IAM', () => {
  it('GetSessionToken without MFA cannot (AWS answers InvalidClientTokenId); with MFA it can', async () => {
    const noMfa = credsFrom((await stsClient(fake, alice).send(new GetSessionTokenCommand({}))).Credentials);
    expect((await rejection(aliases(noMfa))).name).toBe('InvalidClientTokenId');
    const mfa = credsFrom(
      (
        await stsClient(fake, alice).send(
          new GetSessionTokenCommand({ SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456' }),
        )
      ).Credentials,
    );
    expect(await aliases(mfa)).toEqual(['acme-dev']);
  });

  it('GetFederationToken sessions cannot call IAM at all, whatever their policy', async () => {
    const fed = credsFrom(
      (
        await stsClient(fake, alice).send(
          new GetFederationTokenCommand({ Name: 'fed-admin', PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] }),
        )
      ).Credentials,
    );
    const e = await rejection(aliases(fed));
    expect(e).toMatchObject({ name: 'AccessDenied' });
    expect(e.message).toContain('federated-user/fed-admin is not authorized to perform: iam:ListAccountAliases');
  });
});

describe("IAM: a user's own access keys", () => {
  it('creates up to two keys, lists them, refuses an Inactive key for signing, deletes, and reports last use', async () => {
    const { CreateAccessKeyCommand, DeleteAccessKeyCommand, GetAccessKeyLastUsedCommand, GetUserCommand, ListAccessKeysCommand, UpdateAccessKeyCommand } = await import('@aws-sdk/client-iam');
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    fake.seed.users.push({ account: '111111111111', name: 'carol', userId: 'AIDAFAKECAROL0000001', accessKeys: [{ accessKeyId: 'AKIAFAKECAROL0000001', secretAccessKey: 'S'.repeat(40) }] });
    const carol = userCreds(fake.seed, 'carol');
    const iam = iamClient(fake, carol);
    expect((await iam.send(new GetUserCommand({}))).User?.Arn).toBe('arn:aws:iam::111111111111:user/carol');
    fake.setKeyPropagationDelay(60_000);
    const made = (await iam.send(new CreateAccessKeyCommand({}))).AccessKey!;
    fake.setKeyPropagationDelay(0);
    expect(made).toMatchObject({ UserName: 'carol', Status: 'Active' });
    expect(made.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const fresh = { accessKeyId: made.AccessKeyId!, secretAccessKey: made.SecretAccessKey! };
    // Not usable until IAM has propagated it.
    expect((await rejection(stsClient(fake, fresh).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    fake.clock.advance(61);
    expect((await stsClient(fake, fresh).send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::111111111111:user/carol');
    expect(await rejection(iam.send(new CreateAccessKeyCommand({})))).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
    const listed = (await iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!;
    expect(listed.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      ['AKIAFAKECAROL0000001', 'Active'],
      [fresh.accessKeyId, 'Active'],
    ]);
    await iamClient(fake, fresh).send(new UpdateAccessKeyCommand({ AccessKeyId: 'AKIAFAKECAROL0000001', Status: 'Inactive' }));
    expect((await rejection(stsClient(fake, carol).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    const used = (await iamClient(fake, fresh).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: fresh.accessKeyId }))).AccessKeyLastUsed!;
    expect(used).toMatchObject({ ServiceName: 'iam', Region: 'us-east-1' });
    await iamClient(fake, fresh).send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAFAKECAROL0000001' }));
    expect(await rejection(iamClient(fake, fresh).send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAFAKECAROL0000001' })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect(fake.issuedSecrets()).toContain(fresh.secretAccessKey);
  });
});
