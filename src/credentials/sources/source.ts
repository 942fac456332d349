/**
 * What the credential sources share. Each source is a pair: `isX` says whether a chain's base
 * (or hop) is its kind, `resolveX` makes its credentials. The run that composes them
 * (../resolver.ts) keeps what is common to all: the cache, the MFA codes, durations and notes.
 */
import { userInfo } from 'node:os';
import type { MfaToken } from '../sts.js';
import type { CachedIdentity } from '../session-cache.js';
import type { TemporaryCredentials } from '../types.js';

/**
 * Makes `call` with an MFA code for `serial`, asked for on behalf of `declaredBy` (the profile
 * whose settings name the helper). The run supplies it: it owns where codes come from and
 * records which were used.
 */
export type WithMfa = <T>(serial: string, step: string, declaredBy: string, call: (mfa: MfaToken) => Promise<T>) => Promise<T>;

/** A session a source made, as the session cache stores it. */
export interface NewSession {
  credentials: TemporaryCredentials;
  /** The session carries MFA (a role that requires it accepts it). */
  mfa?: true;
  /** Who the credentials are, when the answer that made them said (AssumeRole*): kept with the session. */
  identity?: CachedIdentity;
}

/** The RoleSessionName awsguard gives a role session when the profile names none. */
export function defaultSessionName(env: NodeJS.ProcessEnv): string {
  let user = env.USER || env.LOGNAME || '';
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'user';
    }
  }
  // RoleSessionName allows [\w+=,.@-], 2 to 64 characters.
  return `awsguard-${user}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}
