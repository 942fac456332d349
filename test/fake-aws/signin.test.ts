/**
 * The fake console federation endpoint against the rules AWS documents: which credentials it
 * takes, where SessionDuration is refused, single-use 15-minute sign-in tokens, the 302.
 */
import { AssumeRoleCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { credsFrom, stsClient, userCreds, type Creds } from '../support/fake-aws/clients.js';
import { CONSOLE_COOKIE } from '../support/fake-aws/index.js';
import { fakeAwsForFile } from '../support/fake-aws/per-file.js';

const { fake, alice } = await fakeAwsForFile();

const sts = (c: Creds) => stsClient(fake, c);
const roleFromAlice = async (roleArn = 'arn:aws:iam::111111111111:role/Admin') =>
  credsFrom((await sts(alice).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'tester' }))).Credentials);

async function signinToken(c: Creds, sessionDuration?: string): Promise<{ status: number; token?: string }> {
  const q = new URLSearchParams({ Action: 'getSigninToken' });
  if (sessionDuration !== undefined) q.set('SessionDuration', sessionDuration);
  q.set('Session', JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken ?? '' }));
  const res = await fetch(`${fake.url}/federation?${q}`);
  const body = await res.text();
  return { status: res.status, ...(res.status === 200 ? { token: (JSON.parse(body) as { SigninToken: string }).SigninToken } : {}) };
}

async function login(token: string, destination = 'https://console.aws.amazon.com/ec2/home?region=eu-west-1') {
  const q = new URLSearchParams({ Action: 'login', Issuer: 'test', Destination: destination, SigninToken: token });
  const res = await fetch(`${fake.url}/federation?${q}`, { redirect: 'manual' });
  const id = /fake-aws-console-session=([0-9a-f]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  return { status: res.status, location: res.headers.get('location'), session: id ? fake.signin.session(id) : undefined };
}

describe('getSigninToken', () => {
  it('exchanges a role session, and the login answers 302 to the destination with a console session of that role', async () => {
    const role = await roleFromAlice();
    const t = await signinToken(role, '7200');
    expect(t.status).toBe(200);
    const r = await login(t.token!);
    expect(r.status).toBe(302);
    expect(r.location).toBe('https://console.aws.amazon.com/ec2/home?region=eu-west-1');
    expect(r.session).toMatchObject({ arn: 'arn:aws:sts::111111111111:assumed-role/Admin/tester', account: '111111111111', sessionDuration: 7200, kind: 'assumed-role' });
    expect(r.session!.expiresAt - r.session!.createdAt).toBeGreaterThanOrEqual(7199_000);
    expect(CONSOLE_COOKIE).toBe('fake-aws-console-session');
  });

  it("refuses an IAM user's own keys and a GetSessionToken session", async () => {
    expect((await signinToken(alice)).status).toBe(400);
    const st = credsFrom((await sts(userCreds(fake.seed, 'ci-bot')).send(new GetSessionTokenCommand({}))).Credentials);
    expect((await signinToken(st)).status).toBe(400);
  });

  it('refuses a wrong secret or token, and expired credentials', async () => {
    const role = await roleFromAlice();
    expect((await signinToken({ ...role, secretAccessKey: 'x'.repeat(40) })).status).toBe(400);
    expect((await signinToken({ ...role, sessionToken: 'nope' })).status).toBe(400);
    fake.clock.advance(3601);
    try {
      expect((await signinToken(role)).status).toBe(400);
    } finally {
      fake.clock.advance(-3601);
    }
  });

  it('takes SessionDuration only from 900 to 43200 seconds', async () => {
    const role = await roleFromAlice();
    for (const d of ['899', '43201', 'abc', '1h']) expect((await signinToken(role, d)).status, d).toBe(400);
    for (const d of ['900', '43200']) expect((await signinToken(role, d)).status, d).toBe(200);
  });

  it('refuses SessionDuration for a federation token, whose console session lasts as long as the token', async () => {
    const out = await sts(alice).send(
      new GetFederationTokenCommand({ Name: 'tester', DurationSeconds: 1800, Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' }),
    );
    const fed = credsFrom(out.Credentials);
    expect((await signinToken(fed, '3600')).status).toBe(400);
    const t = await signinToken(fed);
    expect(t.status).toBe(200);
    const r = await login(t.token!);
    expect(r.session).toMatchObject({ arn: 'arn:aws:sts::111111111111:federated-user/tester', kind: 'federated-user', scoped: true });
    expect(r.session!.expiresAt).toBe(out.Credentials!.Expiration!.getTime());
  });

  it('refuses SessionDuration for a role-chained session, and without it the console ends with the credentials', async () => {
    const first = await roleFromAlice('arn:aws:iam::111111111111:role/Deploy');
    const out = await sts(first).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/ReadOnly', RoleSessionName: 'hop' }));
    const chained = credsFrom(out.Credentials);
    expect((await signinToken(chained, '900')).status).toBe(400);
    const t = await signinToken(chained);
    expect(t.status).toBe(200);
    const r = await login(t.token!);
    expect(r.session!.expiresAt).toBe(out.Credentials!.Expiration!.getTime());
  });
});

describe('login', () => {
  it('takes each sign-in token once, for 15 minutes', async () => {
    const role = await roleFromAlice();
    const once = (await signinToken(role)).token!;
    expect((await login(once)).status).toBe(302);
    expect((await login(once)).status).toBe(400);
    const late = (await signinToken(role)).token!;
    fake.clock.advance(15 * 60);
    try {
      expect((await login(late)).status).toBe(400);
    } finally {
      fake.clock.advance(-15 * 60);
    }
  });

  it('sends only to AWS console pages', async () => {
    const role = await roleFromAlice();
    for (const d of ['https://evil.example/', 'http://console.aws.amazon.com/', 'https://console.aws.amazon.com.evil.example/']) {
      expect((await login((await signinToken(role)).token!, d)).status, d).toBe(400);
    }
    expect((await login((await signinToken(role)).token!, 'https://cn-north-1.console.amazonaws.cn/console/home')).status).toBe(302);
  });

  it('records no secret, and lists the sign-in tokens among the issued secrets', async () => {
    const role = await roleFromAlice();
    const { token } = await signinToken(role, '900');
    const log = JSON.stringify(fake.requests);
    expect(log).not.toContain(token);
    expect(log).not.toContain(role.secretAccessKey);
    expect(log).not.toContain(role.sessionToken);
    expect(fake.issuedSecrets()).toContain(token);
    expect(fake.requests.filter((r) => r.service === 'signin').at(-1)).toMatchObject({ action: 'getSigninToken', sessionDuration: 900, status: 200 });
  });
});
