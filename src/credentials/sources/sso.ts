/**
 * An IAM Identity Center profile (sso_session or the legacy inline sso_start_url): the role's
 * credentials from GetRoleCredentials with the access token the CLI's cache holds (../sso.ts
 * reads, refreshes and writes that token).
 */
import type { BaseSource } from '../../config/chain.js';
import { CredentialError } from '../../errors.js';
import { ssoRoleCredentials } from '../sso.js';
import type { StepContext } from '../sts.js';
import type { NewSession } from './source.js';

export type SsoBase = Extract<BaseSource, { kind: 'sso' }>;

export function isSso(base: BaseSource): base is SsoBase {
  return base.kind === 'sso';
}

/** The session is the portal's role in the account: shared by every profile that names the same. */
export function ssoMaterial(base: SsoBase): unknown[] {
  return [1, 'sso', base.startUrl, base.session ?? null, base.accountId, base.roleName];
}

/** AWS applies a session policy only on AssumeRole or GetFederationToken: an SSO role cannot be scoped itself. */
export function ssoScopeRefusal(asked: string, base: SsoBase): CredentialError {
  return new CredentialError(
    asked,
    'scope',
    `a session policy cannot be applied to the SSO role ${base.roleName} itself (AWS applies session policies only on AssumeRole or GetFederationToken); ` +
      `add a profile with role_arn and source_profile = ${asked} and scope that one, or run without --policy/--policy-arn/--read-only`,
    'ScopeNotApplicable',
  );
}

export async function resolveSso(ctx: StepContext, base: SsoBase, now: () => number): Promise<NewSession> {
  const ref = { startUrl: base.startUrl, region: base.region, ...(base.session ? { session: base.session } : {}) };
  return { credentials: await ssoRoleCredentials(ctx, ref, base.accountId, base.roleName, now) };
}
