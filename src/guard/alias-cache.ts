/**
 * The account alias cache, `$XDG_CACHE_HOME/awsguard/aliases.json`: IAM's answer per account id
 * (an alias, or null for "none") and when it was given. identity.ts writes it; the picker reads
 * it through here too, so the file's layout is known in one place.
 */
import { join } from 'node:path';
import { readPrivateFile, writePrivateFile } from '../credentials/secure-files.js';

export interface AliasCacheEntry {
  alias: string | null;
  /** Milliseconds since the epoch. */
  at: number;
}

export type AliasCache = Record<string, AliasCacheEntry>;

const aliasCachePath = (cacheDir: string) => join(cacheDir, 'aliases.json');

/**
 * Every account's cached answer as stored, unchecked: callers decide what a usable entry is.
 * Missing, unreadable or broken, or writable by others (an alias from such a file could lie): empty.
 */
export function readAliasCache(cacheDir: string): AliasCache {
  try {
    const parsed = JSON.parse(readPrivateFile(aliasCachePath(cacheDir)) ?? '{}') as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as AliasCache) : {};
  } catch {
    return {};
  }
}

/** Writes the whole cache; a cache that cannot be written (a full disk) only costs the call next time. */
export function writeAliasCache(cacheDir: string, all: AliasCache): void {
  try {
    writePrivateFile(aliasCachePath(cacheDir), JSON.stringify(all));
  } catch {
    // See above: nothing to tell the person.
  }
}
