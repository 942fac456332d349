/**
 * Keys in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN or the
 * older AWS_SECURITY_TOKEN, AWS_CREDENTIAL_EXPIRATION): botocore's EnvProvider, used when no
 * profile is named and for a profile with credential_source = Environment.
 */
import { CredentialError } from '../../errors.js';
import type { BaseSource } from '../../config/chain.js';
import type { Credentials } from '../types.js';

export type EnvironmentBase = Extract<BaseSource, { kind: 'credential-source' }> & { source: 'Environment' };

export function isEnvironment(base: BaseSource): base is EnvironmentBase {
  return base.kind === 'credential-source' && base.source === 'Environment';
}

/** Where botocore would take the environment's keys (no profile given): both halves of a key are set. */
export function hasEnvironmentCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
}

/** `profile`: the profile asked for, first in the error. */
export function resolveEnvironmentCredentials(profile: string, env: NodeJS.ProcessEnv): Credentials {
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
    // botocore's Environment source is its EnvProvider: the keys only, not a web identity token.
    const hint = env.AWS_WEB_IDENTITY_TOKEN_FILE
      ? ` (credential_source = Environment means those keys, as in botocore; for the token in AWS_WEB_IDENTITY_TOKEN_FILE, point source_profile at a profile with role_arn and web_identity_token_file)`
      : '';
    throw new CredentialError(profile, 'credential_source Environment', `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set${hint}`, 'NoCredentials');
  }
  const c: Credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  const token = env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN;
  if (token) c.sessionToken = token;
  const expiry = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
  if (expiry && !Number.isNaN(expiry.getTime())) c.expiration = expiry;
  return c;
}
