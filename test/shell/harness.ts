/**
 * Real shells for the shell-integration tests: bash, zsh and fish without rc files and with
 * strict options, a fake `awsguard` that answers `use` the way the real one does, and the
 * init script rendered to run exactly that fake.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../src/commands/specs/index.js';
import { INJECTED, MARKERS } from '../../src/exec/env-vars.js';
import { renderInit } from '../../src/shell/init-script.js';
import type { Shell } from '../../src/shell/shells.js';
import { requireTool, type Requirement } from '../support/require-tool.js';

export const SHELL_PATHS: Record<Shell, string> = { bash: '/usr/bin/bash', zsh: '/usr/bin/zsh', fish: '/usr/bin/fish' };
export const shellTool = (shell: Shell): Requirement => requireTool(SHELL_PATHS[shell]);

/** Every name `use` sets and `off` unsets: the shared list, not a copy of it. */
export const SESSION_VARS: readonly string[] = [...INJECTED, ...Object.values(MARKERS)];

/** No rc files; strict options where the shell has them (fish has no nounset or errexit). */
export const SHELL_ARGS: Record<Shell, string[]> = { bash: ['--norc', '--noprofile'], zsh: ['-f'], fish: ['--no-config'] };
export const STRICT: Record<Shell, string> = {
  bash: 'set -euo pipefail',
  zsh: 'setopt nounset errexit pipefail warn_create_global',
  fish: '',
};

/**
 * The fake binary. `use` prints export lines for --shell (sh or fish syntax) and exits 0;
 * `prod-admin` is protected and wants the alias, from --confirm or typed on /dev/tty;
 * `broken` prints code AND fails, to prove a failure is never eval'ed. Every call is logged.
 */
const FAKE = String.raw`#!/bin/sh
printf '%s\n' "$0 $*" >> "$FAKE_LOG"
case $1 in
  use) shift ;;
  profiles) printf '%s\n' acme-dev ci prod-admin; exit 0 ;;
  fail) echo "failing on purpose" >&2; exit 3 ;;
  *) echo "passthrough: $*"; exit 0 ;;
esac
shell= off= confirm= profile= help=
while [ $# -gt 0 ]; do
  case $1 in
    --shell) shell=$2; shift ;;
    --confirm) confirm=$2; shift ;;
    --off) off=1 ;;
    -h|--help) help=1 ;;
    -*) ;;
    *) profile=$1 ;;
  esac
  shift
done
if [ -n "$help" ]; then echo "export PWNED=help"; exit 0; fi
set_() { if [ "$shell" = fish ]; then printf "set -gx %s '%s'\n" "$1" "$2"; else printf "export %s='%s'\n" "$1" "$2"; fi; }
unset_() { if [ "$shell" = fish ]; then printf 'set -e %s\n' "$1"; else printf 'unset %s\n' "$1"; fi; }
if [ -n "$off" ]; then
  for v in $SESSION_VARS; do unset_ "$v"; done
  if [ "$shell" = fish ]; then echo true; fi # as the real one ends: fish's set keeps a failed set -e's status
  exit 0
fi
now=$(date +%s)
case $profile in
  ci) id=111111111111 alias=acme-dev prot=0 ;;
  prod-admin) id=333333333333 alias=acme-prod prot=1 ;;
  broken) echo "export PWNED=1"; echo "awsguard: refused" >&2; exit 5 ;;
  *) echo "awsguard: no profile $profile" >&2; exit 3 ;;
esac
if [ "$prot" = 1 ] && [ "$confirm" != "$alias" ]; then
  { exec 3</dev/tty; } 2>/dev/null || { echo "awsguard: $alias is protected: pass --confirm $alias" >&2; exit 6; }
  printf 'Type %s to continue: ' "$alias" > /dev/tty
  read -r typed <&3
  [ "$typed" = "$alias" ] || { echo "awsguard: not confirmed" >&2; exit 5; }
fi
set_ AWS_ACCESS_KEY_ID "ASIAFAKE$id"
set_ AWS_SECRET_ACCESS_KEY "secret-$profile"
set_ AWS_SESSION_TOKEN 'token with spaces, $HOME and a backquote <BQ> stays literal'
set_ AWS_REGION eu-west-1
set_ AWS_DEFAULT_REGION eu-west-1
set_ AWS_CREDENTIAL_EXPIRATION "@$((now + 3600))"
set_ AWSGUARD_PROFILE "$profile"
set_ AWSGUARD_ACCOUNT_ID "$id"
set_ AWSGUARD_ACCOUNT_ALIAS "$alias"
set_ AWSGUARD_ROLE "arn:aws:sts::$id:assumed-role/Admin/tester"
set_ AWSGUARD_PROTECTED "$prot"
set_ AWSGUARD_EXPIRES "$((now + 3630))" # 60m (minutes round down) for the half minute a test takes
set_ AWSGUARD_REGION eu-west-1
set_ AWSGUARD_SCOPED 0
set_ AWSGUARD_SESSION use
`.replace('<BQ>', '`');

/** A decoy earlier on PATH: the function must run the binary init named, not this one. */
const DECOY = `#!/bin/sh\necho "decoy awsguard ran: $*" >&2\nexit 99\n`;

export interface Lab {
  dir: string;
  /** The fake binary (its directory has a space and a quote in its name, to test quoting). */
  bin: string;
  log: string;
  env: Record<string, string>;
  /** The init script for `shell`, rendered to run the fake, written to a file. */
  initFile(shell: Shell, opts?: { prompt?: boolean }): string;
  run(shell: Shell, script: string, extraEnv?: Record<string, string>): ShellResult;
  close(): void;
}

export interface ShellResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function createLab(): Lab {
  const dir = mkdtempSync(join(tmpdir(), 'awsguard-shell-'));
  const binDir = join(dir, "real bin's");
  const decoyDir = join(dir, 'decoy');
  mkdirSync(binDir);
  mkdirSync(decoyDir);
  const bin = join(binDir, 'awsguard');
  writeFileSync(bin, FAKE);
  chmodSync(bin, 0o755);
  writeFileSync(join(decoyDir, 'awsguard'), DECOY);
  chmodSync(join(decoyDir, 'awsguard'), 0o755);
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const env: Record<string, string> = {
    HOME: dir,
    PATH: `${decoyDir}:/usr/bin:/bin`,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    FAKE_LOG: log,
    SESSION_VARS: SESSION_VARS.join(' '),
    XDG_CONFIG_HOME: join(dir, '.config'),
    XDG_DATA_HOME: join(dir, '.local/share'),
  };
  return {
    dir,
    bin,
    log,
    env,
    initFile(shell, { prompt = true } = {}) {
      const file = join(dir, `init-${prompt ? 'prompt' : 'noprompt'}.${shell}`);
      writeFileSync(file, renderInit(shell, { bin, prompt, commands }));
      return file;
    },
    run(shell, script, extraEnv = {}) {
      const r = spawnSync(SHELL_PATHS[shell], [...SHELL_ARGS[shell], '-c', script], {
        env: { ...env, ...extraEnv },
        encoding: 'utf8',
        timeout: 20_000,
        cwd: dir,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `eval` of the init output the way the README says, under strict options. */
export function evalInit(shell: Shell, file: string): string {
  const q = `'${file.replaceAll("'", `'\\''`)}'`;
  if (shell === 'fish') return `cat ${q} | source`;
  return `${STRICT[shell]}\neval "$(cat ${q})"`;
}

/** Shell code that renders the prompt the way the shell would before showing it. */
export const RENDER: Record<Shell, string> = {
  // PROMPT_COMMAND runs first, then PS1 is expanded: ${PS1@P} does the expansion.
  bash: 'for _c in "${PROMPT_COMMAND[@]}"; do eval "$_c"; done; printf "%s" "${PS1@P}"',
  // precmd functions run, then RPROMPT is prompt-expanded (print -P).
  zsh: 'for _c in $precmd_functions; do $_c; done; print -rnP -- "$RPROMPT"',
  fish: 'fish_right_prompt',
};

/** Prints NAME=value for each session variable, as a child process sees it (so: exported). */
export const PRINT_ENV = "env | awk '/^(AWS_|AWSGUARD_|PWNED)/' | sort";

export function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** ANSI escapes made visible, so assertions read like the terminal. */
export const visible = (s: string): string => s.replace(/\x1b/g, '\\e').replace(/\x01/g, '\\001').replace(/\x02/g, '\\002').replace(/\x07/g, '\\a');
