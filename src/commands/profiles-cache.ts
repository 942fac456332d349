/**
 * The answers of `profiles --names` and `--json`, kept until a file they come from changes.
 * Shell completion asks for the names at every Tab, and with thousands of profiles building
 * them costs a tenth of a second or more each time; a kept answer costs a stat of each file.
 *
 * An answer is tied to the exact files (the config, the credentials file, the synced SSO
 * profiles): their device, inode, size and change times, taken before reading, and saved only
 * if they are still the same after, so an edit during the run is not kept. It is also tied to
 * the build of awsguard, so a new version never serves an old answer. Secrets are never in an
 * answer (--json shows them as <redacted>); the files are private all the same, like every
 * awsguard cache, and one that others can read is ignored and replaced.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { configPaths } from '../config/aws-file-paths.js';
import { syncedProfilesFile } from '../config/load.js';
import { sha256Hex } from '../credentials/sha256.js';
import { ensurePrivateDir, readPrivateBytes, writePrivateFile } from '../credentials/secure-files.js';
import { xdgPaths } from '../xdg-dirs.js';
import { version } from '../help.js';

declare const AWSGUARD_BUILD: string;
const build = typeof AWSGUARD_BUILD === 'string' ? AWSGUARD_BUILD : 'dev';

export interface KeptAnswer {
  /** The kept answer, when every file is as it was when it was kept: bytes, passed on as they are. */
  read(): Buffer | undefined;
  /** Keeps `text` if the files did not change since this was made; never fails the command. */
  save(text: string | readonly Uint8Array[]): void;
}

export function keptAnswer(env: NodeJS.ProcessEnv, variant: string): KeptAnswer {
  const paths = configPaths(env);
  const files = [paths.config, paths.credentials, syncedProfilesFile(env)];
  const dir = join(xdgPaths(env).cacheDir, 'profiles');
  const file = join(dir, `${sha256Hex(JSON.stringify([version, build, variant, files])).slice(0, 32)}.txt`);
  const before = fingerprint(files);
  return {
    read() {
      let bytes: Buffer | undefined;
      try {
        bytes = readPrivateBytes(file);
      } catch {
        return undefined; // not private, or unreadable: rebuilt and replaced below
      }
      if (bytes === undefined) return undefined;
      const end = bytes.indexOf(0x0a);
      return end !== -1 && bytes.toString('latin1', 0, end) === before ? bytes.subarray(end + 1) : undefined;
    },
    save(text) {
      if (fingerprint(files) !== before) return;
      try {
        ensurePrivateDir(xdgPaths(env).cacheDir);
        ensurePrivateDir(dir);
        writePrivateFile(file, typeof text === 'string' ? `${before}\n${text}` : Buffer.concat([Buffer.from(`${before}\n`, 'latin1'), ...text]));
      } catch {
        // A cache that cannot be written (read-only home, a foreign directory) only costs time.
      }
    },
  };
}

/** What identifies each file's content without reading it; nanosecond times, so quick edits count. */
function fingerprint(files: readonly string[]): string {
  const parts = files.map((path) => {
    try {
      const st = statSync(path, { bigint: true });
      return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code ?? 'error';
    }
  });
  return sha256Hex(parts.join('|'));
}
