/**
 * `awsguard init` and `awsguard completion` as the built binary prints them: the script names
 * that very binary, and a shell that evals it runs it (not another awsguard on PATH).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/specs/index.js';
import { renderCompletion } from '../../src/shell/completions.js';
import { renderInit } from '../../src/shell/init-script.js';
import { SHELLS } from '../../src/shell/shells.js';
import { BIN, runCli } from '../support/cli.js';
import { SHELL_ARGS, SHELL_PATHS, shellTool } from '../shell/harness.js';

const registryHas = (name: string) => commands.some((c) => c.name === name);
const dir = mkdtempSync(join(tmpdir(), 'awsguard-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!registryHas('init') || !registryHas('completion'))('init and completion, from the built binary', () => {
  it.each(SHELLS)('init %s: the script naming this binary, then the completions', (shell) => {
    const r = runCli(['init', shell]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(renderInit(shell, { bin: BIN, prompt: true, commands }));
    const bare = runCli(['init', shell, '--no-prompt']);
    expect(bare.stdout).toBe(renderInit(shell, { bin: BIN, prompt: false, commands }));
  });

  it.each(SHELLS)('completion %s: the completion script', (shell) => {
    const r = runCli(['completion', shell]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(renderCompletion(shell, commands));
  });

  it('usage errors name the shells', () => {
    for (const args of [['init'], ['init', 'tcsh'], ['completion', 'pwsh'], ['init', 'bash', 'zsh']]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/zsh, bash, fish|one shell at a time/);
    }
  });

  describe.each(SHELLS)('%s', (shell) => {
    const tool = shellTool(shell);
    it.skipIf(tool.skip)(tool.label('evaluated, the function runs this binary even with another awsguard first on PATH'), () => {
      tool.assert();
      const decoy = join(dir, 'bin');
      mkdirSync(decoy, { recursive: true });
      writeFileSync(join(decoy, 'awsguard'), '#!/bin/sh\necho decoy\nexit 99\n');
      chmodSync(join(decoy, 'awsguard'), 0o755);
      const init = runCli(['init', shell]).stdout;
      const file = join(dir, `init.${shell}`);
      writeFileSync(file, init);
      const source = shell === 'fish' ? `source ${file}` : `set -u; . ${file}`;
      const r = spawnSync(SHELL_PATHS[shell], [...SHELL_ARGS[shell], '-c', `${source}\nawsguard --version\nawsguard help init`], {
        // node stays on PATH for the binary's #!/usr/bin/env node; the decoy comes first.
        env: { PATH: `${decoy}:${process.env.PATH}`, HOME: dir, NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^awsguard \d+\.\d+\.\d+.*\nUsage: awsguard init zsh\|bash\|fish \[--no-prompt\]/);
    });
  });
});
