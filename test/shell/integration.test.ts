/**
 * The init scripts in real shells (bash --norc --noprofile, zsh -f, fish --no-config) with
 * strict options: `awsguard use` against a fake binary, the prompt segment, off, sourcing twice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELLS, type Shell } from '../../src/shell/shells.js';
import { PRINT_ENV, RENDER, SESSION_VARS, createLab, evalInit, parseEnv, shellTool, visible, type Lab } from './harness.js';

/** What differs between the shells in these tests. */
const dialect: Record<Shell, { set: (name: string, value: string) => string; rc: (cmd: string) => string; userPrompt: string }> = {
  bash: { set: (n, v) => `${n}=${v}`, rc: (cmd) => `${cmd} || echo "rc=$?"`, userPrompt: `PS1='user$ '` },
  zsh: { set: (n, v) => `${n}=${v}`, rc: (cmd) => `${cmd} || echo "rc=$?"`, userPrompt: `RPROMPT='[mine]'` },
  fish: { set: (n, v) => `set -g ${n} ${v}`, rc: (cmd) => `${cmd}; or echo "rc=$status"`, userPrompt: `function fish_right_prompt; printf '[mine]'; end` },
};

/** The segment's colour as each shell writes it: bash wraps it for readline, zsh via %F, fish via set_color. */
const colour = (shell: Shell, code: 'cyan' | 'red' | 'yellow') => {
  const n = { cyan: '36', red: '31', yellow: '33' }[code];
  if (shell === 'bash') return `\\001\\e[${code === 'red' ? '1;31' : n}m\\002`;
  return `\\e[${n}m`;
};

let lab: Lab;
beforeAll(() => {
  lab = createLab();
});
afterAll(() => lab.close());

describe.each(SHELLS)('%s', (shell) => {
  const tool = shellTool(shell);
  const d = dialect[shell];
  const init = () => evalInit(shell, lab.initFile(shell));
  const run = (lines: string[], env: Record<string, string> = {}, stderr = '') => {
    const r = lab.run(shell, lines.join('\n'), env);
    expect(r.stderr).toBe(stderr);
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const lastCall = () => readFileSync(lab.log, 'utf8').trim().split('\n').at(-1);

  describe.skipIf(tool.skip)(tool.label(`${shell} integration`), () => {
    beforeAll(() => tool.assert());

    it('use: evals the session into this shell, exported, from the binary init named', () => {
      const env = parseEnv(run([init(), 'awsguard use ci', PRINT_ENV]));
      for (const name of SESSION_VARS) expect(env, name).toHaveProperty(name);
      expect(env.AWS_ACCESS_KEY_ID).toBe('ASIAFAKE111111111111');
      expect(env.AWS_SESSION_TOKEN).toBe('token with spaces, $HOME and a backquote ` stays literal');
      expect(env.AWSGUARD_PROFILE).toBe('ci');
      expect(env.AWSGUARD_ACCOUNT_ALIAS).toBe('acme-dev');
      // Not the decoy awsguard first on PATH: that one would have exited 99 with a message.
      expect(lastCall()).toBe(`${lab.bin} use --shell ${shell} ci`);
    });

    it('use: a failure evals nothing, keeps the session, and passes the exit status on', () => {
      const out = run([init(), 'awsguard use ci', d.rc('awsguard use broken'), PRINT_ENV], {}, 'awsguard: refused\n');
      expect(out).toContain('rc=5');
      const env = parseEnv(out);
      expect(env.PWNED).toBeUndefined();
      expect(env.AWSGUARD_PROFILE).toBe('ci');
    });

    it('off and use --off: remove every session variable', () => {
      for (const off of ['awsguard off', 'awsguard use --off']) {
        const out = run([init(), 'awsguard use ci', off, PRINT_ENV]);
        expect(out).toBe('');
        expect(lastCall()).toBe(`${lab.bin} use --shell ${shell} --off`);
      }
    });

    it('other commands, and help, go straight to the binary with their exit status', () => {
      const out = run([init(), 'awsguard profiles --names', 'awsguard whoami -p "a b"', d.rc('awsguard fail'), 'awsguard use --help', PRINT_ENV], {}, 'failing on purpose\n');
      expect(out).toBe('acme-dev\nci\nprod-admin\npassthrough: whoami -p a b\nrc=3\nexport PWNED=help\n');
    });

    it('prompt: profile, alias and minutes left, in colour', () => {
      const out = visible(run([d.userPrompt, init(), 'awsguard use ci', RENDER[shell]]));
      expect(out).toContain(`${colour(shell, 'cyan')}aws:ci@acme-dev 60m`);
      expect(out).toMatch(shell === 'bash' ? /60m.*user\$ $/ : /60m.* \[mine\]$/);
    });

    it('prompt: plain text with NO_COLOR', () => {
      const out = run([d.userPrompt, init(), 'awsguard use ci', RENDER[shell]], { NO_COLOR: '1' });
      expect(out).toBe(shell === 'bash' ? 'aws:ci@acme-dev 60m user$ ' : 'aws:ci@acme-dev 60m [mine]');
    });

    it('prompt: a protected account is red and marked with ! (visible without colour too)', () => {
      const lines = [init(), 'awsguard use prod-admin --confirm acme-prod', RENDER[shell]];
      expect(visible(run(lines))).toContain(`${colour(shell, 'red')}!aws:prod-admin@acme-prod 60m`);
      expect(run(lines, { NO_COLOR: '1' })).toContain('!aws:prod-admin@acme-prod 60m');
    });

    it('prompt: minutes round down, as the identity line does: 119 s is 1m, 30 s is <1m', () => {
      const at = (left: number) => {
        const expires = String(Math.floor(Date.now() / 1000) + left);
        return run([init(), 'awsguard use ci', d.set('AWSGUARD_EXPIRES', expires), RENDER[shell]], { NO_COLOR: '1' }).trim();
      };
      expect(at(119)).toMatch(/^aws:ci@acme-dev 1m(?: user\$)?/);
      expect(at(30)).toMatch(/^aws:ci@acme-dev <1m/);
    });

    it('prompt: expired once past AWSGUARD_EXPIRES; no time for a value that is not a number', () => {
      const expired = visible(run([init(), 'awsguard use ci', d.set('AWSGUARD_EXPIRES', '1000'), RENDER[shell]]));
      expect(expired).toContain(`${colour(shell, 'yellow')}aws:ci@acme-dev expired`);
      const newline = shell === 'fish' ? '123\\n' : "$'123\\n'";
      for (const value of [`'a[$(touch pwned)]'`, '99999999999999999999', newline, "''"]) {
        const odd = run([init(), 'awsguard use ci', d.set('AWSGUARD_EXPIRES', value), RENDER[shell]], { NO_COLOR: '1' });
        expect(odd.trim(), value).toBe('aws:ci@acme-dev');
      }
      expect(existsSync(join(lab.dir, 'pwned'))).toBe(false);
    });

    it('prompt: names cannot inject prompt code or escapes', () => {
      const hostile = `'$(touch pwned)\`touch pwned\`%F{red}\\[x'`;
      const out = run([init(), d.set('AWSGUARD_PROFILE', hostile), d.set('AWSGUARD_ACCOUNT_ID', '1'), RENDER[shell]], { NO_COLOR: '1' });
      expect(out.trim()).toBe('aws:??touch?pwned??touch?pwned??F?red???x@1');
      const newline = shell === 'fish' ? 'ci\\n' : "$'ci\\n'";
      expect(run([init(), d.set('AWSGUARD_PROFILE', newline), d.set('AWSGUARD_ACCOUNT_ID', '1'), RENDER[shell]], { NO_COLOR: '1' }).trim()).toBe('aws:ci?@1');
      expect(existsSync(join(lab.dir, 'pwned'))).toBe(false);
    });

    it('prompt: nothing without a session, and your own prompt back as it was after off', () => {
      expect(run([init(), RENDER[shell]])).toBe('');
      const after = run([d.userPrompt, init(), 'awsguard use ci', RENDER[shell], 'awsguard off', RENDER[shell]], { NO_COLOR: '1' });
      const mine = shell === 'bash' ? 'user$ ' : '[mine]';
      expect(after.endsWith(`60m ${mine}${mine}`)).toBe(true);
    });

    it('sourced twice: one hook, one segment, your prompt once', () => {
      const out = run([d.userPrompt, init(), init(), 'awsguard use ci', RENDER[shell]], { NO_COLOR: '1' });
      expect(out).toBe(shell === 'bash' ? 'aws:ci@acme-dev 60m user$ ' : 'aws:ci@acme-dev 60m [mine]');
      const hooks = { bash: 'printf "%s\\n" "${PROMPT_COMMAND[@]}"', zsh: 'print -l ${precmd_functions:#_awsguard_compinit}', fish: 'functions -q _awsguard_user_fish_right_prompt; and _awsguard_user_fish_right_prompt' }[shell];
      expect(run([d.userPrompt, init(), init(), hooks])).toBe({ bash: '_awsguard_prompt_hook\n', zsh: '_awsguard_precmd\n', fish: '[mine]' }[shell]);
    });

    it('--no-prompt and AWSGUARD_NO_PROMPT=1 leave the prompt alone; the segment is there to call', () => {
      const call = { bash: 'awsguard_prompt_update; printf "%s" "$awsguard_prompt"', zsh: 'awsguard_prompt_update; print -rn -- "$awsguard_prompt"', fish: 'awsguard_prompt' }[shell];
      const untouched = { bash: 'echo "${PROMPT_COMMAND-none}"', zsh: 'echo ${${precmd_functions:#_awsguard_compinit}:-none}', fish: 'functions -q fish_right_prompt; and echo wrapped; or echo none' }[shell];
      for (const [file, env] of [
        [evalInit(shell, lab.initFile(shell, { prompt: false })), {}],
        [init(), { AWSGUARD_NO_PROMPT: '1' }],
      ] as const) {
        expect(run([file, untouched], env)).toBe('none\n');
        expect(run([file, 'awsguard use ci', call], { ...env, NO_COLOR: '1' })).toBe(shell === 'bash' ? 'aws:ci@acme-dev 60m ' : 'aws:ci@acme-dev 60m');
      }
    });

    it('AWSGUARD_TITLE=1 puts the session in the terminal title, and clears it after off', () => {
      if (shell === 'fish') {
        const out = run([init(), 'awsguard use ci', 'fish_title'], { AWSGUARD_TITLE: '1' });
        expect(out).toMatch(/^aws:ci@acme-dev 60m \S/);
        return;
      }
      const out = visible(run([init(), 'awsguard use ci', RENDER[shell], 'awsguard off', RENDER[shell]], { AWSGUARD_TITLE: '1', NO_COLOR: '1' }));
      expect(out).toMatch(/^\\e\]0;aws:ci@acme-dev 60m\\a.*\\e\]0;\\a$/);
    });
  });
});

describe.skipIf(shellTool('bash').skip)('bash: PROMPT_COMMAND', () => {
  it('an existing PROMPT_COMMAND string keeps running, with the hook after it', () => {
    const r = lab.run('bash', [`PROMPT_COMMAND='echo -n before:'`, evalInit('bash', lab.initFile('bash')), 'awsguard use ci', 'declare -p PROMPT_COMMAND', RENDER.bash].join('\n'), { NO_COLOR: '1' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`declare -a PROMPT_COMMAND=([0]="echo -n before:" [1]="_awsguard_prompt_hook")\nbefore:aws:ci@acme-dev 60m `);
  });
});
