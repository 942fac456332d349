/**
 * `awsguard init SHELL`: the script from shell/ with the binary's path filled in, minus the
 * prompt section for --no-prompt, followed by the completions.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { readAsset, scriptPath } from './assets.js';
import { renderCompletion, type CompletableCommand } from './completions.js';
import { removeSection } from './sections.js';
import { quote, type Shell } from './shells.js';

/** The line in each script that names the binary; the files say `awsguard` (found on PATH). */
const binLine: Record<Shell, (bin: string) => string> = {
  bash: (bin) => `_awsguard_bin=${quote('bash', bin)}`,
  zsh: (bin) => `typeset -g _awsguard_bin=${quote('zsh', bin)}`,
  fish: (bin) => `set -g _awsguard_bin ${quote('fish', bin)}`,
};

export interface InitOptions {
  /** What the shell function runs: an absolute path, or `awsguard` to look it up on PATH. */
  bin: string;
  /** Install the prompt segment (the default); false leaves the prompt to you. */
  prompt: boolean;
  /** The commands to complete (src/commands/specs/). */
  commands: readonly CompletableCommand[];
}

export function renderInit(shell: Shell, opts: InitOptions, template = readAsset(scriptPath(shell))): string {
  const placeholder = binLine[shell]('awsguard') + '\n';
  const at = template.indexOf(placeholder);
  if (at === -1 || template.indexOf(placeholder, at + 1) !== -1) {
    throw new Error(`${scriptPath(shell)} must contain the line ${JSON.stringify(placeholder.trim())} exactly once`);
  }
  let script = template.slice(0, at) + binLine[shell](opts.bin) + '\n' + template.slice(at + placeholder.length);
  if (!opts.prompt) script = removeSection(script, 'prompt');
  return script + '\n' + renderCompletion(shell, opts.commands);
}

/**
 * The binary the shell function should run: the very one printing the script (so another
 * awsguard earlier on PATH cannot stand in for it), as invoked — a symlink such as
 * /usr/local/bin/awsguard is kept, so upgrades behind it keep working. `awsguard` (PATH) when
 * that is not an executable file, e.g. under tsx in development.
 */
export function resolveBinary(argv1: string | undefined, cwd = process.cwd()): string {
  if (!argv1) return 'awsguard';
  const path = isAbsolute(argv1) ? argv1 : resolve(cwd, argv1);
  try {
    if (!statSync(realpathSync(path)).isFile()) return 'awsguard';
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return 'awsguard';
  }
}
