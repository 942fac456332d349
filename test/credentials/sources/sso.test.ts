/**
 * IAM Identity Center profiles: GetRoleCredentials with the CLI's cached access token, against
 * the fake portal (which knows the bearer tokens it issued and the permission sets assigned).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveChain } from '../../../src/config/chain.js';
import { loadAwsConfig } from '../../../src/config/load.js';
import { isSso, resolveSso, ssoMaterial, ssoScopeRefusal, type SsoBase } from '../../../src/credentials/sources/sso.js';
import { credentialFailure as failure, useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const { resolve, whoami } = t;
const baseOf = (profile: string): SsoBase => {
  const base = resolveChain(loadAwsConfig({ env: t.w.env }), profile).base;
  if (!isSso(base)) throw new Error(`${profile} is not an SSO profile`);
  return base;
};

describe('SSO', () => {
  it('uses the AWS CLI token cache and GetRoleCredentials', async () => {
    t.w.ssoLogin();
    const id = await whoami('acme-dev');
    expect(id.arn).toMatch(/^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]+\/alice@acme.example$/);
  });

  it('refreshes an access token about to expire with its refresh token, and writes it back', async () => {
    t.w.ssoLogin({ expiresInSeconds: 300 });
    const dir = join(t.w.home, '.aws', 'sso', 'cache');
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    const before = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { accessToken: string };
    await resolve('acme-staging');
    const after = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { accessToken: string; expiresAt: string };
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(new Date(after.expiresAt).getTime()).toBeGreaterThan(t.w.now() + 3000_000);
    expect(t.w.fake.calls('CreateToken')).toBe(1);
  });

  it('asks to log in when there is no token, or it expired with no way to refresh', async () => {
    let err = await failure(resolve('acme-dev'));
    expect(err.message).toBe('acme-dev: sso token for acme: NotLoggedIn: not logged in; run: awsguard login --sso-session acme');
    t.w.ssoLogin({ refresh: false, expiresInSeconds: 60 });
    t.w.fake.clock.advance(120);
    err = await failure(resolve('acme-dev'));
    expect(err.message).toContain('the SSO session has expired; run: awsguard login --sso-session acme');
  });
});

describe('resolveSso', () => {
  it("gives the account's role session, in the portal's region, with a bearer token and no signature", async () => {
    t.w.ssoLogin();
    const s = await resolveSso(t.ctx('acme-staging'), baseOf('acme-staging'), t.w.now);
    expect(s.mfa).toBeUndefined();
    expect(await t.arnOf(s.credentials)).toMatch(/^arn:aws:sts::222222222222:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]+\/alice@acme.example$/);
    expect(t.w.fake.requests.find((q) => q.action === 'GetRoleCredentials')).toMatchObject({ status: 200, bearer: true, account: '222222222222', roleName: 'AdministratorAccess' });
  });

  it('a token the portal no longer knows means logging in again', async () => {
    t.w.ssoLogin();
    const dir = join(t.w.home, '.aws', 'sso', 'cache');
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    const token = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { accessToken: string };
    writeFileSync(join(dir, file!), JSON.stringify({ ...token, accessToken: 'not-a-token-the-portal-issued' }));
    const err = await failure(resolveSso(t.ctx('acme-dev'), baseOf('acme-dev'), t.w.now));
    expect(err.message).toBe('acme-dev: sso role AdministratorAccess in 111111111111: UnauthorizedException: the SSO session is no longer valid; run: awsguard login --sso-session acme');
  });

  it('keys the session by portal, session, account and role: profiles naming the same share it', () => {
    const dev = baseOf('acme-dev');
    expect(ssoMaterial(dev)).toEqual([1, 'sso', 'https://acme.awsapps.com/start', 'acme', '111111111111', 'AdministratorAccess']);
    expect(ssoMaterial({ ...dev, profile: 'another-name' })).toEqual(ssoMaterial(dev));
    expect(ssoMaterial(baseOf('acme-dev-readonly'))).not.toEqual(ssoMaterial(dev));
    expect(ssoScopeRefusal('acme-dev', dev).message).toContain('a session policy cannot be applied to the SSO role AdministratorAccess itself');
  });
});
