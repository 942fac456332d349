/**
 * `awsguard use` through the shell integration, for real: the built binary, the loopback
 * fake AWS, each shell with strict options and no rc files; and under tmux, the typed
 * confirmation of a protected account. Runs once `use` is in the command registry.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/specs/index.js';
import { renderInit, resolveBinary } from '../../src/shell/init-script.js';
import { SHELLS, type Shell } from '../../src/shell/shells.js';
import { BIN, runAsync } from '../support/cli.js';
import { requireTool } from '../support/require-tool.js';
import { assertNoSecrets, createWorld, type World } from '../support/world.js';
import { PRINT_ENV, RENDER, SESSION_VARS, SHELL_ARGS, SHELL_PATHS, evalInit, parseEnv, shellTool } from '../shell/harness.js';

const registryHas = (name: string) => commands.some((c) => c.name === name);
/** Only the variables a session sets: the world's own AWS_CONFIG_FILE, endpoints etc. stay out. */
const PRINT_SESSION = `env | awk '/^(${SESSION_VARS.join('|')})=/' | sort`;
const aws = requireTool('/usr/bin/aws');

let w: World;
let env: Record<string, string>;
beforeAll(async () => {
  w = await createWorld();
  // The real AWS CLI inside the shell must find the fake's service models.
  env = { ...w.env, AWS_DATA_PATH: w.fake.botocoreDataPath() };
});
afterAll(async () => w?.close());

/** The init script as `awsguard init SHELL` prints it, naming the built binary. */
function initFile(shell: Shell): string {
  const bin = resolveBinary(BIN);
  expect(bin, 'dist/awsguard.cjs is executable').toBe(BIN);
  const file = join(w.home, `init.${shell}`);
  writeFileSync(file, renderInit(shell, { bin, prompt: true, commands }));
  return file;
}

/** Async: the fake AWS answers from this process, so it must not be blocked while the shell runs. */
function run(shell: Shell, lines: string[], extra: Record<string, string> = {}) {
  return runAsync(SHELL_PATHS[shell], [...SHELL_ARGS[shell], '-c', [evalInit(shell, initFile(shell)), ...lines].join('\n')], { ...env, ...extra });
}

const rc: Record<Shell, (cmd: string) => string> = {
  bash: (cmd) => `${cmd} || echo "rc=$?"`,
  zsh: (cmd) => `${cmd} || echo "rc=$?"`,
  fish: (cmd) => `${cmd}; or echo "rc=$status"`,
};

describe.skipIf(!registryHas('use'))('use through the shell integration (against the fake AWS)', () => {
  describe.each(SHELLS)('%s', (shell) => {
    const tool = shellTool(shell);

    it.skipIf(tool.skip)(tool.label('use staging-deploy: short-lived credentials and the markers in this shell; the prompt shows them'), async () => {
      tool.assert();
      const r = await run(shell, ['awsguard use staging-deploy --mfa-code 123456', PRINT_ENV, RENDER[shell]], { NO_COLOR: '1', AWS_PROFILE: 'stale', AWS_SESSION_TOKEN: 'stale-token' });
      expect(r.status, r.stderr).toBe(0);
      const vars = parseEnv(r.stdout);
      for (const name of SESSION_VARS) expect(vars, name).toHaveProperty(name);
      expect(vars.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
      const longTerm = w.fake.seed.users.flatMap((u) => u.accessKeys.map((k) => k.accessKeyId));
      expect(longTerm).not.toContain(vars.AWS_ACCESS_KEY_ID);
      expect(vars.AWS_SESSION_TOKEN).not.toBe('stale-token');
      expect(vars.AWS_PROFILE).toBeUndefined();
      expect(vars).toMatchObject({ AWSGUARD_PROFILE: 'staging-deploy', AWSGUARD_ACCOUNT_ID: '222222222222', AWSGUARD_ACCOUNT_ALIAS: 'acme-staging', AWSGUARD_PROTECTED: '0' });
      expect(r.stdout).toMatch(/aws:staging-deploy@acme-staging \d+m/);
      assertNoSecrets(r.stdout + r.stderr, w.fake.seed.users.flatMap((u) => u.accessKeys.map((k) => k.secretAccessKey)));
    });

    it.skipIf(tool.skip || aws.skip)(aws.label(tool.label('the real AWS CLI in that shell acts as the session')), async () => {
      aws.assert();
      const r = await run(shell, ['awsguard use ci', '/usr/bin/aws sts get-caller-identity --query Account --output text']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n').at(-1)).toBe('111111111111');
    });

    it.skipIf(tool.skip)(tool.label('use prod-admin: refused without confirmation (nothing set), then red and marked once confirmed'), async () => {
      const r = await run(shell, [rc[shell]('awsguard use prod-admin --mfa-code 123456'), PRINT_SESSION, 'awsguard use prod-admin --mfa-code 123456 --confirm acme-prod', RENDER[shell]], { NO_COLOR: '' });
      expect(r.status, r.stderr).toBe(0);
      const cut = r.stdout.search(/[\x01\x1b]|!aws/);
      const refused = r.stdout.slice(0, cut);
      const after = r.stdout.slice(cut).replace(/\x1b\[[0-9;]*m|[\x01\x02]/g, '');
      expect(refused).toMatch(/^rc=[1-9]\d*\n$/); // and no session variable was printed
      expect(after).toMatch(/!aws:prod-admin@acme-prod \d+m/);
      expect(r.stdout).toContain('\x1b[');
    });

    it.skipIf(tool.skip)(tool.label('use and off return 0 when they worked (`awsguard use ci && echo ok`), the refusal\'s code when not'), async () => {
      // fish's `set -e` of a variable that is not set leaves status 4 behind, and its `set` keeps it.
      const r = await run(shell, [
        'awsguard use ci && echo use-ok',
        'awsguard off && echo off-ok',
        'awsguard off && echo off-again-ok',
        rc[shell]('awsguard use prod-admin --mfa-code 123456'),
      ]);
      expect(r.stdout).toMatch(/^use-ok\noff-ok\noff-again-ok\nrc=[1-9]\d*\n$/);
    });

    it.skipIf(tool.skip)(tool.label('the identity line and the prompt count the same minutes for the same session'), async () => {
      const r = await run(shell, ['awsguard use ci', RENDER[shell]], { NO_COLOR: '1' });
      expect(r.status, r.stderr).toBe(0);
      const [, hours, minutes] = / (?:(\d+)h)?(\d+)m left/.exec(r.stderr) ?? [];
      const line = Number(hours ?? 0) * 60 + Number(minutes);
      const prompt = Number(/aws:ci@acme-dev (\d+)m/.exec(r.stdout)?.[1]);
      expect(line).toBeGreaterThan(0);
      // Once 60m against 59m left; the prompt is drawn a moment later, so a second may tick in between.
      expect([line, line - 1]).toContain(prompt);
    });

    it.skipIf(tool.skip)(tool.label('use acme-dev (SSO), then off: nothing of the session is left'), async () => {
      w.ssoLogin();
      const r = await run(shell, ['awsguard use acme-dev', 'awsguard off', PRINT_SESSION, RENDER[shell]]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
    });
  });
});

const tmux = requireTool('/usr/bin/tmux');

describe.skipIf(!registryHas('use') || tmux.skip || shellTool('bash').skip)(tmux.label('use in an interactive bash: the typed confirmation, then the prompt'), () => {
  it('types the alias at the real confirmation and sees the prompt change', async () => {
    tmux.assert();
    const socket = `awsguard-e2e-${process.pid}`;
    const t = (...args: string[]) => spawnSync('/usr/bin/tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    const screen = () => t('capture-pane', '-p', '-t', 'e2e').stdout;
    const waitFor = async (test: (s: string) => boolean, what: string) => {
      for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) if (test(screen())) return;
      throw new Error(`waited for ${what}:\n${screen()}`);
    };
    // No history file: bash writes it as it exits, after kill-server returns, into the home the world removes.
    const envArgs = Object.entries({ ...env, TERM: 'xterm-256color', HISTFILE: '/dev/null' }).map(([k, v]) => q(`${k}=${v}`));
    t('new-session', '-d', '-x', '150', '-y', '30', '-s', 'e2e', ['env', '-i', ...envArgs, SHELL_PATHS.bash, '--norc', '--noprofile'].join(' '));
    try {
      await waitFor((s) => s.trim() !== '', 'bash');
      t('send-keys', '-t', 'e2e', '-l', `PS1='$ '; eval "$(cat ${q(initFile('bash'))})"; clear`);
      t('send-keys', '-t', 'e2e', 'Enter');
      await waitFor((s) => s.trim() === '$', 'a clear screen');
      t('send-keys', '-t', 'e2e', '-l', 'awsguard use prod-admin --mfa-code 123456');
      t('send-keys', '-t', 'e2e', 'Enter');
      await waitFor((s) => /acme-prod/.test(s) && /type|confirm/i.test(s), 'the confirmation');
      t('send-keys', '-t', 'e2e', '-l', 'acme-prod');
      t('send-keys', '-t', 'e2e', 'Enter');
      await waitFor((s) => /!aws:prod-admin@acme-prod \d+m \$ ?$/.test(s.trimEnd().split('\n').at(-1) ?? ''), 'the prompt with the session');
    } finally {
      t('kill-server');
    }
  });
});
