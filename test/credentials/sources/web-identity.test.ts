/**
 * Web identity (AssumeRoleWithWebIdentity) against the fake AWS, which verifies the token's
 * RS256 signature, issuer, audience and expiry against its seeded OIDC provider.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAwsConfig } from '../../../src/config/load.js';
import { resolveProfile, type ResolveOptions } from '../../../src/credentials/resolver.js';
import { isWebIdentity, readWebIdentityToken, resolveWebIdentity, webIdentityMaterial, webIdentityStep } from '../../../src/credentials/sources/web-identity.js';
import { getCallerIdentity } from '../../../src/credentials/sts.js';
import { ConfigError } from '../../../src/errors.js';
import { openSessionWith } from '../../../src/commands/open-session.js';
import type { CommandContext } from '../../../src/cli/context.js';
import { credentialFailure as failure } from '../../support/resolve.js';
import { assertNoSecrets, createWorld, type World } from '../../support/world.js';

let w: World;
let tokenFile: string;
const GHA = 'arn:aws:iam::111111111111:role/GitHubActions';

const CONFIG = (file: string) => `[profile gha]
role_arn = ${GHA}
web_identity_token_file = ${file}
role_session_name = gha-run
region = eu-west-1

[profile gha-prod]
role_arn = arn:aws:iam::333333333333:role/Deploy
source_profile = gha
region = eu-west-1

[profile dev-keys]
role_arn = arn:aws:iam::222222222222:role/Deploy
source_profile = ci
`;

function opts(extra: Partial<ResolveOptions> = {}): ResolveOptions {
  return { env: w.env, now: w.now, cacheDir: w.cacheDir, mfa: {}, ...extra };
}
const config = () => loadAwsConfig({ env: w.env });
const resolve = (profile: string, extra: Partial<ResolveOptions> = {}) => resolveProfile(config(), profile, opts(extra));
const arnOf = async (creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) =>
  (await getCallerIdentity({ env: w.env, region: 'eu-west-1', profile: 'x' }, creds)).arn;
const writeToken = (claims: { sub?: string; jti?: string; expiresInSeconds?: number; aud?: string } = {}) =>
  writeFileSync(tokenFile, w.fake.webIdentityToken({ sub: 'repo:acme/app:ref:refs/heads/main', ...claims }) + '\n');

beforeEach(async () => {
  w = await createWorld();
  tokenFile = join(w.home, 'token');
  writeFileSync(w.env.AWS_CONFIG_FILE!, CONFIG(tokenFile));
});
afterEach(async () => w.close());

describe('web identity profiles', () => {
  it('assumes the role with the token, unsigned, and caches the session', async () => {
    writeToken({ jti: 'one' });
    const r = await resolve('gha');
    expect(await arnOf(r.credentials)).toBe('arn:aws:sts::111111111111:assumed-role/GitHubActions/gha-run');
    const call = w.fake.requests.find((q) => q.action === 'AssumeRoleWithWebIdentity')!;
    expect(call).toMatchObject({ status: 200, webIdentity: true, webIdentityTokenId: 'one', roleSessionName: 'gha-run' });
    expect(call.accessKeyId).toBeUndefined();
    expect((await resolve('gha')).fromCache).toBe(true);
    expect(w.fake.calls('AssumeRoleWithWebIdentity')).toBe(1);
    assertNoSecrets(JSON.stringify(r.notes) + JSON.stringify(w.fake.requests), w.secrets());
  });

  it('is the source of further role hops (web identity -> role)', async () => {
    writeToken();
    const r = await resolve('gha-prod');
    expect(r.chain.base).toMatchObject({ kind: 'web-identity', profile: 'gha' });
    expect(await arnOf(r.credentials)).toMatch(/^arn:aws:sts::333333333333:assumed-role\/Deploy\//);
    expect(w.fake.requests.find((q) => q.action === 'AssumeRole')?.callerArn).toBe('arn:aws:sts::111111111111:assumed-role/GitHubActions/gha-run');
  });

  it('reads the rotated token when the session is made again; the same identity reuses the session, another does not', async () => {
    writeToken({ jti: 'one' });
    await resolve('gha');
    writeToken({ jti: 'two' });
    expect((await resolve('gha')).fromCache).toBe(true);
    await resolve('gha', { refresh: true });
    expect(w.fake.requests.filter((q) => q.action === 'AssumeRoleWithWebIdentity').map((q) => q.webIdentityTokenId)).toEqual(['one', 'two']);
    writeToken({ jti: 'three', sub: 'repo:acme/other:ref:refs/heads/main' });
    const other = await resolve('gha');
    expect(other.fromCache).toBe(false);
    expect(w.fake.requests.at(-1)?.webIdentitySubject).toBe('repo:acme/other:ref:refs/heads/main');
  });

  it('names the file when the token is missing, empty or expired', async () => {
    expect((await failure(resolve('gha'))).message).toBe(
      `gha: assume role with web identity ${GHA}: WebIdentityTokenMissing: cannot read the web identity token file ${tokenFile}: no such file`,
    );
    writeFileSync(tokenFile, '\n');
    expect((await failure(resolve('gha'))).message).toContain(`the web identity token file ${tokenFile} is empty`);
    writeToken({ expiresInSeconds: -120 });
    const expired = await failure(resolve('gha'));
    expect(expired.code).toBe('WebIdentityTokenExpired');
    expect(expired.message).toMatch(new RegExp(`the web identity token in ${tokenFile} expired at \\S+ \\(2 minutes ago\\)`));
    expect(w.fake.calls('AssumeRoleWithWebIdentity')).toBe(0);
  });

  it("passes on STS's refusals: a foreign audience, an untrusted subject", async () => {
    writeToken({ aud: 'https://gitlab.example' });
    // The provider accepts only sts.amazonaws.com: the token is refused before the trust policy.
    w.fake.seed.oidcProviders![0]!.audiences.push('https://gitlab.example');
    const aud = await failure(resolve('gha'));
    expect(aud.message).toContain('AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity');
    w.fake.seed.oidcProviders![0]!.audiences.pop();
    expect((await failure(resolve('gha'))).message).toContain(`(token from ${tokenFile}): InvalidIdentityToken: Incorrect token audience`);
    writeToken({ sub: 'repo:evil/app:ref:refs/heads/main' });
    expect((await failure(resolve('gha'))).code).toBe('AccessDenied');
  });

  it('refuses a token file without a role, as botocore does', async () => {
    writeFileSync(w.env.AWS_CONFIG_FILE!, `[profile bad]\nweb_identity_token_file = ${tokenFile}\n`);
    await expect(resolve('bad')).rejects.toThrow(ConfigError);
    await expect(resolve('bad')).rejects.toThrow('profile "bad" has web_identity_token_file but no role_arn');
  });
});

describe('the environment form (no profile named)', () => {
  const ctx = (env: Record<string, string>): CommandContext => ({
    env,
    now: w.now,
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
  });
  const open = (env: Record<string, string>, profile?: string) =>
    openSessionWith(ctx(env), profile === undefined ? {} : { profile }, opts({ env }));

  it('uses AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE when no profile is named', async () => {
    writeToken();
    const env = { ...w.env, AWS_ROLE_ARN: GHA, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_SESSION_NAME: 'from-env' };
    const { resolution } = await open(env);
    expect(resolution.profile).toBe('environment');
    expect(await arnOf(resolution.credentials)).toBe('arn:aws:sts::111111111111:assumed-role/GitHubActions/from-env');
    expect(resolution.notes).toContain('web identity from the environment (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME)');
  });

  it("merges key by key with the default profile's web identity settings, as botocore does", async () => {
    writeToken();
    writeFileSync(w.env.AWS_CONFIG_FILE!, CONFIG(tokenFile) + `\n[default]\nrole_arn = ${GHA}\nweb_identity_token_file = /nonexistent\nrole_session_name = from-profile\n`);
    const { resolution } = await open({ ...w.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile });
    expect(resolution.profile).toBe('default');
    expect(await arnOf(resolution.credentials)).toBe('arn:aws:sts::111111111111:assumed-role/GitHubActions/from-profile');
  });

  it("loses to the environment's keys and to the profile's role settings; a named profile ignores it", async () => {
    writeToken();
    const webEnv = { AWS_ROLE_ARN: GHA, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile };
    const withKeys = await open({ ...w.env, ...webEnv, AWS_ACCESS_KEY_ID: 'AKIAFAKECIBOT0000001', AWS_SECRET_ACCESS_KEY: 'FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu' });
    expect(withKeys.resolution.chain.base).toMatchObject({ kind: 'credential-source', source: 'Environment' });
    const roleProfile = await open({ ...w.env, ...webEnv, AWS_PROFILE: 'dev-keys' });
    expect(roleProfile.resolution.chain.base).toMatchObject({ kind: 'static', profile: 'ci' });
    const named = await open({ ...w.env, ...webEnv }, 'dev-keys');
    expect(named.resolution.chain.roles.map((r) => r.roleArn)).toEqual(['arn:aws:iam::222222222222:role/Deploy']);
    expect(w.fake.calls('AssumeRoleWithWebIdentity')).toBe(0);
  });
});

describe('resolveWebIdentity and the token file', () => {
  const base = () => ({ kind: 'web-identity' as const, profile: 'gha', roleArn: GHA, tokenFile });

  it('keys the session by whose token it is; a token that is not a JWT by the token (hashed, never as it is)', () => {
    writeToken({ jti: 'one' });
    const one = readWebIdentityToken('gha', 'step', tokenFile);
    writeToken({ jti: 'two' });
    const two = readWebIdentityToken('gha', 'step', tokenFile);
    expect(two.token.endsWith('\n')).toBe(false);
    expect(webIdentityMaterial(base(), two, 'gha-run', undefined, undefined)).toEqual(webIdentityMaterial(base(), one, 'gha-run', undefined, undefined));
    expect(webIdentityMaterial(base(), one, 'gha-run', 900, undefined)).toEqual([1, 'web-identity', GHA, tokenFile, one.subject!.iss, one.subject!.sub, one.subject!.aud, 'gha-run', 900, null]);
    writeFileSync(tokenFile, 'opaque-token-FAKEsecret\n');
    const opaque = readWebIdentityToken('gha', 'step', tokenFile);
    const material = JSON.stringify(webIdentityMaterial(base(), opaque, 'gha-run', undefined, undefined));
    expect(material).not.toContain('FAKEsecret');
    expect(material).not.toBe(JSON.stringify(webIdentityMaterial(base(), { token: 'another' }, 'gha-run', undefined, undefined)));
  });

  it('makes the session unsigned with the token; refuses an expired one before asking STS', async () => {
    expect(isWebIdentity(base())).toBe(true);
    expect(webIdentityStep(base(), 'gha-prod')).toBe(`assume role with web identity ${GHA} (via gha)`);
    writeToken({ jti: 'direct' });
    const token = readWebIdentityToken('gha', 'step', tokenFile);
    const s = await resolveWebIdentity({ env: w.env, region: 'eu-west-1', profile: 'gha' }, base(), { token, sessionName: 'direct-run', step: 'step' }, w.now());
    expect(await arnOf(s.credentials)).toBe('arn:aws:sts::111111111111:assumed-role/GitHubActions/direct-run');
    expect(w.fake.requests.find((q) => q.action === 'AssumeRoleWithWebIdentity')).toMatchObject({ status: 200, webIdentityTokenId: 'direct' });
    const late = await failure(resolveWebIdentity({ env: w.env, region: 'eu-west-1', profile: 'asked' }, base(), { token, sessionName: 'direct-run', step: 'step' }, token.expiresAt! + 60_000));
    expect(late.message).toMatch(/^asked: step: WebIdentityTokenExpired: /);
    expect(w.fake.calls('AssumeRoleWithWebIdentity')).toBe(1);
  });
});
