/**
 * The encrypted file, for machines without a keychain (servers, containers, WSL): every record
 * in one file, `keys.enc` in awsguard's data directory (0600 in 0700), sealed with AES-256-GCM
 * under a key derived by scrypt from a passphrase. The header (format, KDF parameters, salt) is
 * the GCM additional data, so a file whose parameters were altered does not open. Weaker than a
 * keychain: anyone who gets the file can try passphrases offline, and AWSGUARD_FILE_PASSPHRASE
 * puts the passphrase in the environment of whatever runs awsguard.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { join } from 'node:path';
import { displayPath } from '../errors.js';
import { ensurePrivateDir, readPrivateFile, writePrivateFile } from '../credentials/secure-files.js';
import { KeyStoreError, parseRecord, type StoredKey } from './record.js';
import type { KeyStore } from './store.js';
import { KEY_FILE } from './key-index.js';


interface Header {
  format: 'awsguard-keys';
  version: 1;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
}

interface Sealed extends Header {
  iv: string;
  tag: string;
  data: string;
}

/** scrypt with N = 2^15, r = 8: about 32 MiB and a tenth of a second per opening, as OWASP suggests as a floor. */
const KDF = { N: 1 << 15, r: 8, p: 1 };

export type FileStore = KeyStore & { readonly backend: 'file'; readonly path: string };

export interface FileStoreOptions {
  dataDir: string;
  /** The passphrase; `creating` is true when the file does not exist yet (ask twice). */
  passphrase: (creating: boolean) => Promise<string>;
}

export async function openFileStore(opts: FileStoreOptions): Promise<FileStore> {
  const path = join(opts.dataDir, KEY_FILE);
  ensurePrivateDir(opts.dataDir);
  const text = readPrivateFile(path);
  const passphrase = await opts.passphrase(text === undefined);
  if (passphrase === '') throw new KeyStoreError('the key file needs a passphrase; an empty one would protect nothing');
  let header: Header;
  let entries: Record<string, StoredKey>;
  let key: Buffer;
  if (text === undefined) {
    header = { format: 'awsguard-keys', version: 1, kdf: { name: 'scrypt', ...KDF, salt: randomBytes(16).toString('base64') }, cipher: 'aes-256-gcm' };
    key = derive(passphrase, header);
    entries = Object.create(null) as Record<string, StoredKey>;
  } else {
    const sealed = parseSealed(text, path);
    header = { format: sealed.format, version: sealed.version, kdf: sealed.kdf, cipher: sealed.cipher };
    key = derive(passphrase, header);
    entries = open(sealed, header, key, path);
  }
  const save = () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(JSON.stringify(header)));
    const data = Buffer.concat([cipher.update(JSON.stringify({ entries }), 'utf8'), cipher.final()]);
    const out: Sealed = { ...header, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    writePrivateFile(path, JSON.stringify(out) + '\n');
  };
  return {
    backend: 'file',
    description: `the encrypted file ${displayPath(path)}`,
    path,
    get: (name) => (Object.hasOwn(entries, name) ? parseRecord(JSON.stringify(entries[name]), JSON.stringify(name)) : undefined),
    set(name, record) {
      entries[name] = record;
      save();
    },
    remove(name) {
      if (!Object.hasOwn(entries, name)) return false;
      delete entries[name];
      save();
      return true;
    },
    names: () => Object.keys(entries),
  };
}

function derive(passphrase: string, header: Header): Buffer {
  const { N, r, p, salt } = header.kdf;
  // scrypt needs 128 * N * r bytes; Node's default ceiling (32 MiB) is exactly that, so give it room.
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(salt, 'base64'), 32, { N, r, p, maxmem: 256 * N * r });
}

function parseSealed(text: string, path: string): Sealed {
  const bad = (why: string) => new KeyStoreError(`${displayPath(path)} is not an awsguard key file (${why}); move it away to start a new one`);
  let s: Sealed;
  try {
    s = JSON.parse(text) as Sealed;
  } catch {
    throw bad('not JSON');
  }
  if (s?.format !== 'awsguard-keys' || s.version !== 1 || s.cipher !== 'aes-256-gcm' || s.kdf?.name !== 'scrypt') throw bad('unknown format');
  const { N, r, p } = s.kdf;
  // Parameters from the file decide how much memory and time opening it takes: keep them sane.
  if (![N, r, p].every(Number.isSafeInteger) || N < 1 << 14 || N > 1 << 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) throw bad('scrypt parameters out of range');
  return s;
}

function open(sealed: Sealed, header: Header, key: Buffer, path: string): Record<string, StoredKey> {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(JSON.stringify(header)));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    const entries = (JSON.parse(plain) as { entries: Record<string, StoredKey> }).entries;
    return Object.assign(Object.create(null) as Record<string, StoredKey>, entries);
  } catch {
    throw new KeyStoreError(`cannot open ${displayPath(path)}: wrong passphrase, or the file was altered`);
  }
}
