/**
 * Where long-term keys live: the OS keychain or the encrypted file, chosen by `[keys] backend`
 * (auto | keychain | file). `auto` takes the keychain when one answers and the file otherwise,
 * and says why; it never falls back to plaintext or to a store that forgets on reboot. A key
 * is read from the backend the index says it was written to, so changing the setting later
 * does not lose sight of keys already stored.
 */
import { KeyStoreError, type StoredKey } from './record.js';
import { openKeychain } from './keychain.js';
import { openFileStore } from './file-store.js';
import type { Backend } from './key-index.js';

export type BackendSetting = 'auto' | Backend;
export const BACKEND_SETTINGS: readonly BackendSetting[] = ['auto', 'keychain', 'file'];

export interface KeyStore {
  readonly backend: Backend;
  /** For messages: "the Secret Service (D-Bus)", "the encrypted file ~/.local/share/awsguard/keys.enc". */
  readonly description: string;
  get(name: string): StoredKey | undefined;
  set(name: string, record: StoredKey): void;
  remove(name: string): boolean;
  names(): string[];
}

export interface StoreOptions {
  setting: BackendSetting;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Asks for the file's passphrase on the terminal; absent where there is none to ask on. */
  askPassphrase?: (creating: boolean) => Promise<string>;
}

export interface ChosenBackend {
  backend: Backend;
  /** Why this one, for `doctor` and `keys list`. */
  reason: string;
}

/** The passphrase from AWSGUARD_FILE_PASSPHRASE (unattended use), else the terminal. */
function passphraseSource(opts: StoreOptions): (creating: boolean) => Promise<string> {
  return async (creating) => {
    const fromEnv = opts.env.AWSGUARD_FILE_PASSPHRASE;
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (!opts.askPassphrase) {
      throw new KeyStoreError(`the key file is locked with a passphrase and there is no terminal to ask it on; set AWSGUARD_FILE_PASSPHRASE for unattended use`);
    }
    return opts.askPassphrase(creating);
  };
}

/** Which backend new keys go to, and why (without opening the file). */
export function chooseBackend(opts: Pick<StoreOptions, 'setting'>, platform: NodeJS.Platform = process.platform): ChosenBackend {
  if (opts.setting === 'file') return { backend: 'file', reason: '[keys] backend = file' };
  const keychain = openKeychain(platform);
  if ('unavailable' in keychain) {
    if (opts.setting === 'keychain') throw new KeyStoreError(`[keys] backend = keychain, but the keychain cannot be used: ${keychain.unavailable}`);
    return { backend: 'file', reason: `no keychain: ${keychain.unavailable}` };
  }
  return { backend: 'keychain', reason: `${keychain.description}${opts.setting === 'keychain' ? ' ([keys] backend = keychain)' : ' answers'}` };
}

/** Opens one backend: the one asked for, or (no `backend`) the one the setting chooses. */
export async function openKeyStore(opts: StoreOptions, backend?: Backend): Promise<KeyStore> {
  const which = backend ?? chooseBackend(opts).backend;
  if (which === 'keychain') {
    const keychain = openKeychain();
    if ('unavailable' in keychain) throw new KeyStoreError(`the key is in the keychain, which cannot be used now: ${keychain.unavailable}`);
    return keychain;
  }
  return openFileStore({ dataDir: opts.dataDir, passphrase: passphraseSource(opts) });
}
