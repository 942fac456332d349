/**
 * One role hop (role_arn with source_profile or credential_source): AssumeRole from the
 * credentials of the stage before it, with the hop's external id, session name and duration, the
 * MFA code of its mfa_serial when the stage before does not already carry that MFA, and the
 * scope when it is the last hop.
 */
import type { RoleHop } from '../../config/chain.js';
import { assumeRole, type MfaToken, type StepContext } from '../sts.js';
import type { Credentials, Scope } from '../types.js';
import type { NewSession, WithMfa } from './source.js';

/** `via`: the profile whose credentials the role is assumed from. */
export function assumeRoleStep(hop: RoleHop, via: string): string {
  return `assume role ${hop.roleArn}${via !== hop.profile ? ` (via ${via})` : ''}`;
}

export function assumeRoleLabel(hop: RoleHop): string {
  return `role ${hop.roleArn.slice(hop.roleArn.lastIndexOf('/') + 1)}`;
}

/** `from`: the material of the stage the role is assumed from. */
export function assumeRoleMaterial(from: unknown[], hop: RoleHop, sessionName: string, durationSeconds: number | undefined, scope: Scope | undefined): unknown[] {
  return [...from, 'role', hop.roleArn, hop.externalId ?? null, sessionName, durationSeconds ?? null, scope ?? null, hop.mfaSerial ?? null];
}

/** The hop asks for an MFA code unless the credentials it is assumed from carry that same MFA. */
export function assumeRoleNeedsMfa(hop: RoleHop, fromMfaSerial: string | undefined): boolean {
  return hop.mfaSerial !== undefined && hop.mfaSerial !== fromMfaSerial;
}

export interface AssumeRoleRequest {
  /** The credentials the role is assumed from, read only when the call is made. */
  from: () => Promise<Credentials>;
  /** The MFA those credentials carry, if any. */
  fromMfaSerial?: string;
  sessionName: string;
  durationSeconds?: number;
  scope?: Scope;
  step: string;
}

export async function resolveAssumeRole(ctx: StepContext, hop: RoleHop, req: AssumeRoleRequest, withMfa: WithMfa): Promise<NewSession> {
  const call = async (mfa?: MfaToken) =>
    assumeRole(
      ctx,
      await req.from(),
      {
        roleArn: hop.roleArn,
        sessionName: req.sessionName,
        ...(hop.externalId !== undefined ? { externalId: hop.externalId } : {}),
        ...(req.durationSeconds !== undefined ? { durationSeconds: req.durationSeconds } : {}),
        ...(mfa ? { mfa } : {}),
        ...(req.scope ? { scope: req.scope } : {}),
      },
      req.step,
    );
  const session = assumeRoleNeedsMfa(hop, req.fromMfaSerial) ? await withMfa(hop.mfaSerial!, req.step, hop.profile, call) : await call();
  return { ...session, ...(hop.mfaSerial || req.fromMfaSerial ? { mfa: true as const } : {}) };
}
