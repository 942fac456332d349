import { isoSeconds } from './clock.js';
import { ApiError, accessDenied, constraintError, validationError } from './errors.js';
import { parsePolicy } from './policy.js';
import type { PolicyDocument } from './policy.js';
import { tag, wrap } from './query-protocol.js';
import type { QueryParams } from './query-protocol.js';
import type { RecordDraft } from './recorder.js';
import { parseRoleArn } from './state.js';
import { matchingStep } from './totp.js';
import { verifyJwt } from './jwt.js';
import { wildcardMatch } from './policy.js';
import type { SeedOidcProvider, SeedRole } from './seed.js';
import type { Caller, FakeState, Session } from './state.js';

/**
 * STS: AssumeRole, GetSessionToken, GetFederationToken, GetCallerIdentity, with
 * the rules AWS applies to each kind of caller. Returns the `<…Result>` body.
 */

const CHAINED_MAX_SECONDS = 3600;
const NAME_PATTERN = /^[\w+=,.@-]*$/;

export function handleSts(state: FakeState, action: string, params: QueryParams, caller: Caller | undefined, rec: RecordDraft): string {
  if (action === 'AssumeRoleWithWebIdentity') return assumeRoleWithWebIdentity(state, params, rec);
  // Every other action was authenticated by the server (only this one may come unsigned).
  if (!caller) throw new ApiError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  switch (action) {
    case 'GetCallerIdentity':
      // Needs no permission and works even for revoked or federated sessions.
      return tag('Arn', caller.arn) + tag('UserId', caller.userId) + tag('Account', caller.account);
    case 'AssumeRole':
      return assumeRole(state, params, caller, rec);
    case 'GetSessionToken':
      return getSessionToken(state, params, caller, rec);
    case 'GetFederationToken':
      return getFederationToken(state, params, caller, rec);
    default:
      throw new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  }
}

function credentialsXml(s: Session): string {
  return wrap(
    'Credentials',
    tag('AccessKeyId', s.accessKeyId) +
      tag('SecretAccessKey', s.secretAccessKey) +
      tag('SessionToken', s.sessionToken) +
      tag('Expiration', isoSeconds(s.expiresAt)),
  );
}

function required(params: QueryParams, name: string, member: string): string {
  const v = params.get(name);
  if (v === undefined || v === '') {
    throw validationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

function checkName(value: string, member: string, min: number, max: number): void {
  if (value.length < min) throw constraintError(value, member, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw constraintError(value, member, `Member must have length less than or equal to ${max}`);
  if (!NAME_PATTERN.test(value)) throw constraintError(value, member, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
}

function duration(params: QueryParams, fallback: number, max: number): number {
  const d = params.int('DurationSeconds');
  if (d === undefined) return fallback;
  if (d < 900) throw constraintError(d, 'durationSeconds', 'Member must have value greater than or equal to 900');
  if (d > max) throw constraintError(d, 'durationSeconds', `Member must have value less than or equal to ${max}`);
  return d;
}

/** Inline Policy and PolicyArns of a request, as session policies (undefined if neither). */
function sessionPolicies(state: FakeState, params: QueryParams, rec: RecordDraft): PolicyDocument[] | undefined {
  const policy = params.get('Policy');
  const arns = params.list('PolicyArns', 'arn');
  if (policy !== undefined) rec.policy = policy;
  if (arns.length > 0) rec.policyArns = arns;
  if (policy === undefined && arns.length === 0) return undefined;
  if (arns.length > 10) throw constraintError(`[${arns.join(', ')}]`, 'policyArns', 'Member must have length less than or equal to 10');
  const docs: PolicyDocument[] = [];
  if (policy !== undefined) {
    if (policy.length > 2048) throw constraintError('…', 'policy', 'Member must have length less than or equal to 2048');
    docs.push(parsePolicy(policy));
  }
  for (const arn of arns) {
    // An unknown managed policy grants nothing, so the session can do nothing through it.
    docs.push(state.managedPolicy(arn) ?? { Statement: [] });
  }
  return docs;
}

/** Rough stand-in for AWS's packed (compressed) policy size percentage. */
const packedSize = (params: QueryParams): number | undefined => {
  const policy = params.get('Policy') ?? '';
  const arns = params.list('PolicyArns', 'arn');
  if (!policy && arns.length === 0) return undefined;
  return Math.min(100, Math.max(1, Math.ceil(((policy.length + arns.join('').length) / 2048) * 50)));
};

const MFA_UNVALIDATED =
  'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.';

const MFA_INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code.';

/**
 * SerialNumber + TokenCode: the device must belong to the IAM user behind the
 * caller and the code must be its current one. Returns whether MFA was given.
 */
function checkMfa(state: FakeState, params: QueryParams, caller: Caller, rec: RecordDraft): boolean {
  const serial = params.get('SerialNumber');
  const code = params.get('TokenCode');
  if (serial !== undefined) rec.serialNumber = serial;
  if (serial === undefined && code === undefined) return false;
  if (code !== undefined) {
    if (code.length < 6) throw constraintError(code, 'tokenCode', 'Member must have length greater than or equal to 6');
    if (code.length > 6) throw constraintError(code, 'tokenCode', 'Member must have length less than or equal to 6');
    if (!/^\d+$/.test(code)) throw constraintError(code, 'tokenCode', 'Member must satisfy regular expression pattern: [\\d]*');
  }
  const user = caller.sourceUser ? state.findUser(caller.sourceUser.account, caller.sourceUser.name) : undefined;
  if (serial === undefined || code === undefined || !user?.mfa || user.mfa.serialNumber !== serial) {
    throw accessDenied(MFA_UNVALIDATED);
  }
  if (user.mfa.totpSecret !== undefined) {
    // AWS answers a reused code exactly like a wrong one.
    const step = matchingStep(user.mfa.totpSecret, code, state.clock.now());
    const last = state.mfaLastStep.get(serial);
    if (step === undefined || (last !== undefined && step <= last)) throw accessDenied(MFA_INVALID_CODE);
    state.mfaLastStep.set(serial, step);
    rec.mfaStep = step;
    return true;
  }
  if (user.mfa.code !== code) throw accessDenied(MFA_INVALID_CODE);
  return true;
}

function assumeRole(state: FakeState, params: QueryParams, caller: Caller, rec: RecordDraft): string {
  const roleArn = required(params, 'RoleArn', 'roleArn');
  const sessionName = required(params, 'RoleSessionName', 'roleSessionName');
  rec.roleArn = roleArn;
  rec.roleSessionName = sessionName;
  const externalId = params.get('ExternalId');
  if (externalId !== undefined) rec.externalId = externalId;
  if (params.get('DurationSeconds') !== undefined) rec.durationSeconds = params.int('DurationSeconds');
  if (roleArn.length < 20) throw constraintError(roleArn, 'roleArn', 'Member must have length greater than or equal to 20');
  checkName(sessionName, 'roleSessionName', 2, 64);
  if (externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId)) {
    throw constraintError(externalId, 'externalId', 'Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*');
  }
  const requested = duration(params, 3600, 43200);
  const policies = sessionPolicies(state, params, rec);

  const denied = accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  // Federated sessions may call no STS API but GetCallerIdentity.
  if (caller.kind === 'federated-user') throw denied;
  const notAllowed = state.authorize(caller, 'sts:AssumeRole', roleArn);
  if (notAllowed) throw notAllowed;

  const role = state.findRole(roleArn);
  const parts = parseRoleArn(roleArn);
  // AWS does not reveal whether a role exists: unknown, revoked and untrusted look alike.
  if (!role || !parts || state.revokedRoles.has(roleArn) || !state.trusts(role, caller)) throw denied;
  const mfa = checkMfa(state, params, caller, rec) || caller.mfa;
  if (role.trust.requireMfa && !mfa) throw denied;
  if (role.trust.externalId !== undefined && role.trust.externalId !== externalId) throw denied;

  const chained = caller.kind === 'assumed-role';
  if (chained && requested > CHAINED_MAX_SECONDS) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (requested > (role.maxSessionDuration ?? 3600)) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }

  const arn = `arn:aws:sts::${parts.account}:assumed-role/${parts.name}/${sessionName}`;
  const userId = `${role.roleId}:${sessionName}`;
  const session = state.issueSession(
    {
      kind: 'assumed-role',
      account: parts.account,
      arn,
      userId,
      principalArn: roleArn,
      identity: { type: 'role', arn: roleArn },
      ...(caller.sourceUser ? { sourceUser: caller.sourceUser } : {}),
      roleArn,
      roleSessionName: sessionName,
      mfa,
      ...(policies ? { sessionPolicies: policies } : {}),
      ...(chained ? { roleChained: true } : {}),
    },
    requested,
  );
  rec.durationSeconds = requested;
  return (
    credentialsXml(session) +
    wrap('AssumedRoleUser', tag('AssumedRoleId', userId) + tag('Arn', arn)) +
    tag('PackedPolicySize', packedSize(params))
  );
}

function getSessionToken(state: FakeState, params: QueryParams, caller: Caller, rec: RecordDraft): string {
  if (params.get('DurationSeconds') !== undefined) rec.durationSeconds = params.int('DurationSeconds');
  const requested = duration(params, 43200, 129600);
  if (caller.kind !== 'user') throw accessDenied('Cannot call GetSessionToken with session credentials');
  const mfa = checkMfa(state, params, caller, rec);
  const session = state.issueSession(
    {
      kind: 'session-token',
      account: caller.account,
      arn: caller.arn,
      userId: caller.userId,
      principalArn: caller.principalArn,
      identity: caller.identity,
      ...(caller.sourceUser ? { sourceUser: caller.sourceUser } : {}),
      mfa,
    },
    requested,
  );
  rec.durationSeconds = requested;
  return credentialsXml(session);
}

function getFederationToken(state: FakeState, params: QueryParams, caller: Caller, rec: RecordDraft): string {
  const name = required(params, 'Name', 'name');
  rec.roleSessionName = name;
  if (params.get('DurationSeconds') !== undefined) rec.durationSeconds = params.int('DurationSeconds');
  checkName(name, 'name', 2, 32);
  const requested = duration(params, 43200, 129600);
  // Without a policy the federated session has no permissions at all.
  const policies = sessionPolicies(state, params, rec) ?? [];
  if (caller.kind !== 'user') throw accessDenied('Cannot call GetFederationToken with session credentials');
  const notAllowed = state.authorize(caller, 'sts:GetFederationToken', `arn:aws:sts::${caller.account}:federated-user/${name}`);
  if (notAllowed) throw notAllowed;
  const arn = `arn:aws:sts::${caller.account}:federated-user/${name}`;
  const userId = `${caller.account}:${name}`;
  const session = state.issueSession(
    {
      kind: 'federated-user',
      account: caller.account,
      arn,
      userId,
      principalArn: arn,
      identity: caller.identity,
      ...(caller.sourceUser ? { sourceUser: caller.sourceUser } : {}),
      mfa: false,
      sessionPolicies: policies,
    },
    requested,
  );
  rec.durationSeconds = requested;
  return (
    credentialsXml(session) +
    wrap('FederatedUser', tag('FederatedUserId', userId) + tag('Arn', arn)) +
    tag('PackedPolicySize', packedSize(params))
  );
}

// ---- AssumeRoleWithWebIdentity ----

const invalidIdentityToken = (message: string): ApiError => new ApiError(400, 'InvalidIdentityToken', message);

/** `https://token.actions.githubusercontent.com` → `token.actions.githubusercontent.com` (the provider ARN's tail). */
const issuerHost = (url: string): string => url.replace(/^https:\/\//, '').replace(/\/+$/, '');

/**
 * The token is the credential: its signature is checked against the provider registered in the
 * role's account, then `iss`, `aud` and `exp`, then the role's trust policy (the provider as
 * principal, `sub` and `aud` conditions). Errors and their order follow AWS's.
 */
function assumeRoleWithWebIdentity(state: FakeState, params: QueryParams, rec: RecordDraft): string {
  const roleArn = required(params, 'RoleArn', 'roleArn');
  const sessionName = required(params, 'RoleSessionName', 'roleSessionName');
  const token = required(params, 'WebIdentityToken', 'webIdentityToken');
  rec.roleArn = roleArn;
  rec.roleSessionName = sessionName;
  rec.webIdentity = true;
  if (params.get('DurationSeconds') !== undefined) rec.durationSeconds = params.int('DurationSeconds');
  if (roleArn.length < 20) throw constraintError(roleArn, 'roleArn', 'Member must have length greater than or equal to 20');
  if (roleArn.length > 2048) throw constraintError(roleArn, 'roleArn', 'Member must have length less than or equal to 2048');
  checkName(sessionName, 'roleSessionName', 2, 64);
  // Never the token itself in an error: it is a credential.
  if (token.length < 4) throw constraintError('***', 'webIdentityToken', 'Member must have length greater than or equal to 4');
  if (token.length > 20000) throw constraintError('***', 'webIdentityToken', 'Member must have length less than or equal to 20000');
  const requested = duration(params, 3600, 43200);
  const policies = sessionPolicies(state, params, rec);

  const parts = parseRoleArn(roleArn);
  const denied = accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  if (!parts) throw denied;
  const claims = peekClaims(token);
  if (!claims) throw invalidIdentityToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
  const provider = (state.seed.oidcProviders ?? []).find((p) => p.account === parts.account && typeof claims.iss === 'string' && issuerHost(p.url) === issuerHost(claims.iss));
  if (!provider) throw invalidIdentityToken(`No OpenIDConnect provider found in your account for ${String(claims.iss ?? '')}`);
  const checked = verifyJwt(token, provider.publicKeyPem);
  if (!checked.ok) {
    throw checked.reason === 'malformed'
      ? invalidIdentityToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)')
      : invalidIdentityToken('The web identity token signature could not be verified against the keys of the provider');
  }
  const c = checked.claims;
  if (typeof c.jti === 'string') rec.webIdentityTokenId = c.jti;
  if (typeof c.sub === 'string') rec.webIdentitySubject = c.sub;
  const auds = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!auds.some((a) => provider.audiences.includes(a))) throw invalidIdentityToken('Incorrect token audience');
  const nowSeconds = Math.floor(state.clock.now() / 1000);
  if (typeof c.exp !== 'number' || nowSeconds >= c.exp) {
    throw new ApiError(400, 'ExpiredTokenException', `Token expired: current date/time ${nowSeconds} must be before the expiration date/time${c.exp}`);
  }
  // A token issued in the future (a skewed issuer) is one the provider's claims do not support.
  if ((typeof c.nbf === 'number' && c.nbf > nowSeconds + 300) || (typeof c.iat === 'number' && c.iat > nowSeconds + 300)) {
    throw new ApiError(403, 'IDPRejectedClaim', 'The token is not yet valid (iat/nbf are in the future)');
  }
  if (typeof c.sub !== 'string' || c.sub === '') throw new ApiError(403, 'IDPRejectedClaim', 'The token has no subject');

  const role = state.findRole(roleArn);
  if (!role || state.revokedRoles.has(roleArn) || !trustsWebIdentity(role, provider, c.sub, auds)) throw denied;
  if (requested > (role.maxSessionDuration ?? 3600)) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const arn = `arn:aws:sts::${parts.account}:assumed-role/${parts.name}/${sessionName}`;
  const userId = `${role.roleId}:${sessionName}`;
  const session = state.issueSession(
    {
      kind: 'assumed-role',
      account: parts.account,
      arn,
      userId,
      principalArn: roleArn,
      identity: { type: 'role', arn: roleArn },
      roleArn,
      roleSessionName: sessionName,
      mfa: false,
      ...(policies ? { sessionPolicies: policies } : {}),
    },
    requested,
  );
  rec.durationSeconds = requested;
  const audience = auds.find((a) => provider.audiences.includes(a))!;
  return (
    credentialsXml(session) +
    tag('SubjectFromWebIdentityToken', c.sub) +
    wrap('AssumedRoleUser', tag('AssumedRoleId', userId) + tag('Arn', arn)) +
    tag('PackedPolicySize', packedSize(params)) +
    tag('Provider', `arn:aws:iam::${provider.account}:oidc-provider/${issuerHost(provider.url)}`) +
    tag('Audience', audience)
  );
}

function peekClaims(token: string): Record<string, unknown> | undefined {
  const body = token.split('.')[1];
  if (token.split('.').length !== 3 || !body) return undefined;
  try {
    const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function trustsWebIdentity(role: SeedRole, provider: SeedOidcProvider, sub: string, auds: string[]): boolean {
  const providerArn = `arn:aws:iam::${provider.account}:oidc-provider/${issuerHost(provider.url)}`;
  if (!role.trust.principals.includes(providerArn)) return false;
  if (role.trust.audience !== undefined && !auds.includes(role.trust.audience)) return false;
  return role.trust.subjects === undefined || role.trust.subjects.some((p) => wildcardMatch(p, sub, false));
}
