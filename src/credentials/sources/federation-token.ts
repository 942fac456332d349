/**
 * A scoped session from long-term keys with GetFederationToken: GetSessionToken takes no session
 * policy, so a scope (--policy, --policy-arn, --read-only) on keys without a role needs this call,
 * with what it cannot do said to the person.
 */
import { getFederationToken, type StepContext } from '../sts.js';
import type { Credentials, Scope } from '../types.js';
import { defaultSessionName, type NewSession } from './source.js';

/** A scope on the keys themselves (no role after them to take it). */
export function isFederationToken(last: boolean, scope: Scope | undefined): scope is Scope {
  return last && scope !== undefined;
}

export function federationTokenMaterial(keys: unknown[], scope: Scope, durationSeconds: number | undefined): unknown[] {
  return [...keys, 'federation', scope, durationSeconds ?? null];
}

/** What the person should know of such a session. */
export function federationTokenNotes(mfaSerial: string | undefined): string[] {
  return [
    ...(mfaSerial ? ['a federation token cannot carry MFA: this scoped session has no MFA context'] : []),
    'a federation token session cannot call IAM, nor STS other than GetCallerIdentity',
  ];
}

function federationName(env: NodeJS.ProcessEnv): string {
  // GetFederationToken's Name: [\w+=,.@-], 2 to 32 characters.
  return defaultSessionName(env).slice(0, 32);
}

export interface FederationTokenRequest {
  /** The profile whose keys these are. */
  profile: string;
  scope: Scope;
  durationSeconds?: number;
}

export async function resolveFederationToken(ctx: StepContext, keys: () => Promise<Credentials>, req: FederationTokenRequest): Promise<NewSession> {
  return {
    credentials: await getFederationToken(ctx, await keys(), { name: federationName(ctx.env), durationSeconds: req.durationSeconds, scope: req.scope }, `get federation token (${req.profile})`),
  };
}
