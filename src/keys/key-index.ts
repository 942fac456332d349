/**
 * What is stored where, without the secrets: `keys.json` in awsguard's data directory, name →
 * key id, backend, when it was added, whose it is. A cached session is looked up by the key id
 * it was made from, and this file gives that id without opening the store (which may ask for a
 * passphrase or wake a keychain): a cache hit never touches the store. `keys list` and `doctor`
 * read it too. The store is the truth; this index follows every change made to it.
 */
import { join } from 'node:path';
import { ensurePrivateDir, readPrivateFile, writePrivateFile } from '../credentials/secure-files.js';

export type Backend = 'keychain' | 'file';

export interface IndexEntry {
  accessKeyId: string;
  backend: Backend;
  addedAt: string;
  arn?: string;
  /** A rotation has not finished: the old key id, still in IAM. */
  rotatingFrom?: string;
}

export const INDEX_FILE = 'keys.json';
/** The encrypted file backend's file, beside the index. */
export const KEY_FILE = 'keys.enc';

export function readKeyIndex(dataDir: string): Map<string, IndexEntry> {
  let text: string | undefined;
  try {
    text = readPrivateFile(join(dataDir, INDEX_FILE));
  } catch {
    return new Map();
  }
  if (text === undefined) return new Map();
  try {
    const data = JSON.parse(text) as { version?: number; keys?: Record<string, IndexEntry> };
    if (data.version !== 1 || typeof data.keys !== 'object' || data.keys === null) return new Map();
    return new Map(Object.entries(data.keys).filter(([, e]) => typeof e?.accessKeyId === 'string'));
  } catch {
    return new Map();
  }
}

export function writeKeyIndex(dataDir: string, index: ReadonlyMap<string, IndexEntry>): void {
  ensurePrivateDir(dataDir);
  const keys: Record<string, IndexEntry> = Object.create(null);
  for (const [name, e] of index) keys[name] = e;
  writePrivateFile(join(dataDir, INDEX_FILE), JSON.stringify({ version: 1, keys }, null, 2) + '\n');
}

export function updateKeyIndex(dataDir: string, name: string, entry: IndexEntry | undefined): void {
  const index = readKeyIndex(dataDir);
  if (entry) index.set(name, entry);
  else index.delete(name);
  writeKeyIndex(dataDir, index);
}
