/**
 * Keys from the environment: with no profile named, and as a profile's credential_source =
 * Environment (the base of a role chain in a pipeline), against the fake STS.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../../src/credentials/resolver.js';
import { hasEnvironmentCredentials, isEnvironment, resolveEnvironmentCredentials } from '../../../src/credentials/sources/environment.js';
import { credentialFailure as failure, useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const { resolve, opts, arnOf } = t;
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAFAKECIBOT0000001', AWS_SECRET_ACCESS_KEY: 'FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu' };
const GHA = 'arn:aws:iam::111111111111:role/GitHubActions';
const fromEnvProfile = () => writeFileSync(t.w.env.AWS_CONFIG_FILE!, `[profile from-env]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\ncredential_source = Environment\n`);

describe('environment credentials', () => {
  it('turns long-term keys from the environment into a session', async () => {
    const env = { ...t.w.env, AWS_ACCESS_KEY_ID: 'AKIAFAKECIBOT0000001', AWS_SECRET_ACCESS_KEY: 'FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu' };
    const r = await resolveEnvironment(opts({ env }));
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
  });

  it('hands on a session in the environment as it is, without calling STS', async () => {
    const env = { ...t.w.env, ...KEYS, AWS_ACCESS_KEY_ID: 'ASIAFAKEENV000000001', AWS_SESSION_TOKEN: 'tok', AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z', AWSGUARD_PROFILE: 'prod-admin' };
    const r = await resolveEnvironment(opts({ env }));
    expect(r.profile).toBe('prod-admin');
    expect(r.credentials).toEqual({ accessKeyId: 'ASIAFAKEENV000000001', secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY, sessionToken: 'tok', expiration: new Date('2030-01-01T00:00:00Z') });
    expect(t.w.fake.requests).toHaveLength(0);
  });
});

describe('credential_source in a pipeline', () => {
  it('Environment: the ambient keys are the base of the role chain', async () => {
    fromEnvProfile();
    const env = { ...t.w.env, AWS_ACCESS_KEY_ID: 'AKIAFAKECIBOT0000001', AWS_SECRET_ACCESS_KEY: 'FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu' };
    const r = await resolve('from-env', { env });
    expect(await arnOf(r.credentials)).toMatch(/^arn:aws:sts::222222222222:assumed-role\/Deploy\//);
    expect(t.w.fake.requests.find((q) => q.action === 'AssumeRole')?.callerArn).toBe('arn:aws:iam::111111111111:user/ci-bot');
  });

  it("Environment means the keys (botocore's EnvProvider), not a web identity token, and says what to do instead", async () => {
    fromEnvProfile();
    const err = await failure(resolve('from-env', { env: { ...t.w.env, AWS_WEB_IDENTITY_TOKEN_FILE: '/run/token', AWS_ROLE_ARN: GHA } }));
    expect(err.message).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set (credential_source = Environment means those keys');
    expect(err.message).toContain('point source_profile at a profile with role_arn and web_identity_token_file');
  });
});

describe('resolveEnvironmentCredentials', () => {
  it('reads the keys, the older AWS_SECURITY_TOKEN, and an expiration only when it is a time', () => {
    expect(isEnvironment({ kind: 'credential-source', profile: 'p', source: 'Environment' })).toBe(true);
    expect(isEnvironment({ kind: 'credential-source', profile: 'p', source: 'EcsContainer' })).toBe(false);
    expect(resolveEnvironmentCredentials('p', { ...KEYS, AWS_SECURITY_TOKEN: 'old', AWS_CREDENTIAL_EXPIRATION: 'never' })).toEqual({
      accessKeyId: KEYS.AWS_ACCESS_KEY_ID,
      secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY,
      sessionToken: 'old',
    });
    expect(resolveEnvironmentCredentials('p', { ...KEYS, AWS_SESSION_TOKEN: 'new', AWS_SECURITY_TOKEN: 'old' }).sessionToken).toBe('new');
  });

  it('needs both halves of the key, as botocore does', () => {
    expect(hasEnvironmentCredentials({ AWS_ACCESS_KEY_ID: KEYS.AWS_ACCESS_KEY_ID })).toBe(false);
    expect(hasEnvironmentCredentials(KEYS)).toBe(true);
    expect(() => resolveEnvironmentCredentials('asked', { AWS_SECRET_ACCESS_KEY: 'x' })).toThrow(
      'asked: credential_source Environment: NoCredentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set',
    );
  });
});
