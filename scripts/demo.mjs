// `npm run demo`: awsguard on the built-in demo organisation, in a throw-away home so the
// person's ~/.aws, ~/.cache and ~/.config are never read or written.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'awsguard-demo-'));
const env = {
  PATH: process.env.PATH,
  TERM: process.env.TERM ?? 'dumb',
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_STATE_HOME: join(home, '.local/state'),
  AWS_CONFIG_FILE: join(root, 'fixtures/demo/config'),
  AWS_SHARED_CREDENTIALS_FILE: join(root, 'fixtures/demo/credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  ...(process.env.NO_COLOR !== undefined ? { NO_COLOR: process.env.NO_COLOR } : {}),
};
const bin = join(root, 'dist/awsguard.js');
let status = 0;
try {
  const say = (text) => process.stdout.write(`\n\x1b[1m# ${text}\x1b[0m\n`.replace(/\x1b\[[0-9;]*m/g, process.stdout.isTTY && !process.env.NO_COLOR ? '$&' : ''));
  say('The demo organisation "acme": every profile, how it gets credentials, and its account');
  say('$ awsguard profiles');
  const r = spawnSync(process.execPath, [bin, 'profiles'], { env, stdio: 'inherit' });
  status = r.status ?? 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}
process.exitCode = status;
