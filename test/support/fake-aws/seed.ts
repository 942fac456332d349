import { createHash, type KeyObject } from 'node:crypto';
import { stableId } from './ids.js';
import { sharedOidcKey } from './jwt.js';
import type { PolicyDocument } from './policy.js';

/**
 * The world the fake AWS knows about. `FakeAws.seed` is this object, live:
 * tests may push users, roles or accounts into it after start-up and the next
 * request sees them.
 */
export interface Seed {
  /** Organisation label, only used for names and hints. */
  org: string;
  accounts: SeedAccount[];
  users: SeedUser[];
  roles: SeedRole[];
  sso: SeedSsoInstance[];
  /** Managed policies usable as PolicyArns, on top of the built-in AWS ones. */
  managedPolicies?: Record<string, PolicyDocument>;
  /** IAM OIDC identity providers (AssumeRoleWithWebIdentity). */
  oidcProviders?: SeedOidcProvider[];
}

/**
 * An IAM OIDC provider: `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH` for the issuer `url`.
 * STS checks a web identity token's signature against `publicKeyPem` (what it would fetch from
 * the issuer's JWKS), its `iss` against `url`, its `aud` against `audiences`, and its `exp`.
 */
export interface SeedOidcProvider {
  /** The issuer, `https://token.actions.githubusercontent.com`. */
  url: string;
  account: string;
  /** Client ids (`aud` values) the provider accepts. */
  audiences: string[];
  publicKeyPem: string;
  /** For tests that mint tokens (`FakeAws.webIdentityToken`); AWS never has it. */
  privateKey?: KeyObject;
}

export interface SeedAccount {
  id: string;
  /** Account name as the SSO portal lists it. */
  name: string;
  /** IAM account alias (ListAccountAliases); absent = the account has none. */
  alias?: string;
  email: string;
}

export interface SeedUser {
  account: string;
  name: string;
  /** `AIDA…`, reported as UserId by GetCallerIdentity. */
  userId: string;
  accessKeys: SeedAccessKey[];
  mfa?: SeedMfa;
  /**
   * Actions the user's identity-based policies allow (IAM-style patterns with
   * `*`). Absent = `['*']`.
   */
  allow?: string[];
}

export interface SeedAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Inactive keys fail like unknown ones (InvalidClientTokenId). Default true. */
  active?: boolean;
  /** CreateDate (ms since the epoch); absent: when the fake started. */
  createdAt?: number;
  /** Until then (fake clock, ms) the key is refused as unknown: IAM's propagation delay for a new key. */
  usableAt?: number;
  /** What GetAccessKeyLastUsed reports; set by every call signed with the key. */
  lastUsed?: { at: number; service: string; region: string };
}

export interface SeedMfa {
  /** Virtual device ARN, `arn:aws:iam::ACCT:mfa/NAME`. */
  serialNumber: string;
  /** A fixed code the fake accepts every time (older tests: a stand-in for the TOTP of the moment). */
  code?: string;
  /**
   * Base32 TOTP seed: the fake then accepts only the RFC 6238 code of the moment (one step of
   * drift either way) and, like AWS, refuses a code of a step already used.
   */
  totpSecret?: string;
}

export interface SeedRole {
  /** `arn:aws:iam::ACCT:role/NAME` (paths allowed). */
  arn: string;
  /** `AROA…` */
  roleId: string;
  /** Seconds, 3600..43200 on AWS. Default 3600. */
  maxSessionDuration?: number;
  trust: SeedTrust;
  /** Actions the role's identity policies allow. Absent = `['*']`. */
  allow?: string[];
}

/**
 * The trust policy, reduced to what matters for credential tooling.
 * `principals` entries may be:
 *  - an account id `123456789012` or `arn:aws:iam::123456789012:root`: any IAM
 *    principal of that account (users, role sessions, SSO role sessions);
 *  - an IAM user or role ARN, with `*` wildcards
 *    (e.g. `arn:aws:iam::1111:role/aws-reserved/sso.amazonaws.com/*`);
 *  - `sso-user:<username>`: a session from SSO role credentials of that user
 *    (what a `aws:userid` condition on `AROA…:<username>` would express).
 */
export interface SeedTrust {
  principals: string[];
  /** Required `sts:ExternalId`. */
  externalId?: string;
  /** `aws:MultiFactorAuthPresent: true` condition. */
  requireMfa?: boolean;
  /**
   * For web identity: `StringLike` on the provider's `sub` claim (`*` wildcards). Principals
   * name the provider as `arn:aws:iam::ACCT:oidc-provider/HOST/PATH`. Absent = any subject.
   */
  subjects?: string[];
  /** `StringEquals` on the `aud` claim; absent = any audience the provider accepts. */
  audience?: string;
}

export interface SeedSsoInstance {
  /** e.g. `https://acme.awsapps.com/start` */
  startUrl: string;
  region: string;
  users: SeedSsoUser[];
  permissionSets: SeedPermissionSet[];
  assignments: SeedAssignment[];
  /** Access token lifetime in seconds. Default 28800 (8h), like IAM Identity Center. */
  accessTokenTtlSeconds?: number;
  /** Refresh-token grants return a new refresh token and revoke the old one. Default true. */
  rotateRefreshTokens?: boolean;
}

export interface SeedSsoUser {
  username: string;
  displayName?: string;
}

export interface SeedPermissionSet {
  name: string;
  /** Role-credential lifetime in seconds. Default 3600. */
  sessionDurationSeconds?: number;
  /** Actions the permission set allows. Absent = `['*']`. */
  allow?: string[];
}

export interface SeedAssignment {
  username: string;
  accountId: string;
  permissionSets: string[];
}

/**
 * A deterministic, obviously fake, realistically shaped secret: 40 characters
 * of base64 like a real secret access key, starting with "FAKE" so a leak
 * check can spot it.
 */
export function fakeSecret(label: string): string {
  return `FAKE${createHash('sha256').update(`awsguard-fake:${label}`).digest('base64').slice(0, 36)}`;
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

const ACCOUNTS: Array<[string, string, boolean]> = [
  ['111111111111', 'acme-dev', true],
  ['222222222222', 'acme-staging', true],
  ['333333333333', 'acme-prod', true],
  ['444444444444', 'acme-prod-eu', true],
  ['555555555555', 'acme-sandbox', false],
  ['666666666666', 'acme-security', true],
  ['777777777777', 'acme-logging', true],
  ['888888888888', 'acme-shared-services', true],
  ['999999999999', 'acme-network', true],
  ['101010101010', 'acme-data', true],
  ['121212121212', 'acme-ml', true],
  ['131313131313', 'acme-legacy', true],
];

const role = (account: string, name: string, trust: SeedTrust, extra: Partial<SeedRole> = {}): SeedRole => ({
  arn: `arn:aws:iam::${account}:role/${name}`,
  roleId: stableId('AROA', `${account}/${name}`),
  trust,
  ...extra,
});

/**
 * The demo organisation "acme". Relationships worth knowing:
 *  - alice (111111111111) has MFA `arn:aws:iam::111111111111:mfa/alice`, code `123456`;
 *  - every account but 555555555555 has Admin (1h), ReadOnly (12h) and Deploy (2h)
 *    trusting principals of 111111111111;
 *  - 333333333333 Admin requires MFA and also trusts 222222222222 Deploy;
 *  - 444444444444 Admin requires external id `acme-ext-id` and also trusts
 *    333333333333 Admin, so alice → 222 Deploy → 333 Admin → 444 Admin works;
 *  - 555555555555 (no alias) has Admin and Sandbox; Sandbox may not list aliases;
 *  - 111111111111 GitHubActions trusts GitHub's OIDC provider (sub `repo:acme/*`, aud
 *    `sts.amazonaws.com`): `fake.webIdentityToken({ sub: 'repo:acme/app:ref:refs/heads/main' })`.
 */
export function defaultSeed(): Seed {
  const dev = '111111111111';
  const roles: SeedRole[] = [];
  for (const [id] of ACCOUNTS) {
    if (id === '555555555555') continue;
    const trustDev: SeedTrust = { principals: [dev] };
    roles.push(
      role(id, 'Admin', trustDev),
      role(id, 'ReadOnly', trustDev, {
        maxSessionDuration: 43200,
        allow: ['iam:List*', 'iam:Get*', 'sts:GetCallerIdentity', 'sts:AssumeRole'],
      }),
      role(id, 'Deploy', trustDev, { maxSessionDuration: 7200 }),
    );
  }
  const find = (arn: string): SeedRole => {
    const r = roles.find((x) => x.arn === arn);
    if (!r) throw new Error(`defaultSeed: missing ${arn}`);
    return r;
  };
  find('arn:aws:iam::333333333333:role/Admin').trust = {
    principals: [dev, 'arn:aws:iam::222222222222:role/Deploy'],
    requireMfa: true,
  };
  find('arn:aws:iam::444444444444:role/Admin').trust = {
    principals: [dev, 'arn:aws:iam::333333333333:role/Admin'],
    externalId: 'acme-ext-id',
  };
  // A pipeline's role: GitHub Actions of acme's repositories (web identity), trusted in turn by
  // every account's Deploy and ReadOnly (principals of 111111111111).
  roles.push(
    role(dev, 'GitHubActions', {
      principals: [`arn:aws:iam::${dev}:oidc-provider/token.actions.githubusercontent.com`],
      subjects: ['repo:acme/*'],
      audience: 'sts.amazonaws.com',
    }),
  );
  const oidcKey = sharedOidcKey();
  roles.push(
    role('555555555555', 'Admin', { principals: [dev] }),
    role('555555555555', 'Sandbox', { principals: [dev] }, { allow: ['sts:*', 's3:*', 'ec2:Describe*'] }),
  );

  const allAccounts = ACCOUNTS.map(([id]) => id);
  return {
    org: 'acme',
    accounts: ACCOUNTS.map(([id, name, hasAlias]) => ({
      id,
      name,
      ...(hasAlias ? { alias: name } : {}),
      email: `aws+${name}@acme.example`,
    })),
    users: [
      {
        account: dev,
        name: 'alice',
        userId: 'AIDAFAKEALICE00000001',
        accessKeys: [{ accessKeyId: 'AKIAFAKEALICE0000001', secretAccessKey: fakeSecret('alice') }],
        mfa: { serialNumber: 'arn:aws:iam::111111111111:mfa/alice', code: '123456' },
      },
      {
        account: dev,
        name: 'ci-bot',
        userId: 'AIDAFAKECIBOT00000001',
        accessKeys: [{ accessKeyId: 'AKIAFAKECIBOT0000001', secretAccessKey: fakeSecret('ci-bot') }],
      },
    ],
    roles,
    oidcProviders: [
      {
        url: GITHUB_ISSUER,
        account: dev,
        audiences: ['sts.amazonaws.com'],
        publicKeyPem: oidcKey.publicKeyPem,
        privateKey: oidcKey.privateKey,
      },
    ],
    sso: [
      {
        startUrl: 'https://acme.awsapps.com/start',
        region: 'eu-west-1',
        users: [
          { username: 'alice@acme.example', displayName: 'Alice Example' },
          { username: 'bob@acme.example', displayName: 'Bob Example' },
        ],
        permissionSets: [
          { name: 'AdministratorAccess', sessionDurationSeconds: 3600 },
          {
            name: 'ReadOnlyAccess',
            sessionDurationSeconds: 28800,
            // Includes sts:AssumeRole so SSO read-only users can hop into trusting roles.
            allow: ['iam:List*', 'iam:Get*', 'sts:GetCallerIdentity', 'sts:AssumeRole'],
          },
        ],
        assignments: [
          ...allAccounts.map((accountId) => ({
            username: 'alice@acme.example',
            accountId,
            permissionSets: ['111111111111', '222222222222', '555555555555'].includes(accountId)
              ? ['AdministratorAccess', 'ReadOnlyAccess']
              : ['ReadOnlyAccess'],
          })),
          { username: 'bob@acme.example', accountId: dev, permissionSets: ['ReadOnlyAccess'] },
        ],
      },
    ],
  };
}

/**
 * Every long-term secret in a seed, for leak checks on output. MFA codes are
 * left out on purpose: a six-digit code is no secret once used and would give
 * false positives when grepping. Secrets minted at run time (temporary keys,
 * session and bearer tokens) come from `FakeAws.issuedSecrets()`.
 */
export function allSecrets(seed: Seed): string[] {
  return seed.users.flatMap((u) => u.accessKeys.map((k) => k.secretAccessKey));
}
