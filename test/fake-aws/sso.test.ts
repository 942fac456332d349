import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  paginateListAccounts,
} from '@aws-sdk/client-sso';
import { CreateTokenCommand, RegisterClientCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { credsFrom, iamClient, oidcClient, rejection, ssoClient, stsClient } from '../support/fake-aws/clients.js';
import { defaultSeed, ssoRoleArn, startFakeAws } from '../support/fake-aws/index.js';
import type { FakeAws, Seed } from '../support/fake-aws/index.js';
import { fakeAwsForFile } from '../support/fake-aws/per-file.js';

const START_URL = 'https://acme.awsapps.com/start';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const ALICE = 'alice@acme.example';

const { fake } = await fakeAwsForFile();

/** Registers a client and starts a device authorization, as `aws sso login` does. */
async function startLogin(f: FakeAws, scopes: string[] = ['sso:account:access']) {
  const oidc = oidcClient(f);
  const client = await oidc.send(new RegisterClientCommand({ clientName: 'awsguard-test', clientType: 'public', ...(scopes.length > 0 ? { scopes } : {}) }));
  const device = await oidc.send(
    new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: START_URL }),
  );
  const poll = () =>
    oidc.send(
      new CreateTokenCommand({
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        grantType: DEVICE_GRANT,
        deviceCode: device.deviceCode,
      }),
    );
  return { oidc, client, device, poll };
}

describe('SSO-OIDC device authorization', () => {
  it('pending → slow_down when polled too fast → approve → access and refresh token', async () => {
    const { client, device, poll } = await startLogin(fake);
    expect(client.clientId).toBeTruthy();
    expect(client.clientSecretExpiresAt).toBeGreaterThan(Math.floor(fake.clock.now() / 1000));
    expect(device.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(device.verificationUriComplete).toBe(`https://device.sso.eu-west-1.amazonaws.com/?user_code=${device.userCode}`);
    expect(device).toMatchObject({ expiresIn: 600, interval: 1 });

    const pending = await rejection(poll());
    expect(pending).toMatchObject({ name: 'AuthorizationPendingException', status: 400 });
    expect((await rejection(poll())).name).toBe('SlowDownException');
    fake.clock.advance(1);
    expect((await rejection(poll())).name).toBe('AuthorizationPendingException');

    fake.sso.approve(device.userCode ?? '', ALICE);
    fake.clock.advance(1);
    const token = await poll();
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 28800 });
    expect(token.accessToken).toBeTruthy();
    expect(token.refreshToken).toBeTruthy();

    // The device code is single-use.
    fake.clock.advance(1);
    expect((await rejection(poll())).name).toBe('InvalidGrantException');
    const accounts = await ssoClient(fake).send(new ListAccountsCommand({ accessToken: token.accessToken, maxResults: 100 }));
    expect(accounts.accountList).toHaveLength(12);
  });

  it('the error body carries the OAuth error code', async () => {
    const { poll } = await startLogin(fake);
    try {
      await poll();
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ error: 'authorization_pending' });
    }
  });

  it('denied → AccessDeniedException; expired device code → ExpiredTokenException', async () => {
    const denied = await startLogin(fake);
    fake.sso.deny(denied.device.userCode ?? '');
    expect((await rejection(denied.poll())).name).toBe('AccessDeniedException');

    const own = await startFakeAws();
    try {
      const late = await startLogin(own);
      own.clock.advance(601);
      expect((await rejection(late.poll())).name).toBe('ExpiredTokenException');
      expect(() => own.sso.approve(late.device.userCode ?? '', ALICE)).toThrow(/no pending device authorization/);
    } finally {
      await own.close();
    }
  });

  it('bad client credentials, unknown device code and unsupported grants are rejected', async () => {
    const { oidc, client, device } = await startLogin(fake);
    const wrongSecret = await rejection(
      oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: 'nope', grantType: DEVICE_GRANT, deviceCode: device.deviceCode })),
    );
    expect(wrongSecret).toMatchObject({ name: 'InvalidClientException', status: 401 });
    const unknown = await rejection(
      oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: 'zzz' })),
    );
    expect(unknown.name).toBe('InvalidGrantException');
    const grant = await rejection(
      oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'password' })),
    );
    expect(grant.name).toBe('UnsupportedGrantTypeException');
    const badType = await rejection(oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'confidential' })));
    expect(badType.name).toBe('InvalidClientMetadataException');
  });

  it('a client registered without scopes (legacy profile) gets no refresh token', async () => {
    const { device, poll } = await startLogin(fake, []);
    fake.sso.approve(device.userCode ?? '', ALICE);
    const token = await poll();
    expect(token.accessToken).toBeTruthy();
    expect(token.refreshToken).toBeUndefined();
  });

  it('autoApprove approves after N pending polls', async () => {
    const own = await startFakeAws({ autoApprove: 2 });
    try {
      const { poll } = await startLogin(own);
      expect((await rejection(poll())).name).toBe('AuthorizationPendingException');
      own.clock.advance(1);
      expect((await rejection(poll())).name).toBe('AuthorizationPendingException');
      own.clock.advance(1);
      expect((await poll()).accessToken).toBeTruthy();
    } finally {
      await own.close();
    }
  });
});

describe('SSO-OIDC refresh grant', () => {
  it('returns a new access token and rotates the refresh token; old and revoked ones → InvalidGrantException', async () => {
    const { oidc, client, device, poll } = await startLogin(fake);
    fake.sso.approve(device.userCode ?? '', ALICE);
    const first = await poll();
    const refresh = (refreshToken: string | undefined) =>
      oidc.send(
        new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken }),
      );
    const second = await refresh(first.refreshToken);
    expect(second.accessToken).toBeTruthy();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await rejection(refresh(first.refreshToken))).name).toBe('InvalidGrantException');
    expect((await rejection(refresh('aorFAKEunknown'))).name).toBe('InvalidGrantException');
    // Both access tokens work on the portal until they expire.
    for (const t of [first.accessToken, second.accessToken]) {
      await expect(ssoClient(fake).send(new ListAccountRolesCommand({ accessToken: t, accountId: '111111111111' }))).resolves.toBeDefined();
    }
    fake.sso.revokeRefreshTokens(ALICE);
    expect((await rejection(refresh(second.refreshToken))).name).toBe('InvalidGrantException');
  });

  it('issueToken mints a token (and a bound client for refresh) without the device flow', async () => {
    const t = fake.sso.issueToken(ALICE, { refresh: true });
    expect(t).toMatchObject({ startUrl: START_URL, region: 'eu-west-1' });
    expect(t.expiresAt.getTime()).toBeGreaterThan(fake.clock.now());
    const next = await oidcClient(fake).send(
      new CreateTokenCommand({ clientId: t.clientId, clientSecret: t.clientSecret, grantType: 'refresh_token', refreshToken: t.refreshToken }),
    );
    expect(next.accessToken).toBeTruthy();
  });
});

describe('SSO portal', () => {
  it('lists accounts and roles, and returns role credentials that STS recognises', async () => {
    const { accessToken } = fake.sso.issueToken(ALICE);
    const sso = ssoClient(fake);
    const roles = await sso.send(new ListAccountRolesCommand({ accessToken, accountId: '222222222222' }));
    expect(roles.roleList).toEqual([
      { roleName: 'AdministratorAccess', accountId: '222222222222' },
      { roleName: 'ReadOnlyAccess', accountId: '222222222222' },
    ]);
    const before = fake.clock.now();
    const out = await sso.send(new GetRoleCredentialsCommand({ accessToken, accountId: '222222222222', roleName: 'AdministratorAccess' }));
    const rc = out.roleCredentials;
    expect(typeof rc?.expiration).toBe('number');
    expect(Math.abs((rc?.expiration ?? 0) - (before + 3600_000))).toBeLessThan(5000);
    const id = await stsClient(fake, credsFrom(rc)).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('222222222222');
    expect(id.Arn).toMatch(/^arn:aws:sts::222222222222:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/alice@acme\.example$/);
    expect(id.UserId).toMatch(/^AROA[A-Z2-7]{17}:alice@acme\.example$/);
    expect(fake.requests.at(-2)).toMatchObject({ service: 'sso', action: 'GetRoleCredentials', bearer: true, account: '222222222222', roleName: 'AdministratorAccess', status: 200 });
  });

  it('ReadOnlyAccess SSO credentials may list aliases; SSO sessions chain into roles (1h cap)', async () => {
    const { accessToken } = fake.sso.issueToken(ALICE);
    const ro = await ssoClient(fake).send(new GetRoleCredentialsCommand({ accessToken, accountId: '333333333333', roleName: 'ReadOnlyAccess' }));
    expect((await iamClient(fake, credsFrom(ro.roleCredentials)).send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['acme-prod']);
    const admin = await ssoClient(fake).send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'AdministratorAccess' }));
    const sts = stsClient(fake, credsFrom(admin.roleCredentials));
    const chained = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/Deploy', RoleSessionName: 'from-sso' }));
    expect(chained.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/Deploy/from-sso');
    const long = await rejection(
      sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/Deploy', RoleSessionName: 'long', DurationSeconds: 7200 })),
    );
    expect(long.message).toContain('role chaining');
  });

  it('roles may trust an SSO user or the reserved SSO role ARN', async () => {
    const seed: Seed = defaultSeed();
    const instance = seed.sso[0];
    if (!instance) throw new Error('seed has no SSO instance');
    seed.roles.push(
      { arn: 'arn:aws:iam::666666666666:role/AliceOnly', roleId: 'AROAFAKEALICEONLY0001', trust: { principals: [`sso-user:${ALICE}`] } },
      {
        arn: 'arn:aws:iam::666666666666:role/FromSsoReadOnly',
        roleId: 'AROAFAKESSORO00000001',
        trust: { principals: [ssoRoleArn(instance, 'ReadOnlyAccess', '111111111111')] },
      },
    );
    const own = await startFakeAws({ seed });
    try {
      const creds = async (user: string, roleName: string) =>
        credsFrom(
          (
            await ssoClient(own).send(
              new GetRoleCredentialsCommand({ accessToken: own.sso.issueToken(user).accessToken, accountId: '111111111111', roleName }),
            )
          ).roleCredentials,
        );
      const assume = async (c: Awaited<ReturnType<typeof creds>>, RoleArn: string) =>
        stsClient(own, c).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'sso-trust' }));
      const aliceRo = await creds(ALICE, 'ReadOnlyAccess');
      const bobRo = await creds('bob@acme.example', 'ReadOnlyAccess');
      const aliceAdmin = await creds(ALICE, 'AdministratorAccess');
      expect((await assume(aliceRo, 'arn:aws:iam::666666666666:role/AliceOnly')).AssumedRoleUser?.Arn).toContain('AliceOnly');
      expect((await rejection(assume(bobRo, 'arn:aws:iam::666666666666:role/AliceOnly'))).name).toBe('AccessDenied');
      expect((await assume(bobRo, 'arn:aws:iam::666666666666:role/FromSsoReadOnly')).AssumedRoleUser?.Arn).toContain('FromSsoReadOnly');
      expect((await rejection(assume(aliceAdmin, 'arn:aws:iam::666666666666:role/FromSsoReadOnly'))).name).toBe('AccessDenied');
    } finally {
      await own.close();
    }
  });

  it('missing, unknown, expired or logged-out tokens → 401 UnauthorizedException', async () => {
    const sso = ssoClient(fake);
    const unknown = await rejection(sso.send(new ListAccountsCommand({ accessToken: 'aoaFAKEnotatoken' })));
    expect(unknown).toMatchObject({ name: 'UnauthorizedException', status: 401, message: 'Session token not found or invalid' });

    const token = fake.sso.issueToken(ALICE);
    await sso.send(new LogoutCommand({ accessToken: token.accessToken }));
    expect((await rejection(sso.send(new ListAccountsCommand({ accessToken: token.accessToken })))).name).toBe('UnauthorizedException');

    const own = await startFakeAws();
    try {
      const t = own.sso.issueToken(ALICE);
      await expect(ssoClient(own).send(new ListAccountsCommand({ accessToken: t.accessToken }))).resolves.toBeDefined();
      own.clock.set(t.expiresAt.getTime());
      const expired = await rejection(ssoClient(own).send(new ListAccountsCommand({ accessToken: t.accessToken })));
      expect(expired).toMatchObject({ name: 'UnauthorizedException', status: 401 });
    } finally {
      await own.close();
    }
    const raw = await fetch(`${fake.url}/assignment/accounts`);
    expect(raw.status).toBe(401);
    expect(raw.headers.get('x-amzn-errortype')).toMatch(/^UnauthorizedException:/);
    expect(await raw.json()).toEqual({ message: 'Session token not found or invalid' });
  });

  it('an unassigned account or permission set → ForbiddenException "No access"', async () => {
    const { accessToken } = fake.sso.issueToken('bob@acme.example');
    const e = await rejection(
      ssoClient(fake).send(new GetRoleCredentialsCommand({ accessToken, accountId: '222222222222', roleName: 'ReadOnlyAccess' })),
    );
    expect(e).toMatchObject({ name: 'ForbiddenException', status: 403, message: 'No access' });
  });

  it('paginates 2,500 accounts', async () => {
    const seed = defaultSeed();
    const instance = seed.sso[0];
    if (!instance) throw new Error('seed has no SSO instance');
    for (let i = 0; i < 2500; i++) {
      const id = String(900000000000 + i);
      seed.accounts.push({ id, name: `bulk-${i}`, email: `bulk-${i}@acme.example` });
      instance.assignments.push({ username: 'bob@acme.example', accountId: id, permissionSets: ['ReadOnlyAccess'] });
    }
    const own = await startFakeAws({ seed });
    try {
      const { accessToken } = own.sso.issueToken('bob@acme.example');
      const ids: string[] = [];
      // AWS's limit for maxResults is 100: more is refused, not capped.
      const tooMany = await rejection(ssoClient(own).send(new ListAccountsCommand({ accessToken, maxResults: 1000 })));
      expect(tooMany).toMatchObject({ name: 'InvalidRequestException', status: 400 });
      expect(String(tooMany.message)).toContain("Value '1000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
      for await (const page of paginateListAccounts({ client: ssoClient(own), pageSize: 100 }, { accessToken })) {
        expect(page.accountList?.length).toBeLessThanOrEqual(100);
        ids.push(...(page.accountList ?? []).map((a) => a.accountId ?? ''));
      }
      expect(ids).toHaveLength(2501);
      expect(new Set(ids).size).toBe(2501);
      expect(own.calls('ListAccounts')).toBe(27);
      const forged = await rejection(ssoClient(own).send(new ListAccountsCommand({ accessToken, nextToken: 'bm9wZQ.forged' })));
      expect(forged).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    } finally {
      await own.close();
    }
  });
});
