/**
 * Which source a profile's credentials come from, ours against botocore's own answer, for the
 * web identity corpus case under the environments a pipeline has: no profile named with
 * AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE, with environment keys too, with AWS_PROFILE, and a
 * profile named explicitly (which ignores the environment). botocore defers the STS calls, so
 * its choice (and the role, session name and token file it would use) is read without AWS.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resolveAmbientChain, resolveChain, type Chain } from '../../src/config/chain.js';
import { loadAwsConfig } from '../../src/config/load.js';
import { defaultProfileName } from '../../src/credentials/resolver.js';
import { hasEnvironmentCredentials } from '../../src/credentials/sources/environment.js';
import { requirePython } from '../support/require-tool.js';

const botocore = requirePython('botocore.session');
const DIR = 'fixtures/config/86-web-identity';
const FILES = { AWS_CONFIG_FILE: `${DIR}/config`, AWS_SHARED_CREDENTIALS_FILE: `${DIR}/credentials` };
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const WEB = { AWS_ROLE_ARN: 'arn:aws:iam::111111111111:role/FromEnv', AWS_WEB_IDENTITY_TOKEN_FILE: '/env/token' };

interface Case {
  profile: string | null;
  env: Record<string, string>;
}
type Answer = { method: string | null; role_arn?: string; session_name?: string; token_file?: string } | { error: string };

const cases: Case[] = [
  ...['gha', 'eks', 'gha-prod', 'token-no-role', 'keys'].map((profile) => ({ profile, env: {} })),
  { profile: 'ci-env', env: KEYS },
  { profile: 'ci-env', env: WEB },
  { profile: null, env: WEB },
  { profile: null, env: { ...WEB, AWS_ROLE_SESSION_NAME: 'job-7' } },
  { profile: null, env: { ...WEB, ...KEYS } },
  { profile: null, env: { ...WEB, AWS_PROFILE: 'gha' } },
  { profile: null, env: { AWS_WEB_IDENTITY_TOKEN_FILE: '/env/token', AWS_PROFILE: 'gha' } },
  { profile: null, env: { AWS_ROLE_SESSION_NAME: 'job-8', AWS_PROFILE: 'eks' } },
  { profile: null, env: { ...WEB, AWS_PROFILE: 'gha-prod' } },
  { profile: null, env: { ...WEB, AWS_PROFILE: 'keys' } },
  { profile: null, env: { AWS_WEB_IDENTITY_TOKEN_FILE: '/env/token' } },
  { profile: 'keys', env: WEB },
  { profile: 'gha', env: { AWS_ROLE_ARN: 'arn:aws:iam::111111111111:role/Ignored', AWS_ROLE_SESSION_NAME: 'ignored' } },
];

/** Our answer in botocore's words. */
function ours(c: Case): Answer {
  const env = { ...FILES, ...c.env };
  try {
    if (c.profile === null && hasEnvironmentCredentials(env)) return { method: 'env' };
    const config = loadAwsConfig({ env });
    const name = c.profile ?? defaultProfileName(env);
    const chain: Chain = (c.profile === null ? resolveAmbientChain(config, name, env) : undefined) ?? resolveChain(config, name);
    // botocore loads a credential_source when it picks the provider; awsguard when the chain runs
    // (the same refusal, tested with its message in test/credentials/sources/environment.test.ts).
    if (chain.base.kind === 'credential-source' && chain.base.source === 'Environment' && !hasEnvironmentCredentials(env)) return { error: 'CredentialError' };
    if (chain.roles.length) {
      const last = chain.roles.at(-1)!;
      return { method: 'assume-role', role_arn: last.roleArn, ...(last.roleSessionName ? { session_name: last.roleSessionName } : {}) };
    }
    const b = chain.base;
    switch (b.kind) {
      case 'web-identity':
        return { method: 'assume-role-with-web-identity', role_arn: b.roleArn, ...(b.roleSessionName ? { session_name: b.roleSessionName } : {}), token_file: b.tokenFile };
      case 'static':
        return { method: b.file === 'credentials' ? 'shared-credentials-file' : 'config-file' };
      default:
        return { method: b.kind };
    }
  } catch (err) {
    return { error: (err as Error).name };
  }
}

/** botocore's error classes for a broken config, and ours. */
const sameError = (a: Answer, b: Answer) => 'error' in a && 'error' in b;

describe.skipIf(botocore.skip)(botocore.label('credential source choice vs botocore (web identity)'), () => {
  it('picks the source botocore picks, with the same role, session name and token file', () => {
    botocore.assert();
    const r = spawnSync('/usr/bin/python3', ['test/support/botocore_credentials.py'], {
      input: JSON.stringify(cases.map((c) => ({ ...c, env: { ...FILES, ...c.env } }))),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const theirs = JSON.parse(r.stdout) as Answer[];
    const diffs = cases
      .map((c, i) => ({ case: c, ours: ours(c), botocore: theirs[i]! }))
      .filter((d) => !sameError(d.ours, d.botocore) && JSON.stringify(d.ours) !== JSON.stringify(d.botocore));
    expect(diffs).toEqual([]);
    // The cases exercise each road: the environment form, env keys first, profile role settings first, errors.
    const methods = theirs.map((t) => ('error' in t ? `error:${t.error}` : t.method));
    expect(methods).toEqual(expect.arrayContaining(['assume-role-with-web-identity', 'env', 'assume-role', 'config-file']));
    expect(methods.some((m) => m?.startsWith('error:'))).toBe(true);
  });
});
