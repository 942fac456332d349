import { AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { getSigninToken, loginUrl } from '../../src/console/federation.js';
import { credsFrom, stsClient, userCreds } from '../support/fake-aws/clients.js';
import { fakeAwsForFile } from '../support/fake-aws/per-file.js';

const { fake } = await fakeAwsForFile();

const endpoint = () => `${fake.url}/federation`;

describe('getSigninToken', () => {
  it('exchanges a role session for a token, sending SessionDuration only when given', async () => {
    const out = await stsClient(fake, userCreds(fake.seed, 'alice')).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/Admin', RoleSessionName: 'tester' }));
    const c = credsFrom(out.Credentials) as { accessKeyId: string; secretAccessKey: string; sessionToken: string };
    fake.reset();
    expect(await getSigninToken({ endpoint: endpoint(), credentials: c, env: {}, profile: 'p' })).toMatch(/^FAKESIGNIN/);
    expect(await getSigninToken({ endpoint: endpoint(), credentials: c, sessionDuration: 3600, env: {}, profile: 'p' })).toMatch(/^FAKESIGNIN/);
    expect(fake.requests.map((r) => r.sessionDuration)).toEqual([undefined, 3600]);
    await expect(getSigninToken({ endpoint: endpoint(), credentials: c, sessionDuration: 60, env: {}, profile: 'p' })).rejects.toThrow(/900s to 43200s/);
  });

  it('a refusal names the host and status and why, never the credentials', async () => {
    const out = await stsClient(fake, userCreds(fake.seed, 'ci-bot')).send(new GetSessionTokenCommand({}));
    const c = credsFrom(out.Credentials) as { accessKeyId: string; secretAccessKey: string; sessionToken: string };
    const err = (await getSigninToken({ endpoint: endpoint(), credentials: c, env: {}, profile: 'ci' }).catch((e: Error) => e)) as Error & { exitCode: number };
    expect(err.message).toMatch(/^ci: get console sign-in token: SigninRefused: 127\.0\.0\.1:\d+ answered HTTP 400: AWS accepts only role/);
    expect(err.exitCode).toBe(4);
    for (const s of [c.secretAccessKey, c.sessionToken, c.accessKeyId]) expect(err.message).not.toContain(s);
  });

  it('an unreachable endpoint is a credential error with the address only', async () => {
    const err = (await getSigninToken({ endpoint: 'http://127.0.0.1:1/federation', credentials: { accessKeyId: 'ASIAX', secretAccessKey: 'S'.repeat(40), sessionToken: 'T'.repeat(200) }, env: {}, profile: 'p' }).catch((e: Error) => e)) as Error;
    expect(err.message).toBe('p: get console sign-in token: ECONNREFUSED: cannot reach 127.0.0.1:1 (ECONNREFUSED)');
  });
});

describe('loginUrl', () => {
  it('encodes the token and the destination', () => {
    const u = new URL(loginUrl('https://signin.aws.amazon.com/federation', 'a+b/c=', 'https://console.aws.amazon.com/ec2/home?region=eu-west-1#x'));
    expect(u.searchParams.get('Action')).toBe('login');
    expect(u.searchParams.get('Issuer')).toBe('awsguard');
    expect(u.searchParams.get('SigninToken')).toBe('a+b/c=');
    expect(u.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/ec2/home?region=eu-west-1#x');
    expect(u.hash).toBe('');
  });
});
