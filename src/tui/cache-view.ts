/**
 * What awsguard's caches already know about each profile, read without the network: when its
 * cached session ends, and the account and alias it was last seen in. The session files also
 * hold keys; they are parsed with a reviver that drops every credential field except the
 * expiry, so no secret reaches the picker's data.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readPrivateFile } from '../credentials/secure-files.js';

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

const SECRET_FIELDS: ReadonlySet<string> = new Set(['accessKeyId', 'secretAccessKey', 'sessionToken']);
const dropSecrets = (key: string, value: unknown): unknown => (SECRET_FIELDS.has(key) ? undefined : value);

export function emptyCacheView(): CacheView {
  return { sessions: new Map(), identities: new Map(), aliases: new Map() };
}

/** Reads `cacheDir/sessions/*.json` and `cacheDir/aliases.json`; anything unreadable or insecure is skipped. */
export function readCacheView(cacheDir: string): CacheView {
  const view = emptyCacheView();
  let names: string[] = [];
  try {
    names = readdirSync(join(cacheDir, 'sessions'));
  } catch {
    // No cache yet: nothing is known.
  }
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const entry = readJson(join(cacheDir, 'sessions', name));
    if (!isObject(entry) || typeof entry.profile !== 'string') continue;
    const profile = entry.profile;
    const expiration = isObject(entry.credentials) && typeof entry.credentials.expiration === 'string' ? Date.parse(entry.credentials.expiration) : NaN;
    if (Number.isFinite(expiration) && expiration > (view.sessions.get(profile) ?? -Infinity)) view.sessions.set(profile, expiration);
    const identity = entry.identity;
    if (isObject(identity) && typeof identity.accountId === 'string') {
      const seen: CachedIdentityView = { accountId: identity.accountId };
      if (typeof identity.alias === 'string' && identity.alias) seen.alias = identity.alias;
      const known = view.identities.get(profile);
      if (!known || (!known.alias && seen.alias)) view.identities.set(profile, seen);
    }
  }
  const aliases = readJson(join(cacheDir, 'aliases.json'));
  if (isObject(aliases)) {
    for (const [accountId, value] of Object.entries(aliases)) {
      if (isObject(value) && typeof value.alias === 'string' && value.alias) view.aliases.set(accountId, value.alias);
    }
  }
  for (const identity of view.identities.values()) {
    if (identity.alias && !view.aliases.has(identity.accountId)) view.aliases.set(identity.accountId, identity.alias);
  }
  return view;
}

function readJson(path: string): unknown {
  try {
    // readPrivateFile refuses files others could have written: an alias from such a file could lie.
    const text = readPrivateFile(path);
    return text === undefined ? undefined : (JSON.parse(text, dropSecrets) as unknown);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
