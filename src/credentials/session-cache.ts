/**
 * Cached short-lived sessions under $XDG_CACHE_HOME/awsguard/sessions, one private file per
 * key. The key is a hash of everything that changes the result (chain, role, scope, duration,
 * MFA, the long-term key id), so a changed config never serves a stale session.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { coalesce } from './lock.js';
import { sha256Hex } from './sha256.js';
import { displayPath } from '../errors.js';
import { ensurePrivateDir, isStorageFailure, readPrivateFile, removeFile, storageFailureText, writePrivateFile } from './secure-files.js';
import type { TemporaryCredentials } from './types.js';

export interface CachedIdentity {
  accountId: string;
  arn: string;
  userId: string;
  alias?: string;
  /** IAM was asked for the alias with this session (and may have had none to give, or refused). */
  aliasChecked?: boolean;
}

export interface CacheEntry {
  profile: string;
  /** What produced it, for `logout` and `doctor`: `assume-role Admin`, `session-token`, `sso`. */
  label: string;
  credentials: TemporaryCredentials;
  identity?: CachedIdentity;
  mfa?: boolean;
  /** The long-term key id the chain started from (not a secret): `keys rotate` forgets what the old key made. */
  sourceKeyId?: string;
}

interface StoredEntry extends Omit<CacheEntry, 'credentials'> {
  version: 1;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
}

/** Sessions are reused until this close to their end, so a child always gets some minutes. */
export const EXPIRY_MARGIN_SECONDS = 300;

export class SessionCache {
  readonly dir: string;
  private ready = false;
  constructor(
    cacheDir: string,
    private readonly now: () => number,
    private readonly marginSeconds = EXPIRY_MARGIN_SECONDS,
    /** Told when a session cannot be stored (a full disk): the session is still good, only not cached. */
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.dir = join(cacheDir, 'sessions');
    this.cacheRoot = cacheDir;
  }
  private readonly cacheRoot: string;

  static key(material: unknown): string {
    return sha256Hex(JSON.stringify(material)).slice(0, 40);
  }

  private prepare(): void {
    if (this.ready) return;
    ensurePrivateDir(this.cacheRoot);
    ensurePrivateDir(this.dir);
    this.ready = true;
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** A live entry, or `undefined` (missing, expiring within the margin, or unreadable JSON). */
  get(key: string): CacheEntry | undefined {
    this.prepare();
    const text = readPrivateFile(this.path(key));
    if (text === undefined) return undefined;
    let stored: StoredEntry;
    try {
      stored = JSON.parse(text) as StoredEntry;
    } catch {
      return undefined;
    }
    if (stored.version !== 1 || !stored.credentials?.sessionToken) return undefined;
    const expiration = new Date(stored.credentials.expiration);
    if (!(expiration.getTime() - this.now() > this.marginSeconds * 1000)) return undefined;
    const { version: _v, credentials, ...rest } = stored;
    return { ...rest, credentials: { ...credentials, expiration } };
  }

  put(key: string, entry: CacheEntry): void {
    this.prepare();
    const stored: StoredEntry = {
      version: 1,
      ...entry,
      credentials: { ...entry.credentials, expiration: entry.credentials.expiration.toISOString() },
    };
    writePrivateFile(this.path(key), JSON.stringify(stored) + '\n');
  }

  /** `put`, but a disk that cannot take the file is a warning: the credentials in hand still serve this run. */
  private store(key: string, entry: CacheEntry): void {
    try {
      this.put(key, entry);
    } catch (err) {
      if (!isStorageFailure(err)) throw err;
      this.warn(`the session cache ${displayPath(this.path(key))} cannot be written (${storageFailureText(err)}); going on without caching this session`);
    }
  }

  /**
   * The cached entry, or the one `fetch` makes while holding this key's lock (then cached).
   * With `fresh`, a cached entry is not used: the caller asked for new credentials.
   */
  async getOrFetch(key: string, fetch: () => Promise<CacheEntry>, fresh = false): Promise<{ entry: CacheEntry; fromCache: boolean }> {
    const hit = fresh ? undefined : this.get(key);
    if (hit) return { entry: hit, fromCache: true };
    // The lock lives in the cache directory: --refresh skips the read that would have made it.
    this.prepare();
    let fetched = false;
    const entry = await coalesce(
      join(this.dir, `${key}.lock`),
      () => (fresh ? undefined : this.get(key)),
      async () => {
        const e = await fetch();
        fetched = true;
        this.store(key, e);
        return e;
      },
      this.now,
    );
    return { entry, fromCache: !fetched };
  }

  /** Adds identity to an entry already cached (it is learned after the credentials). */
  update(key: string, patch: Partial<CacheEntry>): void {
    const current = this.get(key);
    if (current) this.store(key, { ...current, ...patch });
  }

  /** Removes entries whose profile matches; returns how many. */
  remove(match: (e: { profile: string; sourceKeyId?: string }) => boolean): number {
    this.prepare();
    let n = 0;
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const path = join(this.dir, name);
      let entry: { profile?: string; sourceKeyId?: string };
      try {
        entry = JSON.parse(readPrivateFile(path) ?? '{}') as { profile?: string; sourceKeyId?: string };
      } catch {
        entry = {};
      }
      const profile = entry.profile;
      if (profile === undefined || match({ profile, ...(entry.sourceKeyId ? { sourceKeyId: entry.sourceKeyId } : {}) })) n += removeFile(path) ? 1 : 0;
    }
    return n;
  }

  /** Every entry, live or not, for `doctor` and the picker's "session live" column. */
  list(): Array<{ key: string; profile: string; label: string; expiration: Date }> {
    this.prepare();
    const out: Array<{ key: string; profile: string; label: string; expiration: Date }> = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const s = JSON.parse(readPrivateFile(join(this.dir, name)) ?? '{}') as StoredEntry;
        out.push({ key: name.slice(0, -5), profile: s.profile, label: s.label, expiration: new Date(s.credentials.expiration) });
      } catch {
        // unreadable entries are skipped; they will be overwritten
      }
    }
    return out;
  }
}

/** A cached session as others may see it: whose it is, when it ends, who it was; never a key. */
export interface SessionSummary {
  profile: string;
  /** Milliseconds since the epoch; NaN when the entry has no readable expiry. */
  expiration: number;
  identity?: Partial<CachedIdentity>;
}

const SECRET_FIELDS: ReadonlySet<string> = new Set(['accessKeyId', 'secretAccessKey', 'sessionToken']);
const dropSecrets = (key: string, value: unknown): unknown => (SECRET_FIELDS.has(key) ? undefined : value);

/**
 * Every entry under `cacheDir/sessions`, live or not, for the picker. Parsed with a reviver that
 * drops every credential field, so no secret reaches its data; nothing is created, and files
 * that are unreadable, broken, of another shape or writable by others are skipped.
 */
export function readSessionSummaries(cacheDir: string): SessionSummary[] {
  const dir = join(cacheDir, 'sessions');
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // No cache yet: nothing is known.
  }
  const out: SessionSummary[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    let entry: unknown;
    try {
      const text = readPrivateFile(join(dir, name));
      entry = text === undefined ? undefined : (JSON.parse(text, dropSecrets) as unknown);
    } catch {
      continue;
    }
    if (!isRecord(entry) || typeof entry.profile !== 'string') continue;
    const credentials = entry.credentials;
    const expiration = isRecord(credentials) && typeof credentials.expiration === 'string' ? Date.parse(credentials.expiration) : NaN;
    out.push({ profile: entry.profile, expiration, ...(isRecord(entry.identity) ? { identity: entry.identity as Partial<CachedIdentity> } : {}) });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
