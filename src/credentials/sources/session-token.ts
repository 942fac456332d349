/**
 * A session from long-term keys with GetSessionToken: with the MFA code of the keys' mfa_serial
 * when the profile has one (so roles that require MFA accept the session), without it otherwise.
 * Long-term keys are never handed on: the last hop from them is always a session.
 */
import { getSessionToken, type StepContext } from '../sts.js';
import type { Credentials } from '../types.js';
import type { NewSession, WithMfa } from './source.js';

/**
 * Keys that a role is assumed from need no session first (botocore assumes the role straight
 * from them), unless they carry an mfa_serial: then the MFA session is made once and cached, and
 * the roles after it are assumed from that.
 */
export function isSessionToken(last: boolean, mfaSerial: string | undefined): boolean {
  return last || mfaSerial !== undefined;
}

/** `keys`: the material of the keys the session is made from. */
export function sessionTokenMaterial(keys: unknown[], mfaSerial: string | undefined, durationSeconds: number | undefined): unknown[] {
  return [...keys, 'session-token', mfaSerial ?? null, durationSeconds ?? null];
}

export interface SessionTokenRequest {
  /** The profile whose keys these are (it declares mfa_serial and may name the MFA helper). */
  profile: string;
  mfaSerial?: string;
  durationSeconds?: number;
}

export async function resolveSessionToken(ctx: StepContext, keys: () => Promise<Credentials>, req: SessionTokenRequest, withMfa: WithMfa): Promise<NewSession> {
  const { profile, mfaSerial, durationSeconds } = req;
  const step = `get session token${mfaSerial ? ' with MFA' : ''} (${profile})`;
  if (!mfaSerial) return { credentials: await getSessionToken(ctx, await keys(), { durationSeconds }, step) };
  return { credentials: await withMfa(mfaSerial, step, profile, async (mfa) => getSessionToken(ctx, await keys(), { durationSeconds, mfa }, step)), mfa: true };
}
