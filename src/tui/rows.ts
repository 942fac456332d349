/**
 * The picker's rows: one per profile, with what the config and awsguard's caches say about
 * it. Rows come from sources that take what they need and return plain rows; today the only
 * source is the AWS config's profiles, and an SSO portal listing can add its own rows later
 * (an account and role without a profile) by returning the same shape.
 */
import { ConfigError } from '../errors.js';
import { chainAccountId, resolveChain, roleName, sourceKind, type Chain } from '../config/chain.js';
import { str, type AwsConfig } from '../config/model.js';
import type { CacheView } from './cache-view.js';
import { looksProtected } from './protected-hint.js';

export type RowSourceKind = ReturnType<typeof sourceKind> | 'broken';

export interface PickRow {
  /** The profile name: what Enter prints. */
  profile: string;
  accountId: string | undefined;
  alias: string | undefined;
  /** The last role of the chain, or the SSO permission set. */
  role: string | undefined;
  region: string | undefined;
  /** How credentials are obtained; `broken` when the chain cannot be resolved. */
  source: RowSourceKind;
  /** A hint from the name and alias (see protected-hint.ts); the guard decides for real. */
  protected: boolean;
  /** When the latest cached session ends, in milliseconds since the epoch. */
  sessionExpires: number | undefined;
}

export interface ProfileRowOptions {
  /** What awsguard's caches know: sessions, identities, aliases. */
  cache: CacheView;
  /** Aliases from awsguard's settings: they win over cached ones. */
  settingsAliases?: ReadonlyMap<string, string>;
  /** The guard's rules (settings and defaults); without them, the default words decide. */
  isProtected?: (who: { accountId: string | undefined; alias: string | undefined; profile: string }) => boolean;
}

/**
 * One row per profile, in the config's order: the order of last resort when neither match nor
 * frecency decides (as fzf breaks ties by input order), and no sort before the first frame.
 */
export function rowsFromProfiles(config: AwsConfig, options: ProfileRowOptions): PickRow[] {
  const { cache, settingsAliases, isProtected } = options;
  const rows: PickRow[] = [];
  for (const [name, profile] of config.profiles) {
    let chain: Chain | undefined;
    try {
      chain = resolveChain(config, name);
    } catch (err) {
      // A broken profile is still listed: choosing it leads to the command that explains what is wrong.
      if (!(err instanceof ConfigError)) throw err;
    }
    const accountId = (chain && chainAccountId(chain)) ?? cache.identities.get(name)?.accountId;
    const alias = accountId === undefined ? undefined : (settingsAliases?.get(accountId) ?? cache.aliases.get(accountId));
    rows.push({
      profile: name,
      accountId,
      alias,
      role: chain && chainRole(chain),
      region: str(profile, 'region'),
      source: chain ? sourceKind(chain) : 'broken',
      protected: isProtected ? isProtected({ accountId, alias, profile: name }) : looksProtected(name, alias),
      sessionExpires: cache.sessions.get(name),
    });
  }
  return rows;
}

function chainRole(chain: Chain): string | undefined {
  const last = chain.roles[chain.roles.length - 1];
  if (last) return roleName(last.roleArn);
  return chain.base.kind === 'sso' ? chain.base.roleName : undefined;
}
