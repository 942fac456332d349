/**
 * Who a set of credentials really is: GetCallerIdentity, and the account alias from IAM
 * (cached per account, since an alias rarely changes). The guard decides on this, never on
 * the profile's name. A role that may not list aliases is no failure: the alias then comes
 * from awsguard's settings, or is left out and the account id stands in.
 */
import { join } from 'node:path';
import { iamClient } from '../credentials/aws-clients.js';
import { ensurePrivateDir, readPrivateFile, writePrivateFile } from '../credentials/secure-files.js';
import { SessionCache, type CachedIdentity } from '../credentials/session-cache.js';
import { getCallerIdentity } from '../credentials/sts.js';
import type { Resolution } from '../credentials/resolver.js';
import { isValidAccountAlias } from './alias-rule.js';

export interface Identity extends CachedIdentity {
  /** Where the alias came from; `none` when the account id stands in. */
  aliasSource: 'settings' | 'iam' | 'none';
  /** The role for an assumed-role ARN, the user or federated name otherwise. */
  principal: string;
}

export interface IdentifyOptions {
  env: NodeJS.ProcessEnv;
  now: () => number;
  cacheDir: string;
  /** Aliases from awsguard's settings: they win over IAM and save the call. */
  settingsAliases?: ReadonlyMap<string, string>;
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

export async function identify(res: Resolution, opts: IdentifyOptions): Promise<Identity> {
  const cached = res.identity;
  const base: CachedIdentity = cached ?? (await getCallerIdentity({ env: opts.env, region: res.region ?? 'us-east-1', profile: res.profile }, res.credentials));
  const fromSettings = opts.settingsAliases?.get(base.accountId);
  let iamAlias = cached?.alias;
  let checked = cached?.aliasChecked === true;
  // Asked once per session: a role that may not list aliases is not asked again on every run.
  if (!fromSettings && !checked) {
    iamAlias = await accountAlias(res, base.accountId, opts);
    checked = true;
  }
  const identity: CachedIdentity = { accountId: base.accountId, arn: base.arn, userId: base.userId, ...(iamAlias ? { alias: iamAlias } : {}), ...(checked ? { aliasChecked: true } : {}) };
  const learned = !cached || (checked && cached.aliasChecked !== true);
  if (learned && res.cacheKey) new SessionCache(opts.cacheDir, opts.now).update(res.cacheKey, { identity });
  const alias = fromSettings ?? iamAlias;
  const aliasSource: Identity['aliasSource'] = fromSettings ? 'settings' : iamAlias ? 'iam' : 'none';
  return { ...identity, ...(alias ? { alias } : {}), aliasSource, principal: principalName(base.arn) };
}

interface AliasCacheEntry {
  alias: string | null;
  at: number;
}

async function accountAlias(res: Resolution, accountId: string, opts: IdentifyOptions): Promise<string | undefined> {
  const path = join(opts.cacheDir, 'aliases.json');
  ensurePrivateDir(opts.cacheDir);
  let all: Record<string, AliasCacheEntry> = {};
  try {
    all = JSON.parse(readPrivateFile(path) ?? '{}') as Record<string, AliasCacheEntry>;
  } catch {
    all = {};
  }
  const hit = all[accountId];
  if (hit && opts.now() - hit.at < ALIAS_TTL_MS) return hit.alias ?? undefined;
  let alias: string | null = null;
  try {
    const { ListAccountAliasesCommand } = await import('@aws-sdk/client-iam');
    const client = await iamClient({ env: opts.env, region: res.region ?? 'us-east-1' }, res.credentials);
    const out = await client.send(new ListAccountAliasesCommand({}));
    alias = [out.AccountAliases?.[0]].find((a): a is string => a !== undefined && isValidAccountAlias(a)) ?? null;
  } catch {
    // A role without iam:ListAccountAliases, a federation token, or no network: the account id
    // stands in. Nothing is cached, since a denial says nothing about the alias itself.
    return undefined;
  }
  all[accountId] = { alias, at: opts.now() };
  writePrivateFile(path, JSON.stringify(all));
  return alias ?? undefined;
}
