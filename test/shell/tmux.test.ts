/**
 * A person at a terminal: each shell runs interactively in tmux with the init eval'ed; we
 * type `awsguard use prod-admin`, type the alias at the (fake) confirmation, and read the
 * prompt off the screen; then `awsguard off`, and Tab completion of commands and profiles.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELLS, type Shell } from '../../src/shell/shells.js';
import { requireTool } from '../support/require-tool.js';
import { SHELL_ARGS, SHELL_PATHS, createLab, shellTool, type Lab } from './harness.js';

const tmuxTool = requireTool('/usr/bin/tmux');

let lab: Lab;
beforeAll(() => {
  lab = createLab();
});
afterAll(() => lab.close());

class Pane {
  private readonly socket: string;
  constructor(name: string) {
    this.socket = `awsguard-test-${process.pid}-${name}`;
  }
  tmux(...args: string[]): string {
    const env = { ...process.env };
    delete env.TMUX;
    const r = spawnSync('/usr/bin/tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env, timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
    return r.stdout;
  }
  start(argv: string[], env: Record<string, string>): void {
    const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    const command = ['env', '-i', ...Object.entries(env).map(([k, v]) => q(`${k}=${v}`)), ...argv.map(q)].join(' ');
    this.tmux('new-session', '-d', '-x', '120', '-y', '30', '-s', 't', command);
  }
  type(text: string, ...keys: string[]): void {
    if (text) this.tmux('send-keys', '-t', 't', '-l', text);
    if (keys.length) this.tmux('send-keys', '-t', 't', ...keys);
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 't');
  }
  /** The screen once `test` holds for it (fails with the screen after 10 s). */
  async waitFor(test: (screen: string) => boolean, what: string): Promise<string> {
    const until = Date.now() + 10_000;
    let screen = '';
    while (Date.now() < until) {
      screen = this.screen();
      if (test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`waited 10 s for ${what}; the screen:\n${screen}`);
  }
  close(): void {
    spawnSync('/usr/bin/tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}

/** The current line: the last one on screen with anything on it. */
const lastLine = (screen: string) => screen.trimEnd().split('\n').at(-1) ?? '';

/** What each shell needs typed before the init, and how to eval it. */
const setup: Record<Shell, (file: string) => string> = {
  bash: (file) => `PS1='$ '; eval "$(cat '${file}')"`,
  // compinit before the init, as the README says; -D: no dump file.
  zsh: (file) => `PROMPT='%# '; autoload -Uz compinit && compinit -u -D; eval "$(cat '${file}')"`,
  fish: (file) => `function fish_prompt; printf '> '; end; cat '${file}' | source`,
};

describe.skipIf(tmuxTool.skip)(tmuxTool.label('interactive shells in tmux'), () => {
  beforeAll(() => tmuxTool.assert());

  describe.each(SHELLS)('%s', (shell) => {
    const tool = shellTool(shell);
    let pane: Pane;
    beforeAll(async () => {
      if (tool.skip) return;
      pane = new Pane(shell);
      pane.start([SHELL_PATHS[shell], ...SHELL_ARGS[shell]], { ...lab.env, SHELL: SHELL_PATHS[shell] });
      await pane.waitFor((s) => s.trim() !== '', 'the first prompt');
      pane.type(setup[shell](lab.initFile(shell)), 'Enter');
      pane.type('clear', 'Enter');
      await pane.waitFor((s) => s.trim().split('\n').length === 1 && !s.includes('clear'), 'a clear screen');
    });
    afterAll(() => pane?.close());

    it.skipIf(tool.skip)(tool.label('awsguard use: the alias typed at the confirmation, then the prompt shows the session'), async () => {
      tool.assert();
      pane.type('awsguard use prod-admin', 'Enter');
      await pane.waitFor((s) => s.includes('Type acme-prod to continue:'), 'the confirmation');
      pane.type('acme-prod', 'Enter');
      const screen = await pane.waitFor((s) => lastLine(s).includes('!aws:prod-admin@acme-prod 60m'), 'the prompt with the session');
      expect(screen).not.toMatch(/error|not found|decoy/i);
    });

    it.skipIf(tool.skip)(tool.label('awsguard off: the prompt is back to what it was'), async () => {
      pane.type('awsguard off', 'Enter');
      await pane.waitFor((s) => s.includes('awsguard off') && !lastLine(s).includes('aws:') && /[$%#>] ?$/.test(lastLine(s)), 'the prompt without the session');
    });

    it.skipIf(tool.skip)(tool.label('Tab completes commands, subcommands and profile names'), async () => {
      pane.type('awsguard pro', 'Tab');
      await pane.waitFor((s) => lastLine(s).includes('awsguard profiles'), 'awsguard profiles');
      pane.type('', 'C-u');
      pane.type('awsguard use prod', 'Tab');
      await pane.waitFor((s) => lastLine(s).includes('awsguard use prod-admin'), 'awsguard use prod-admin');
      pane.type('', 'C-u');
      pane.type('awsguard keys rot', 'Tab');
      // Each shell puts a space after a word it completed (lastLine trims it).
      await pane.waitFor((s) => lastLine(s).endsWith('awsguard keys rotate'), 'awsguard keys rotate');
      pane.type('prod', 'Tab');
      await pane.waitFor((s) => lastLine(s).includes('awsguard keys rotate prod-admin'), 'awsguard keys rotate prod-admin');
      pane.type('', 'C-u');
    });
  });
});

/**
 * zsh on a plain ~/.zshrc: no compinit, or compinit only after the init. Tab works either way,
 * and compinit is started by the init only when the person never runs it (the dump file it
 * writes tells: the person's `compinit -D` writes none).
 */
describe.skipIf(tmuxTool.skip || shellTool('zsh').skip)(tmuxTool.label('zsh completion without compinit before the init'), () => {
  const cases: [string, (file: string) => string, boolean][] = [
    ['no compinit at all: the init starts it at the first prompt', (file) => `PROMPT='%# '; eval "$(cat '${file}')"`, true],
    ['compinit after the init: registered then, compinit not run a second time', (file) => `PROMPT='%# '; eval "$(cat '${file}')"; autoload -Uz compinit && compinit -u -D`, false],
  ];
  it.each(cases)('%s', async (name, typed, dumpWritten) => {
    tmuxTool.assert();
    const zdotdir = mkdtempSync(join(lab.dir, 'zdotdir-'));
    const pane = new Pane(`zsh-${dumpWritten ? 'none' : 'after'}`);
    try {
      pane.start([SHELL_PATHS.zsh, ...SHELL_ARGS.zsh], { ...lab.env, SHELL: SHELL_PATHS.zsh, ZDOTDIR: zdotdir });
      await pane.waitFor((s) => s.trim() !== '', 'the first prompt');
      pane.type(typed(lab.initFile('zsh')), 'Enter');
      pane.type('clear', 'Enter');
      await pane.waitFor((s) => s.trim().split('\n').length === 1 && !s.includes('clear'), 'a clear screen');
      pane.type('awsguard use prod', 'Tab');
      await pane.waitFor((s) => lastLine(s).includes('awsguard use prod-admin'), `${name}: awsguard use prod-admin`);
      expect(existsSync(join(zdotdir, '.zcompdump'))).toBe(dumpWritten);
    } finally {
      pane.close();
    }
  });
});
