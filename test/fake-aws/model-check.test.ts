/**
 * The fake refuses what AWS refuses: each request is checked against botocore's service model
 * before the operation runs, and the answer has AWS's shape for the protocol. Real SDK clients.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { ListAccountRolesCommand, ListAccountsCommand } from '@aws-sdk/client-sso';
import { CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import { AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { iamClient, oidcClient, rejection, ssoClient, stsClient } from '../support/fake-aws/clients.js';
import { javaPattern, ServiceModels } from '../support/fake-aws/model-check.js';
import { fakeAwsForFile } from '../support/fake-aws/per-file.js';

const { fake, alice } = await fakeAwsForFile();

const DEPLOY = 'arn:aws:iam::222222222222:role/Deploy';

describe('awsQuery services answer ValidationError, as AWS does', () => {
  it('DurationSeconds 899 is below the model\'s 900', async () => {
    const e = await rejection(stsClient(fake, alice).send(new GetSessionTokenCommand({ DurationSeconds: 899 })));
    expect(e).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(e.message).toBe("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
  });

  it('a RoleSessionName with a character outside [\\w+=,.@-]', async () => {
    const e = await rejection(stsClient(fake, alice).send(new AssumeRoleCommand({ RoleArn: DEPLOY, RoleSessionName: 'alice smith' })));
    expect(e).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(e.message).toContain("Value 'alice smith' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  });

  it('several problems at once are counted and listed, nested members by their path', async () => {
    const e = await rejection(
      stsClient(fake, alice).send(new AssumeRoleCommand({ RoleArn: 'arn:x', RoleSessionName: 'a', PolicyArns: [{ arn: 'short' }] })),
    );
    expect(e.message).toMatch(/^3 validation errors detected: /);
    expect(e.message).toContain("Value 'arn:x' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
    expect(e.message).toContain("Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");
    expect(e.message).toContain("Value 'short' at 'policyArns.1.member.arn' failed to satisfy constraint: Member must have length greater than or equal to 20");
  });

  it('IAM too: MaxItems above 1000', async () => {
    const e = await rejection(iamClient(fake, alice).send(new ListAccountAliasesCommand({ MaxItems: 1001 })));
    expect(e).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(e.message).toContain("at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000");
  });

  it('a valid request still goes through', async () => {
    const out = await stsClient(fake, alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });
});

describe('REST-JSON services answer InvalidRequestException', () => {
  it('ListAccounts and ListAccountRoles with maxResults 1000 (AWS accepts 1 to 100)', async () => {
    const { accessToken } = fake.sso.issueToken('alice@acme.example');
    for (const call of [
      new ListAccountsCommand({ accessToken, maxResults: 1000 }),
      new ListAccountRolesCommand({ accessToken, accountId: '111111111111', maxResults: 1000 }),
    ]) {
      const e = await rejection(ssoClient(fake).send(call as ListAccountsCommand));
      expect(e).toMatchObject({ name: 'InvalidRequestException', status: 400 });
      expect(e.message).toBe("1 validation error detected: Value '1000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
    }
    const ok = await ssoClient(fake).send(new ListAccountsCommand({ accessToken, maxResults: 100 }));
    expect(ok.accountList?.length).toBeGreaterThan(0);
  });

  it('a missing bearer token (a required header) is the portal\'s 401 UnauthorizedException, not a validation error', async () => {
    const e = await rejection(ssoClient(fake).send(new ListAccountsCommand({ accessToken: '' })));
    expect(e).toMatchObject({ name: 'UnauthorizedException', status: 401 });
  });

  it('SSO-OIDC: a required member missing, with the OAuth error body', async () => {
    const res = await fetch(`${fake.url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'x' }) });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^InvalidRequestException:/);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toContain("Value null at 'clientSecret' failed to satisfy constraint: Member must not be null");
    expect(body.error_description).toContain("Value null at 'grantType' failed to satisfy constraint: Member must not be null");
    // Sent through the SDK, the secret never comes back in the message.
    const e = await rejection(oidcClient(fake).send(new CreateTokenCommand({ clientId: 'x', clientSecret: 'FAKEsecret', grantType: '' })));
    expect(e.message).not.toContain('FAKEsecret');
  });
});

describe('the models', () => {
  it('are botocore\'s, and a missing one stops the fake from starting', () => {
    expect(() => new ServiceModels(mkdtempSync(join(tmpdir(), 'no-botocore-')))).toThrow(/cannot read .*sts\/2011-06-15\/service-2\.json; install python3-botocore/);
  });

  it('Java patterns are matched whole, with \\p{L} and supplementary planes', () => {
    expect(javaPattern('[\\w+=,.@-]*').test('alice@acme')).toBe(true);
    expect(javaPattern('[\\w+=,.@-]*').test('alice smith')).toBe(false);
    expect(javaPattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+').test('Ünïcode name 1')).toBe(true);
    expect(javaPattern('[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+').test('{"a":"😀"}')).toBe(true);
    expect(javaPattern('[\\w+=,.@\\:-]*').test('a:b')).toBe(true);
  });
});
