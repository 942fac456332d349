/**
 * The STS calls the engine makes. Each returns plain credentials or throws a CredentialError
 * naming the step; AWS's own error code and message are kept, never the request.
 */
import { AwsguardError, CredentialError } from '../errors.js';
import { describeAwsError, stsClient, unsignedStsClient, type ClientContext } from './aws-clients.js';
import type { CachedIdentity } from './session-cache.js';
import type { Credentials, Scope, TemporaryCredentials } from './types.js';

export interface StepContext extends ClientContext {
  /** The profile the person asked for, first in every error message. */
  profile: string;
}

interface SdkCredentials {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  SessionToken?: string;
  Expiration?: Date;
}

function toTemporary(c: SdkCredentials | undefined, step: string, ctx: StepContext): TemporaryCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new CredentialError(ctx.profile, step, 'the response held no complete credentials');
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

export function fail(ctx: StepContext, step: string, err: unknown): never {
  // A CredentialError already names its step; a settings error ([network]) is the person's to fix.
  if (err instanceof AwsguardError) throw err;
  const f = describeAwsError(err);
  if (f.timeout) throw new CredentialError(ctx.profile, step, f.message);
  if (f.network) throw new CredentialError(ctx.profile, step, `cannot reach AWS (${f.message})`, f.code);
  throw new CredentialError(ctx.profile, step, f.message, f.code);
}

export interface MfaToken {
  serial: string;
  code: string;
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  externalId?: string;
  durationSeconds?: number;
  mfa?: MfaToken;
  scope?: Scope;
}

/** A role session, and who its credentials are as the answer names them. */
export interface RoleSession {
  credentials: TemporaryCredentials;
  identity?: CachedIdentity;
}

/**
 * What GetCallerIdentity would say of a role session, from the AssumedRoleUser of the
 * AssumeRole* answer that made it: STS names the session's ARN (account and role in it) and id
 * there, so a cache miss on a role chain saves a round trip to STS. Anything but a plain
 * assumed-role ARN is left to GetCallerIdentity.
 */
export function assumedIdentity(user: { AssumedRoleId?: string | undefined; Arn?: string | undefined } | undefined): CachedIdentity | undefined {
  const arn = user?.Arn;
  const userId = user?.AssumedRoleId;
  const m = arn ? /^arn:[a-z-]+:sts::(\d{12}):assumed-role\/[^/]+\/[^/]+$/.exec(arn) : null;
  if (!m || !userId) return undefined;
  return { accountId: m[1]!, arn: arn!, userId };
}

async function roleSession(
  ctx: StepContext,
  from: Credentials | undefined,
  step: string,
  send: (sts: StsModule, client: StsClient) => Promise<{ Credentials?: SdkCredentials | undefined; AssumedRoleUser?: { AssumedRoleId?: string | undefined; Arn?: string | undefined } | undefined }>,
): Promise<RoleSession> {
  const out = await stsCall(ctx, from, step, send);
  const identity = assumedIdentity(out.AssumedRoleUser);
  return { credentials: toTemporary(out.Credentials, step, ctx), ...(identity ? { identity } : {}) };
}

type StsModule = typeof import('./sdk/client-sts.js');
type StsClient = Awaited<ReturnType<typeof stsClient>>;

/**
 * The one road to STS: the SDK loaded, a client signed with `from` (unsigned, for web identity,
 * when it is absent), one command sent, and any failure named by `step`.
 */
async function stsCall<T>(ctx: StepContext, from: Credentials | undefined, step: string, send: (sts: StsModule, client: StsClient) => Promise<T>): Promise<T> {
  try {
    const sts = await import('./sdk/client-sts.js');
    return await send(sts, from ? await stsClient(ctx, from) : await unsignedStsClient(ctx));
  } catch (err) {
    fail(ctx, step, err);
  }
}

/** The calls that make a session (AssumeRole*, GetSessionToken, GetFederationToken): only complete credentials pass. */
async function sessionCall(ctx: StepContext, from: Credentials | undefined, step: string, send: (sts: StsModule, client: StsClient) => Promise<{ Credentials?: SdkCredentials | undefined }>): Promise<TemporaryCredentials> {
  return toTemporary((await stsCall(ctx, from, step, send)).Credentials, step, ctx);
}

const policyArns = (scope: Scope | undefined) => (scope?.policyArns.length ? scope.policyArns.map((arn) => ({ arn })) : undefined);

export async function assumeRole(ctx: StepContext, from: Credentials, input: AssumeRoleInput, step: string): Promise<RoleSession> {
  return roleSession(ctx, from, step, (sts, client) =>
    client.send(
      new sts.AssumeRoleCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        ExternalId: input.externalId,
        DurationSeconds: input.durationSeconds,
        SerialNumber: input.mfa?.serial,
        TokenCode: input.mfa?.code,
        Policy: input.scope?.policy,
        PolicyArns: policyArns(input.scope),
      }),
    ),
  );
}

export interface WebIdentityInput {
  roleArn: string;
  sessionName: string;
  token: string;
  durationSeconds?: number;
  scope?: Scope;
}

/** Unsigned: the token is the credential (as botocore sends it, with signature_version UNSIGNED). */
export async function assumeRoleWithWebIdentity(ctx: StepContext, input: WebIdentityInput, step: string): Promise<RoleSession> {
  return roleSession(ctx, undefined, step, (sts, client) =>
    client.send(
      new sts.AssumeRoleWithWebIdentityCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        WebIdentityToken: input.token,
        DurationSeconds: input.durationSeconds,
        Policy: input.scope?.policy,
        PolicyArns: policyArns(input.scope),
      }),
    ),
  );
}

export async function getSessionToken(ctx: StepContext, from: Credentials, opts: { durationSeconds?: number; mfa?: MfaToken }, step: string): Promise<TemporaryCredentials> {
  return sessionCall(ctx, from, step, (sts, client) =>
    client.send(new sts.GetSessionTokenCommand({ DurationSeconds: opts.durationSeconds, SerialNumber: opts.mfa?.serial, TokenCode: opts.mfa?.code })),
  );
}

export async function getFederationToken(
  ctx: StepContext,
  from: Credentials,
  opts: { name: string; durationSeconds?: number; scope: Scope },
  step: string,
): Promise<TemporaryCredentials> {
  return sessionCall(ctx, from, step, (sts, client) =>
    client.send(new sts.GetFederationTokenCommand({ Name: opts.name, DurationSeconds: opts.durationSeconds, Policy: opts.scope.policy, PolicyArns: policyArns(opts.scope) })),
  );
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
}

export async function getCallerIdentity(ctx: StepContext, creds: Credentials): Promise<CallerIdentity> {
  const step = 'get caller identity';
  const out = await stsCall(ctx, creds, step, (sts, client) => client.send(new sts.GetCallerIdentityCommand({})));
  if (!out.Account || !out.Arn || !out.UserId) throw new CredentialError(ctx.profile, step, 'incomplete answer from STS');
  return { accountId: out.Account, arn: out.Arn, userId: out.UserId };
}
