/**
 * Static checks on the scripts as shipped and as `init` prints them: shellcheck (default checks,
 * nothing at any severity) for bash, `zsh -n` and `fish --no-execute` for the others.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/specs/index.js';
import { completionPath, scriptPath } from '../../src/shell/assets.js';
import { renderCompletion } from '../../src/shell/completions.js';
import { renderInit } from '../../src/shell/init-script.js';
import { SHELLS, type Shell } from '../../src/shell/shells.js';
import { requireTool } from '../support/require-tool.js';
import { SHELL_PATHS, shellTool } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'awsguard-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files in the repository, and what init/completion print from them. */
function variants(shell: Shell): [string, string][] {
  const printed = (name: string, text: string) => {
    const file = join(dir, `${name}.${shell}`);
    writeFileSync(file, text);
    return file;
  };
  return [
    [scriptPath(shell), scriptPath(shell)],
    [completionPath(shell), completionPath(shell)],
    [`init ${shell}`, printed('init', renderInit(shell, { bin: "/opt/a b/it's/awsguard", prompt: true, commands }))],
    [`init ${shell} --no-prompt`, printed('init-no-prompt', renderInit(shell, { bin: '/usr/bin/awsguard', prompt: false, commands }))],
    [`completion ${shell}`, printed('completion', renderCompletion(shell, commands))],
  ];
}

const check: Record<Shell, (file: string) => string[]> = {
  bash: (file) => ['/usr/bin/shellcheck', '--shell=bash', '--severity=style', file],
  zsh: (file) => [SHELL_PATHS.zsh, '-n', file],
  fish: (file) => [SHELL_PATHS.fish, '--no-execute', file],
};

const shellcheck = requireTool('/usr/bin/shellcheck');

describe.each(SHELLS)('%s', (shell) => {
  const tool = shell === 'bash' ? shellcheck : shellTool(shell);
  describe.skipIf(tool.skip)(tool.label(`${shell}: ${check[shell]('FILE')[0]} finds nothing`), () => {
    it.each(variants(shell))('%s', (_name, file) => {
      tool.assert();
      const [cmd, ...args] = check[shell](file);
      const r = spawnSync(cmd!, args, { encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  });
});
