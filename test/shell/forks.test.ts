/**
 * The prompt segment starts no process: each shell renders its prompt 100 times under
 * `strace -f -e trace=fork,vfork,clone,clone3`, and the processes it creates are counted
 * against the same loop without the segment (so start-up and `awsguard use` cancel out).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELLS, type Shell } from '../../src/shell/shells.js';
import { requireTool } from '../support/require-tool.js';
import { SHELL_ARGS, SHELL_PATHS, createLab, evalInit, shellTool, type Lab } from './harness.js';

const strace = requireTool('/usr/bin/strace');
const N = 100;

/** A loop of N prompt renders; `body` is one render, as the shell does it before each prompt. */
const loop: Record<Shell, (body: string) => string> = {
  bash: (body) => `PS1='\\u \\w\\$ '\nfor ((i = 0; i < ${N}; i++)); do ${body}; done`,
  zsh: (body) => `RPROMPT='%~'\nrepeat ${N} { ${body} }`,
  // No `seq`: that is a process. math and test are builtins.
  fish: (body) => `set -l i 0\nwhile test $i -lt ${N}\n  set i (math $i + 1)\n  ${body}\nend`,
};

const render: Record<Shell, { segment: string; baseline: string }> = {
  bash: { segment: '_awsguard_prompt_hook; p=${PS1@P}', baseline: ': ; p=${PS1@P}' },
  zsh: { segment: '_awsguard_precmd; p=${(%)RPROMPT}', baseline: ': ; p=${(%)RPROMPT}' },
  fish: { segment: 'set -l p (fish_right_prompt)', baseline: 'set -l p (printf "")' },
};

/** A body that does fork, to show the counter sees one when there is one. */
const forking: Record<Shell, string> = { bash: 'p=$(/bin/true)', zsh: 'p=$(/bin/true)', fish: 'set -l p (/bin/true)' };

let lab: Lab;
beforeAll(() => {
  lab = createLab();
});
afterAll(() => lab.close());

/** Processes (not threads) created while running `script`. */
function processesCreated(shell: Shell, script: string): number {
  const out = join(lab.dir, `strace-${shell}.txt`);
  const r = spawnSync('/usr/bin/strace', ['-f', '-qq', '-o', out, '-e', 'trace=fork,vfork,clone,clone3', SHELL_PATHS[shell], ...SHELL_ARGS[shell], '-c', script], {
    env: lab.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => /^\d+\s+(clone3?|v?fork)\(/.test(l) && !l.includes('CLONE_THREAD')).length;
}

describe.skipIf(strace.skip)(strace.label('prompt forks under strace'), () => {
  beforeAll(() => strace.assert());

  describe.each(SHELLS)('%s', (shell) => {
    const tool = shellTool(shell);
    it.skipIf(tool.skip)(tool.label(`renders its prompt ${N} times without starting a process`), () => {
      tool.assert();
      const setup = `${evalInit(shell, lab.initFile(shell))}\nawsguard use ci\n`;
      const baseline = processesCreated(shell, setup + loop[shell](render[shell].baseline));
      const segment = processesCreated(shell, setup + loop[shell](render[shell].segment));
      const control = processesCreated(shell, setup + loop[shell](forking[shell]));
      expect(control - baseline, 'the counter sees a fork per render when there is one').toBeGreaterThanOrEqual(N);
      expect(segment - baseline, `forks from ${N} renders of the segment`).toBe(0);
    });
  });
});
