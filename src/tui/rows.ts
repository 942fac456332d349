/**
 * The picker's rows: one per profile, with what the config and awsguard's caches say about
 * it. Rows come from sources that take what they need and return plain rows: the AWS config's
 * profiles, and the SSO portal's accounts and roles that no profile reaches yet.
 */
import { ConfigError } from '../errors.js';
import { chainAccountId, resolveChain, roleName, sourceKind, type Chain } from '../config/chain.js';
import { ephemeralName } from '../config/ephemeral.js';
import { str, type AwsConfig } from '../config/model.js';
import type { PortalListing } from '../credentials/sso-portal.js';
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
  /** An account and role from the SSO portal with no profile: `profile` is an ephemeral name. */
  ephemeral?: true;
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
export function rowsFromProfiles(config: AwsConfig, options: ProfileRowOptions, only?: readonly string[]): PickRow[] {
  const { cache, settingsAliases, isProtected } = options;
  const rows: PickRow[] = [];
  // `only`: these profiles, in this order (the first page, drawn before the others are built).
  const entries = only ? only.map((name) => [name, config.profiles.get(name)!] as const) : config.profiles;
  for (const [name, profile] of entries) {
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

/** One SSO session's portal listing, as `sso accounts` caches it. */
export interface PortalSource {
  session: string;
  listing: PortalListing;
}

/**
 * A row per account and role the portal offers that no profile already reaches, named as an
 * ephemeral profile (see config/ephemeral.ts) so choosing it needs no profile written. The
 * account's name in the organization is its alias unless the person or IAM says otherwise.
 */
export function rowsFromPortal(portals: readonly PortalSource[], profileRows: readonly PickRow[], options: ProfileRowOptions): PickRow[] {
  const { cache, settingsAliases, isProtected } = options;
  const reached = new Set(profileRows.filter((r) => r.source === 'sso').map((r) => `${r.accountId}/${r.role}`));
  const rows: PickRow[] = [];
  for (const { session, listing } of portals) {
    for (const account of listing.accounts) {
      for (const role of account.roles) {
        const key = `${account.accountId}/${role}`;
        if (reached.has(key)) continue;
        reached.add(key);
        const profile = ephemeralName({ session, accountId: account.accountId, role });
        const alias = settingsAliases?.get(account.accountId) ?? cache.aliases.get(account.accountId) ?? (account.accountName || undefined);
        rows.push({
          profile,
          accountId: account.accountId,
          alias,
          role,
          region: undefined,
          source: 'sso',
          protected: isProtected ? isProtected({ accountId: account.accountId, alias, profile }) : looksProtected(profile, alias),
          sessionExpires: cache.sessions.get(profile),
          ephemeral: true,
        });
      }
    }
  }
  return rows;
}
