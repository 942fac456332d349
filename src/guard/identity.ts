/**
 * Who a set of credentials really is: GetCallerIdentity (or, for a role session, the
 * AssumedRoleUser of the STS answer that made it, kept with the session), and the account
 * alias from IAM (cached per account, since an alias rarely changes). The guard decides on
 * this, never on the profile's name.
 *
 * The alias decides protection, so not learning it must never make an account look harmless.
 * It is asked with the credentials before any session policy (`Resolution.aliasCredentials`),
 * an SSO account falls back to the portal's name for it, a failed lookup is never cached, and
 * an account whose alias is still unknown after an error comes back as `unknown`, which the
 * guard treats as protected. IAM answering "no alias" is an answer, not an error.
 */
import { describeAwsError, iamClient } from '../credentials/aws-clients.js';
import { ensurePrivateDir } from '../credentials/secure-files.js';
import { SessionCache, type CachedIdentity } from '../credentials/session-cache.js';
import { getCallerIdentity } from '../credentials/sts.js';
import type { Resolution } from '../credentials/resolver.js';
import type { AliasSource } from './decide.js';
import { isValidAccountAlias } from './alias-rule.js';
import { readAliasCache, writeAliasCache } from './alias-cache.js';

export interface Identity extends CachedIdentity {
  /** Where the alias came from; `none`: the account has none; `unknown`: it could not be learned. */
  aliasSource: AliasSource;
  /** Why the alias is unknown. */
  aliasError?: string;
  /** The role for an assumed-role ARN, the user or federated name otherwise. */
  principal: string;
}

export interface IdentifyOptions {
  env: NodeJS.ProcessEnv;
  now: () => number;
  cacheDir: string;
  /** Aliases from awsguard's settings: they win over IAM and save the call. */
  settingsAliases?: ReadonlyMap<string, string>;
  /** Told when the learned identity cannot be stored with the session (a full disk). */
  warn?: (message: string) => void;
}

const ALIAS_TTL_MS = 7 * 24 * 3600_000;

/**
 * The principal's short name from its ARN: `assumed-role/Admin/session` → `Admin`, and an
 * IAM Identity Center role `AWSReservedSSO_ReadOnlyAccess_0123abcd` → its permission set.
 */
export function principalName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  if (parts[0] === 'assumed-role' || parts[0] === 'federated-user' || parts[0] === 'user' || parts[0] === 'role') {
    const name = parts[1] ?? resource;
    return /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(name)?.[1] ?? name;
  }
  return resource;
}

type AliasAnswer = { alias: string | undefined; source: AliasSource; error?: string };

export async function identify(res: Resolution, opts: IdentifyOptions): Promise<Identity> {
  const cached = res.identity;
  const base: CachedIdentity = cached ?? (await getCallerIdentity({ env: opts.env, region: res.region ?? 'us-east-1', profile: res.profile }, res.credentials));
  const fromSettings = opts.settingsAliases?.get(base.accountId);
  let answer: AliasAnswer;
  if (fromSettings) answer = { alias: fromSettings, source: 'settings' };
  else if (cached?.aliasChecked) answer = { alias: cached.alias, source: cached.alias ? 'iam' : 'none' };
  else answer = await learnAlias(res, base.accountId, opts);
  // Only a definitive answer from IAM is remembered with the session; a failure is asked again.
  const definitive = answer.source === 'iam' || answer.source === 'none';
  const iamAlias = definitive ? answer.alias : undefined;
  const identity: CachedIdentity = { accountId: base.accountId, arn: base.arn, userId: base.userId, ...(iamAlias ? { alias: iamAlias } : {}), ...(definitive ? { aliasChecked: true } : {}) };
  const learned = !cached || (definitive && cached.aliasChecked !== true);
  if (learned && res.cacheKey) new SessionCache(opts.cacheDir, opts.now, undefined, opts.warn).update(res.cacheKey, { identity });
  return {
    ...identity,
    ...(answer.alias ? { alias: answer.alias } : {}),
    aliasSource: answer.source,
    ...(answer.error ? { aliasError: answer.error } : {}),
    principal: principalName(base.arn),
  };
}

async function learnAlias(res: Resolution, accountId: string, opts: IdentifyOptions): Promise<AliasAnswer> {
  ensurePrivateDir(opts.cacheDir);
  const all = readAliasCache(opts.cacheDir);
  const hit = all[accountId];
  if (hit && opts.now() - hit.at < ALIAS_TTL_MS && (hit.alias === null || isValidAccountAlias(hit.alias))) {
    return { alias: hit.alias ?? undefined, source: hit.alias ? 'iam' : 'none' };
  }
  let alias: string | null;
  try {
    alias = await listAccountAlias(res, opts);
  } catch (err) {
    const failure = err instanceof InvalidAliasAnswer ? err.message : `${describeAwsError(err).code} from iam:ListAccountAliases`;
    const portal = await portalAccountName(res, accountId, opts);
    if (portal) return { alias: portal, source: 'sso-portal', error: failure };
    return { alias: undefined, source: 'unknown', error: failure };
  }
  all[accountId] = { alias, at: opts.now() };
  writeAliasCache(opts.cacheDir, all);
  return { alias: alias ?? undefined, source: alias ? 'iam' : 'none' };
}

class InvalidAliasAnswer extends Error {}

async function listAccountAlias(res: Resolution, opts: IdentifyOptions): Promise<string | null> {
  const credentials = res.aliasCredentials ? await res.aliasCredentials() : res.credentials;
  const { ListAccountAliasesCommand } = await import('../credentials/sdk/client-iam.js');
  const client = await iamClient({ env: opts.env, region: res.region ?? 'us-east-1' }, credentials);
  const out = await client.send(new ListAccountAliasesCommand({}));
  const alias = out.AccountAliases?.[0];
  if (alias === undefined) return null;
  // IAM itself only ever stores aliases of this shape; anything else did not come from IAM as
  // AWS runs it, and is not shown, typed or matched as a name.
  if (!isValidAccountAlias(alias)) throw new InvalidAliasAnswer('IAM answered an alias that breaks AWS\'s alias rules');
  return alias;
}

/**
 * For an SSO role, the name the organisation gave the account, from the portal listing awsguard
 * keeps (or one ListAccounts walk): what people know an SSO account by when its role may not
 * list aliases. Only names that could be typed as an alias stand in for one.
 */
async function portalAccountName(res: Resolution, accountId: string, opts: IdentifyOptions): Promise<string | undefined> {
  const base = res.chain.base;
  if (base.kind !== 'sso') return undefined;
  try {
    const { cachedListing } = await import('../credentials/sso-portal.js');
    const { listSsoAccounts } = await import('../credentials/sso.js');
    const ref = { startUrl: base.startUrl, region: base.region, ...(base.session ? { session: base.session } : {}) };
    const listed = cachedListing(opts.cacheDir, ref, opts.now())?.accounts.find((a) => a.accountId === accountId);
    const name = listed?.accountName ?? (await listSsoAccounts({ env: opts.env, region: base.region, profile: res.profile }, ref, opts.now)).find((a) => a.accountId === accountId)?.accountName;
    return name !== undefined && isValidAccountAlias(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
