/**
 * What awsguard's caches already know about each profile, read without the network: when its
 * cached session ends, and the account and alias it was last seen in. The session files also
 * hold keys; the session cache's reader drops every credential field except the expiry, so no
 * secret reaches the picker's data.
 */
import { readSessionSummaries } from '../credentials/session-cache.js';
import { readAliasCache } from '../guard/alias-cache.js';

export interface CachedIdentityView {
  accountId: string;
  alias?: string;
}

export interface CacheView {
  /** Profile name → the latest expiry of its cached sessions, in milliseconds since the epoch. */
  sessions: Map<string, number>;
  /** Profile name → the identity last seen for it. */
  identities: Map<string, CachedIdentityView>;
  /** Account id → alias, from `aliases.json` (IAM's answer, cached by `whoami`/`exec`). */
  aliases: Map<string, string>;
}

export function emptyCacheView(): CacheView {
  return { sessions: new Map(), identities: new Map(), aliases: new Map() };
}

/**
 * Reads the session cache and the alias cache through the modules that write them
 * (credentials/session-cache.ts, guard/alias-cache.ts); anything unreadable or insecure is skipped.
 */
export function readCacheView(cacheDir: string): CacheView {
  const view = emptyCacheView();
  for (const { profile, expiration, identity } of readSessionSummaries(cacheDir)) {
    if (Number.isFinite(expiration) && expiration > (view.sessions.get(profile) ?? -Infinity)) view.sessions.set(profile, expiration);
    if (identity && typeof identity.accountId === 'string') {
      const seen: CachedIdentityView = { accountId: identity.accountId };
      if (typeof identity.alias === 'string' && identity.alias) seen.alias = identity.alias;
      const known = view.identities.get(profile);
      if (!known || (!known.alias && seen.alias)) view.identities.set(profile, seen);
    }
  }
  for (const [accountId, value] of Object.entries(readAliasCache(cacheDir))) {
    if (isObject(value) && typeof value.alias === 'string' && value.alias) view.aliases.set(accountId, value.alias);
  }
  for (const identity of view.identities.values()) {
    if (identity.alias && !view.aliases.has(identity.accountId)) view.aliases.set(identity.accountId, identity.alias);
  }
  return view;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
