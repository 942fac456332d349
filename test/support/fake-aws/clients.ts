import { IAMClient } from '@aws-sdk/client-iam';
import { SSOClient } from '@aws-sdk/client-sso';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { STSClient } from '@aws-sdk/client-sts';
import type { FakeAws } from './index.js';
import type { Seed } from './seed.js';

/**
 * SDK v3 clients aimed at a running fake, for tests. Retries default to a
 * single attempt so a test sees the first error AWS-style, not a retried one;
 * pass `maxAttempts` to exercise the SDK's own retry/skew-correction logic.
 */

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ClientOptions {
  region?: string;
  maxAttempts?: number;
}

/** Long-term keys of a seeded user. */
export function userCreds(seed: Seed, name: string): Creds {
  const key = seed.users.find((u) => u.name === name)?.accessKeys[0];
  if (!key) throw new Error(`fake-aws: no seeded user ${name} with keys`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

/** Credentials from an STS result (`Credentials`) or SSO `roleCredentials`. */
export function credsFrom(
  c:
    | { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }
    | { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string }
    | undefined,
): Creds {
  const accessKeyId = c && ('AccessKeyId' in c ? c.AccessKeyId : 'accessKeyId' in c ? c.accessKeyId : undefined);
  const secretAccessKey = c && ('SecretAccessKey' in c ? c.SecretAccessKey : 'secretAccessKey' in c ? c.secretAccessKey : undefined);
  const sessionToken = c && ('SessionToken' in c ? c.SessionToken : 'sessionToken' in c ? c.sessionToken : undefined);
  if (!accessKeyId || !secretAccessKey) throw new Error('fake-aws: result has no credentials');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

const base = (fake: FakeAws, opts: ClientOptions) => ({
  region: opts.region ?? 'us-east-1',
  endpoint: fake.url,
  maxAttempts: opts.maxAttempts ?? 1,
});

export const stsClient = (fake: FakeAws, credentials: Creds, opts: ClientOptions = {}): STSClient =>
  new STSClient({ ...base(fake, opts), credentials });

export const iamClient = (fake: FakeAws, credentials: Creds, opts: ClientOptions = {}): IAMClient =>
  new IAMClient({ ...base(fake, opts), credentials });

/** The portal is unsigned (bearer token), so no credentials are needed. */
export const ssoClient = (fake: FakeAws, opts: ClientOptions = {}): SSOClient =>
  new SSOClient({ ...base(fake, { region: 'eu-west-1', ...opts }) });

export const oidcClient = (fake: FakeAws, opts: ClientOptions = {}): SSOOIDCClient =>
  new SSOOIDCClient({ ...base(fake, { region: 'eu-west-1', ...opts }) });

export interface SdkFailure {
  name: string;
  message: string;
  status: number | undefined;
  attempts: number | undefined;
}

/** Awaits a call that must fail and returns the SDK error's essentials. */
export async function rejection(p: Promise<unknown>): Promise<SdkFailure> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };
    return {
      name: err.name,
      message: err.message,
      status: err.$metadata?.httpStatusCode,
      attempts: err.$metadata?.attempts,
    };
  }
  throw new Error('fake-aws: expected the call to fail, but it succeeded');
}
