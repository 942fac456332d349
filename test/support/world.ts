/**
 * A throw-away world for a test: the loopback fake AWS, a temporary HOME with the demo AWS
 * config (or one of the test's own), XDG directories inside it, and the environment that
 * points awsguard (in-process or as a child) at all of it. Nothing of the real HOME is touched.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAws, type FakeAws } from './fake-aws/index.js';
import { allSecrets, type Seed } from './fake-aws/seed.js';
import { cliTimestamp, writeToken } from '../../src/credentials/sso-token.js';

export interface World {
  fake: FakeAws;
  home: string;
  env: Record<string, string>;
  cacheDir: string;
  now: () => number;
  /** Logs alice in to the demo SSO instance as if `aws sso login --sso-session acme` had run. */
  ssoLogin(opts?: { expiresInSeconds?: number; refresh?: boolean; session?: string | null }): void;
  /** Every secret the world knows: seeded keys and everything minted so far. */
  secrets(): string[];
  close(): Promise<void>;
}

export async function createWorld(opts: { config?: string; credentials?: string; now?: number; autoApprove?: number; seed?: Seed } = {}): Promise<World> {
  const fake = await startFakeAws({
    ...(opts.now !== undefined ? { now: opts.now } : {}),
    ...(opts.autoApprove !== undefined ? { autoApprove: opts.autoApprove } : {}),
    ...(opts.seed ? { seed: opts.seed } : {}),
  });
  const home = mkdtempSync(join(tmpdir(), 'awsguard-world-'));
  mkdirSync(join(home, '.aws'), { recursive: true });
  const config = join(home, '.aws', 'config');
  const credentials = join(home, '.aws', 'credentials');
  if (opts.config !== undefined) writeFileSync(config, opts.config);
  else copyFileSync('fixtures/demo/config', config);
  if (opts.credentials !== undefined) writeFileSync(credentials, opts.credentials);
  else copyFileSync('fixtures/demo/credentials', credentials);
  const env: Record<string, string> = {
    ...fake.env(),
    HOME: home,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    USER: 'tester',
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    NO_COLOR: '1',
  };
  return {
    fake,
    home,
    env,
    cacheDir: join(home, '.cache', 'awsguard'),
    now: () => fake.clock.now(),
    ssoLogin({ expiresInSeconds, refresh = true, session = 'acme' } = {}) {
      const t = fake.sso.issueToken('alice@acme.example', { refresh, ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}) });
      writeToken(
        join(home, '.aws', 'sso', 'cache'),
        {
          startUrl: t.startUrl,
          region: t.region,
          accessToken: t.accessToken,
          expiresAt: cliTimestamp(t.expiresAt),
          ...(t.clientId ? { clientId: t.clientId, clientSecret: t.clientSecret!, registrationExpiresAt: cliTimestamp(t.clientSecretExpiresAt!) } : {}),
          ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
        },
        session ?? undefined,
      );
    },
    secrets: () => [...allSecrets(fake.seed), ...fake.issuedSecrets()],
    async close() {
      await fake.close();
      // A shell a test ended may still be writing into the home as it exits (a history file): retry.
      rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}

/** Fails with the first secret found in `text`, without printing the secret itself. */
export function assertNoSecrets(text: string, secrets: string[]): void {
  const leaked = secrets.filter((s) => s.length >= 16 && text.includes(s));
  if (leaked.length) throw new Error(`${leaked.length} secret(s) leaked into the output (first starts ${leaked[0]!.slice(0, 6)}…)`);
}
