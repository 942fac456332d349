/**
 * The credential source for a profile whose long-term keys are in awsguard's store. The key id
 * comes from the index, without opening the store, so that a cached session is found (and used)
 * without waking a keychain or asking for the file's passphrase; the secret is read only when a
 * new session must be made from it.
 */
import { CredentialError } from '../../errors.js';
import type { BaseSource } from '../../config/chain.js';
import { readKeyIndex } from '../../keys/key-index.js';
import type { StoreOptions } from '../../keys/store.js';
import type { Credentials } from '../types.js';

export type KeyStoreAccess = Omit<StoreOptions, 'env'>;

export type StoredKeysBase = Extract<BaseSource, { kind: 'stored' }>;

export function isStoredKeys(base: BaseSource): base is StoredKeysBase {
  return base.kind === 'stored';
}

const missing = (profile: string) =>
  new CredentialError(profile, 'read the key store', `no key is stored for profile "${profile}"; run: awsguard keys add ${profile}`, 'NoCredentials');

/** The stored key's id (not a secret), for the session cache's key; undefined when none is indexed. */
function storedKeyId(profile: string, access: KeyStoreAccess): string | undefined {
  return readKeyIndex(access.dataDir).get(profile)?.accessKeyId;
}

async function readStoredKey(profile: string, access: KeyStoreAccess, env: NodeJS.ProcessEnv): Promise<Credentials> {
  const { openKeyStore } = await import('../../keys/store.js');
  const entry = readKeyIndex(access.dataDir).get(profile);
  const store = await openKeyStore({ ...access, env }, entry?.backend);
  const record = store.get(profile);
  if (!record) throw missing(profile);
  return { accessKeyId: record.accessKeyId, secretAccessKey: record.secretAccessKey };
}

export interface StoredKeys {
  /** The key's id, known without its secret. */
  accessKeyId: string;
  /** Reads the secret from the store, at most once. */
  load: () => Promise<Credentials>;
}

/**
 * The stored key of `base`, its secret not read yet. `asked`: the profile asked for, first in
 * the error when this command has no access to the store.
 */
export async function resolveStoredKeys(asked: string, base: StoredKeysBase, access: KeyStoreAccess | undefined, env: NodeJS.ProcessEnv): Promise<StoredKeys> {
  if (!access) throw new CredentialError(asked, 'read the key store', 'this command cannot read the key store', 'NoCredentials');
  let loaded: Promise<Credentials> | undefined;
  const load = () => (loaded ??= readStoredKey(base.profile, access, env));
  // No id in the index (an index lost or written by another version): read the store for it.
  const accessKeyId = storedKeyId(base.profile, access) ?? (await load()).accessKeyId;
  return { accessKeyId, load };
}
