/**
 * How a console session can be made from a profile, decided before any call so that a
 * `--duration` AWS would not honour is refused with the reason instead of being changed:
 *
 * - role sessions (AssumeRole from an IAM user, IAM Identity Center roles): exchanged as they
 *   are; `--duration` becomes the console's `SessionDuration` (15m to 12h);
 * - role chaining (a role assumed from a role session): AWS refuses `SessionDuration` and the
 *   credentials last at most 1 hour, so the console ends with them; `--duration` up to 1h sets
 *   the credentials' own length;
 * - IAM user keys: only GetFederationToken reaches the console, and only with a policy (the
 *   scope asked for, or an explicit allow-all); `--duration` is the token's (up to 36h);
 * - anything else (credential_process, environment credentials): known only once the
 *   credentials are there (`refineByArn`).
 * Pure: takes the chain and the flags' values, returns the plan.
 */
import type { Chain } from '../config/chain.js';
import { UsageError } from '../errors.js';
import { DURATION_LIMITS } from '../credentials/resolver.js';
import { SESSION_DURATION_LIMITS } from './federation.js';

export type ConsoleKind = 'role' | 'chained-role' | 'federation' | 'unknown';

export interface ConsolePlan {
  kind: ConsoleKind;
  /** Long-term keys with no scope asked: GetFederationToken needs a policy to allow anything. */
  allowAll: boolean;
  /** The credentials' own duration (the resolver's `--duration`), when the console follows it. */
  credentialSeconds?: number;
  /** `SessionDuration` for the sign-in token. */
  sessionSeconds?: number;
}

/** Allows what the IAM user may do, and nothing more: a federation token's permissions are the intersection. */
export const ALLOW_ALL_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

/** What the chain's first credentials are; `environment` when no profile is used (botocore's env credentials). */
export type Source = { chain: Chain } | { environment: { sessionToken: boolean } };

export function kindOf(source: Source): ConsoleKind {
  if ('environment' in source) return source.environment.sessionToken ? 'unknown' : 'federation';
  const { base, roles } = source.chain;
  // Keys in awsguard's store are an IAM user's long-term keys, like those in the credentials file.
  const longTermKeys = (base.kind === 'static' && !base.sessionToken) || base.kind === 'stored';
  if (roles.length === 0) {
    if (base.kind === 'sso') return 'role';
    if (longTermKeys) return 'federation';
    return 'unknown';
  }
  if (roles.length >= 2 || base.kind === 'sso') return 'chained-role';
  // One role from an IAM user's keys (or the MFA session made from them) is no chaining.
  return longTermKeys ? 'role' : 'unknown';
}

export function planConsole(source: Source, opts: { scoped: boolean; durationSeconds?: number }): ConsolePlan {
  const kind = kindOf(source);
  const d = opts.durationSeconds;
  switch (kind) {
    case 'federation': {
      if (d !== undefined) checkRange(d, DURATION_LIMITS.federation, 'a federation-token console session (GetFederationToken)');
      return { kind, allowAll: !opts.scoped, ...(d !== undefined ? { credentialSeconds: d } : {}) };
    }
    case 'chained-role': {
      if (d !== undefined && d > DURATION_LIMITS.chainedRole[1]) {
        throw new UsageError(
          `console: --duration ${d}s is more than AWS allows for this profile: it is role chaining (a role assumed from a role session), whose credentials last 1h at most, ` +
            'and AWS takes no SessionDuration for them, so the console session ends with the credentials; use --duration 1h or less, or a profile that assumes the role from an IAM user or SSO directly',
        );
      }
      if (d !== undefined) checkRange(d, DURATION_LIMITS.chainedRole, 'a role-chained session');
      return { kind, allowAll: false, ...(d !== undefined ? { credentialSeconds: d } : {}) };
    }
    case 'role':
    case 'unknown':
      if (d !== undefined) checkRange(d, SESSION_DURATION_LIMITS, 'a console session (SessionDuration)');
      return { kind, allowAll: false, ...(d !== undefined ? { sessionSeconds: d } : {}) };
  }
}

function checkRange(d: number, [min, max]: readonly [number, number], what: string): void {
  if (d < min || d > max) throw new UsageError(`console: --duration ${d}s is outside what AWS allows for ${what}: ${min}s to ${max}s`);
}

/**
 * Once GetCallerIdentity has answered: what the credentials turned out to be. An IAM user's
 * ARN here means a GetSessionToken session (awsguard never hands on long-term keys), which the
 * federation endpoint refuses; a federated user takes no SessionDuration.
 */
export function refineByArn(plan: ConsolePlan, arn: string, profile: string): ConsolePlan {
  const resource = arn.split(':').slice(5).join(':');
  if (resource.startsWith('user/') || resource === 'root') {
    throw new UsageError(
      `console: ${profile} gives an IAM user's session (GetSessionToken), which AWS does not accept for the console; ` +
        'with a scope (--read-only, --policy or --policy-arn) awsguard signs in through GetFederationToken instead',
    );
  }
  if (resource.startsWith('federated-user/')) {
    if (plan.sessionSeconds !== undefined) {
      throw new UsageError(`console: ${profile} gives federation-token credentials, for which AWS takes no SessionDuration: the console session lasts as long as they do; run without --duration`);
    }
    return { ...plan, kind: 'federation' };
  }
  return plan;
}
