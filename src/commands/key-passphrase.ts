/** The key file's passphrase, asked on the terminal without echo (twice when the file is new). */
import { displayPath } from '../errors.js';
import { join } from 'node:path';
import { KeyStoreError } from '../keys/record.js';
import { KEY_FILE } from '../keys/key-index.js';
import type { KeyStoreAccess } from '../credentials/sources/stored-keys.js';
import type { GuardSettings } from '../guard/settings.js';
import { xdgPaths } from '../xdg-dirs.js';
import { askOnTerminal } from '../tty/ask.js';
import { hasTerminal } from '../tty/device.js';

export function passphrasePrompt(file: string): (creating: boolean) => Promise<string> {
  const shown = displayPath(file);
  return async (creating) => {
    if (!creating) return askOnTerminal(`Passphrase for ${shown}: `, { echo: false });
    const first = await askOnTerminal(`New passphrase for ${shown} (it encrypts your AWS keys): `, { echo: false });
    const again = await askOnTerminal('The same passphrase again: ', { echo: false });
    if (first !== again) throw new KeyStoreError('the two passphrases differ; nothing was stored');
    return first;
  };
}

/** How a command reaches the store: the settings' backend, the data directory, the terminal if any. */
export function keyStoreAccess(env: NodeJS.ProcessEnv, defaults: GuardSettings['defaults']): KeyStoreAccess {
  const dataDir = xdgPaths(env).dataDir;
  return {
    setting: defaults.keysBackend ?? 'auto',
    dataDir,
    ...(hasTerminal() ? { askPassphrase: passphrasePrompt(join(dataDir, KEY_FILE)) } : {}),
  };
}
