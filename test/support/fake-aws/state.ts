import type { Clock } from './clock.js';
import { ApiError, accessDenied } from './errors.js';
import * as ids from './ids.js';
import { AWS_MANAGED_POLICIES, allowListDocument, evaluate, wildcardMatch } from './policy.js';
import type { PolicyDocument } from './policy.js';
import type { Seed, SeedAccessKey, SeedPermissionSet, SeedRole, SeedSsoInstance, SeedUser } from './seed.js';

/**
 * Who is calling, and what they may do: long-term IAM users from the seed and
 * every temporary session the fake has minted. Everything is looked up in the
 * live seed on each request, so tests can change the seed while running.
 */

export type CallerKind = 'user' | 'session-token' | 'assumed-role' | 'federated-user';

/** Where a caller's identity-based permissions come from. */
export type IdentitySource =
  | { type: 'user'; account: string; name: string }
  | { type: 'role'; arn: string }
  | { type: 'permission-set'; startUrl: string; name: string };

export interface Caller {
  kind: CallerKind;
  accessKeyId: string;
  account: string;
  /** What GetCallerIdentity reports. */
  arn: string;
  userId: string;
  /** The ARN trust policies see: IAM user/role ARN (iam form) or federated-user ARN. */
  principalArn: string;
  identity: IdentitySource;
  /** The IAM user whose keys started this chain; MFA devices belong to it. */
  sourceUser?: { account: string; name: string };
  roleArn?: string;
  roleSessionName?: string;
  /** Set on sessions from SSO role credentials. */
  ssoUser?: string;
  /** aws:MultiFactorAuthPresent. Carried along a role chain. */
  mfa: boolean;
  /** Absent: no session policy. Present (even empty): the session is limited to it. */
  sessionPolicies?: PolicyDocument[];
  /** When the session was issued (temporary credentials only). */
  issuedAt?: number;
  /** A role assumed from a role session (role chaining): the console takes no SessionDuration for it. */
  roleChained?: boolean;
}

export interface Session extends Caller {
  secretAccessKey: string;
  sessionToken: string;
  issuedAt: number;
  expiresAt: number;
}

export type SessionTemplate = Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'issuedAt' | 'expiresAt'>;

export const userArn = (u: Pick<SeedUser, 'account' | 'name'>): string => `arn:aws:iam::${u.account}:user/${u.name}`;

/** `arn:aws:iam::ACCT:role/path/NAME` → `{account, name}` (name without path). */
export function parseRoleArn(arn: string): { account: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  return m && m[1] && m[2] ? { account: m[1], name: m[2] } : undefined;
}

export class FakeState {
  readonly sessions = new Map<string, Session>();
  /** roleArn → time of revocation; sessions issued before it are denied. */
  readonly revokedRoles = new Map<string, number>();
  /** When set, every session lasts this long whatever was asked: renewal tests in real time. */
  sessionLifetimeSeconds: number | undefined;
  /** TEST HOOK (FakeAws.answerAliasAs): aliases ListAccountAliases answers verbatim, whatever IAM's rule. */
  readonly hostileAliases = new Map<string, string>();
  /** MFA serial → the last TOTP step accepted: a code is good once (RFC 6238 §5.2, as AWS does). */
  readonly mfaLastStep = new Map<string, number>();
  /** How long a key from CreateAccessKey is refused before it works (IAM's propagation delay), ms. */
  keyPropagationMs = 0;
  /** Secrets of keys CreateAccessKey handed out, for leak checks. */
  readonly createdKeySecrets: string[] = [];
  /** When the fake started: CreateDate of seeded keys that name none. */
  readonly startedAt: number;

  constructor(
    readonly seed: Seed,
    readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  findAccessKey(accessKeyId: string): { user: SeedUser; key: SeedAccessKey } | undefined {
    for (const user of this.seed.users) {
      const key = user.accessKeys.find((k) => k.accessKeyId === accessKeyId);
      if (key) return { user, key };
    }
    return undefined;
  }

  /** A call signed with a long-term key: what GetAccessKeyLastUsed reports from then on. */
  noteKeyUse(accessKeyId: string, service: string, region: string): void {
    const found = this.findAccessKey(accessKeyId);
    if (found) found.key.lastUsed = { at: this.clock.now(), service, region };
  }

  findUser(account: string, name: string): SeedUser | undefined {
    return this.seed.users.find((u) => u.account === account && u.name === name);
  }

  findRole(arn: string): SeedRole | undefined {
    return this.seed.roles.find((r) => r.arn === arn);
  }

  accountAlias(account: string): string | undefined {
    return this.hostileAliases.get(account) ?? this.seed.accounts.find((a) => a.id === account)?.alias;
  }

  ssoInstance(startUrl: string): SeedSsoInstance | undefined {
    const norm = (u: string): string => u.replace(/\/+$/, '').replace(/#.*$/, '');
    return this.seed.sso.find((i) => norm(i.startUrl) === norm(startUrl));
  }

  permissionSet(startUrl: string, name: string): SeedPermissionSet | undefined {
    return this.ssoInstance(startUrl)?.permissionSets.find((p) => p.name === name);
  }

  /** A long-term user as a caller. */
  userCaller(user: SeedUser, accessKeyId: string): Caller {
    const arn = userArn(user);
    return {
      kind: 'user',
      accessKeyId,
      account: user.account,
      arn,
      userId: user.userId,
      principalArn: arn,
      identity: { type: 'user', account: user.account, name: user.name },
      sourceUser: { account: user.account, name: user.name },
      mfa: false,
    };
  }

  issueSession(template: SessionTemplate, durationSeconds: number): Session {
    const now = this.clock.now();
    const session: Session = {
      ...template,
      accessKeyId: ids.tempAccessKeyId(),
      secretAccessKey: ids.secretAccessKey(),
      sessionToken: ids.sessionToken(),
      // AWS reports whole seconds.
      issuedAt: now,
      expiresAt: Math.floor(now / 1000) * 1000 + (this.sessionLifetimeSeconds ?? durationSeconds) * 1000,
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /** Identity-based permissions, resolved live. A vanished identity allows nothing. */
  identityPolicy(identity: IdentitySource): PolicyDocument {
    switch (identity.type) {
      case 'user': {
        const u = this.findUser(identity.account, identity.name);
        return allowListDocument(u ? u.allow : []);
      }
      case 'role': {
        const r = this.findRole(identity.arn);
        return allowListDocument(r ? r.allow : []);
      }
      case 'permission-set': {
        const ps = this.permissionSet(identity.startUrl, identity.name);
        return allowListDocument(ps ? ps.allow : []);
      }
    }
  }

  managedPolicy(arn: string): PolicyDocument | undefined {
    return this.seed.managedPolicies?.[arn] ?? AWS_MANAGED_POLICIES[arn];
  }

  isRevoked(caller: Caller): boolean {
    if (!caller.roleArn || caller.issuedAt === undefined) return false;
    const revokedAt = this.revokedRoles.get(caller.roleArn);
    return revokedAt !== undefined && caller.issuedAt <= revokedAt;
  }

  /**
   * IAM-style evaluation of one action: explicit deny (revoked sessions, session
   * policy Deny) > identity allow > session-policy allow. Returns the AccessDenied
   * AWS would send, or undefined if allowed.
   */
  authorize(caller: Caller, action: string, resource = '*'): ApiError | undefined {
    const prefix = `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}`;
    if (this.isRevoked(caller)) return accessDenied(`${prefix} with an explicit deny in an identity-based policy`);
    const identity = evaluate([this.identityPolicy(caller.identity)], action);
    if (identity === 'explicit-deny') return accessDenied(`${prefix} with an explicit deny in an identity-based policy`);
    if (caller.sessionPolicies !== undefined) {
      const session = evaluate(caller.sessionPolicies, action);
      if (session === 'explicit-deny') return accessDenied(`${prefix} with an explicit deny in a session policy`);
      if (identity !== 'allow') {
        return accessDenied(`${prefix} because no identity-based policy allows the ${action} action`);
      }
      if (session !== 'allow') return accessDenied(`${prefix} because no session policy allows the ${action} action`);
      return undefined;
    }
    if (identity !== 'allow') return accessDenied(`${prefix} because no identity-based policy allows the ${action} action`);
    return undefined;
  }

  /** Does the role's trust policy name this caller as a principal? (Conditions are checked by sts.ts.) */
  trusts(role: SeedRole, caller: Caller): boolean {
    return role.trust.principals.some((p) => {
      if (/^\d{12}$/.test(p)) return caller.account === p && caller.kind !== 'federated-user';
      const root = /^arn:aws:iam::(\d{12}):root$/.exec(p);
      if (root) return caller.account === root[1] && caller.kind !== 'federated-user';
      if (p.startsWith('sso-user:')) return caller.ssoUser === p.slice('sso-user:'.length);
      return wildcardMatch(p, caller.principalArn, false);
    });
  }

  /** Everything secret the fake has handed out, for leak checks. */
  issuedSecrets(): string[] {
    const out: string[] = [];
    for (const s of this.sessions.values()) out.push(s.secretAccessKey, s.sessionToken);
    out.push(...this.createdKeySecrets);
    return out;
  }
}
