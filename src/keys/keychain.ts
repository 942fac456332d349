/**
 * The OS keychain through @napi-rs/keyring (keyring-rs): the macOS Keychain, the Windows
 * Credential Manager, and on Linux the Secret Service over D-Bus (gnome-keyring, KWallet,
 * KeePassXC). On Linux the entry is pinned to the Secret Service: keyring-rs can also use the
 * kernel keyring, which forgets everything at reboot, and a key that silently vanishes there
 * would be a key lost. The native library is loaded here only, when the store is opened.
 */
import { builtin } from '../builtin.js';
import { KeyStoreError, parseRecord, serializeRecord } from './record.js';
import type { KeyStore } from './store.js';

/** The service every entry is filed under (`secret-tool search service awsguard`). */
export const KEYCHAIN_SERVICE = 'awsguard';

type Keyring = typeof import('@napi-rs/keyring');

export type KeychainStore = KeyStore & { readonly backend: 'keychain' };

function loadKeyring(): Keyring {
  try {
    return builtin<typeof import('node:module')>('node:module').createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
  } catch (err) {
    throw new KeyStoreError(`the keychain library (@napi-rs/keyring) cannot be loaded on this system: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** One line of the library's error, without its cause chain (which may repeat a D-Bus address). */
function why(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!;
}

/**
 * Opens the keychain and checks that it answers (a search costs one D-Bus round trip): on a
 * server or in a container there is often no Secret Service, and `auto` must learn that now,
 * not when a key is half written. Returns the reason when it is not usable.
 */
export function openKeychain(platform: NodeJS.Platform = process.platform): KeychainStore | { unavailable: string } {
  let keyring: Keyring;
  try {
    keyring = loadKeyring();
  } catch (err) {
    return { unavailable: why(err) };
  }
  const options = platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
  const description = platform === 'linux' ? 'the Secret Service (D-Bus)' : platform === 'darwin' ? 'the macOS Keychain' : platform === 'win32' ? 'the Windows Credential Manager' : 'the OS keychain';
  if (platform === 'linux') {
    try {
      keyring.findCredentials(KEYCHAIN_SERVICE);
    } catch (err) {
      return { unavailable: `no Secret Service answers on D-Bus (${why(err)})` };
    }
  }
  const entry = (name: string) => new keyring.Entry(KEYCHAIN_SERVICE, name, options);
  const fail = (what: string, name: string, err: unknown): never => {
    throw new KeyStoreError(`${description}: cannot ${what} the key of ${JSON.stringify(name)}: ${why(err)}`);
  };
  return {
    backend: 'keychain',
    description,
    get(name) {
      let text: string | null;
      try {
        text = entry(name).getPassword();
      } catch (err) {
        return fail('read', name, err);
      }
      return text === null ? undefined : parseRecord(text, JSON.stringify(name));
    },
    set(name, record) {
      try {
        entry(name).setPassword(serializeRecord(record));
      } catch (err) {
        fail('store', name, err);
      }
    },
    remove(name) {
      try {
        return entry(name).deletePassword();
      } catch (err) {
        return fail('remove', name, err);
      }
    },
    names() {
      try {
        return keyring.findCredentials(KEYCHAIN_SERVICE).map((c) => c.account);
      } catch (err) {
        throw new KeyStoreError(`${description}: cannot list awsguard's keys: ${why(err)}`);
      }
    },
  };
}
