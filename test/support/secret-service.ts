/**
 * A real Secret Service for a test: a private D-Bus session bus (dbus-run-session) with
 * gnome-keyring-daemon on it, unlocked with a passphrase of the test's own. Its keyrings live
 * under the HOME given, so a scan of HOME sees them (encrypted). `close()` ends the bus, and
 * the daemon with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SecretService {
  env: Record<string, string>;
  close(): Promise<void>;
}

const SCRIPT = [
  'set -e',
  // The login keyring is made and unlocked with the passphrase read from stdin.
  "printf '%s' \"$KEYRING_PASSPHRASE\" | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
  'echo "BUS=$DBUS_SESSION_BUS_ADDRESS"',
  'exec sleep 3600',
].join('\n');

export async function startSecretService(home: string): Promise<SecretService> {
  const runtime = mkdtempSync(join(tmpdir(), 'awsguard-runtime-'));
  const base = { HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_RUNTIME_DIR: runtime, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const child: ChildProcess = spawn('dbus-run-session', ['--', 'bash', '-c', SCRIPT], {
    env: { ...base, KEYRING_PASSPHRASE: 'test-keyring-passphrase' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const bus = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no Secret Service after 15s: ${err}`)), 15_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /BUS=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`dbus-run-session exited (${code}): ${err}`)));
  });
  return {
    env: { ...base, DBUS_SESSION_BUS_ADDRESS: bus },
    async close() {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      rmSync(runtime, { recursive: true, force: true });
    },
  };
}
