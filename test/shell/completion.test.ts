/**
 * What Tab offers, without a terminal: bash by calling the completion function with
 * COMP_WORDS set (under strict options), fish by `complete -C`. (zsh: see tmux.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, evalInit, shellTool, type Lab } from './harness.js';

let lab: Lab;
beforeAll(() => {
  lab = createLab();
});
afterAll(() => lab.close());

const bash = shellTool('bash');
describe.skipIf(bash.skip)(bash.label('bash completion'), () => {
  /** COMPREPLY (unique, as readline shows it) for `words`, the cursor in the last word, and the status. */
  function complete(words: string[]): string {
    const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    const r = lab.run(
      'bash',
      [
        evalInit('bash', lab.initFile('bash')),
        `COMP_WORDS=(${words.map(q).join(' ')}); COMP_CWORD=${words.length - 1}`,
        'rc=0; _awsguard_complete || rc=$?',
        'printf "%s\\n" "${COMPREPLY[@]}" | sort -u; echo "rc=$rc"',
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
    return r.stdout;
  }

  it('commands, with off (the function) and help (the CLI)', () => {
    expect(complete(['awsguard', 'pro'])).toBe('profiles\nrc=0\n');
    expect(complete(['awsguard', 'o'])).toBe('off\nrc=0\n');
    expect(complete(['awsguard', 'help', 'ex'])).toBe('exec\nexport\nrc=0\n');
  });

  it('flags of the command, profile names after -p/--profile and for use', () => {
    expect(complete(['awsguard', 'exec', '--pol'])).toBe('--policy\n--policy-arn\nrc=0\n');
    expect(complete(['awsguard', 'exec', '-p', 'p'])).toBe('prod-admin\nrc=0\n');
    expect(complete(['awsguard', 'whoami', '--profile', '=', 'a'])).toBe('acme-dev\nrc=0\n');
    expect(complete(['awsguard', 'use', 'c'])).toBe('ci\nrc=0\n');
    expect(complete(['awsguard', 'init', 'f'])).toBe('fish\nrc=0\n');
  });

  it('values only you know get nothing; files and the child command are left to bash', () => {
    expect(complete(['awsguard', 'exec', '--duration', ''])).toBe('\nrc=0\n');
    expect(complete(['awsguard', 'exec', '--policy', 'po'])).toBe('\nrc=1\n');
    expect(complete(['awsguard', 'exec', '-p', 'ci', 'aws', 's3'])).toBe('\nrc=1\n');
    expect(complete(['awsguard', 'exec', '-p', 'ci', '--', 'shellchec'])).toBe('shellcheck\nrc=0\n');
    expect(complete(['awsguard', 'exec', '--read-only', 'shellchec'])).toBe('shellcheck\nrc=0\n');
  });

  it('subcommands first, then profile names where the subcommand takes them', () => {
    expect(complete(['awsguard', 'keys', 'r'])).toBe('remove\nrotate\nrc=0\n');
    expect(complete(['awsguard', 'keys', '--json', 'l'])).toBe('list\nrc=0\n');
    expect(complete(['awsguard', 'sso', ''])).toBe('accounts\nsync\nrc=0\n');
    expect(complete(['awsguard', 'keys', 'rotate', 'p'])).toBe('prod-admin\nrc=0\n');
    expect(complete(['awsguard', 'keys', '--mfa-code', '123456', 'rotate', 'a'])).toBe('acme-dev\nrc=0\n');
    // One name for rotate, any number for import, none for list.
    expect(complete(['awsguard', 'keys', 'rotate', 'ci', 'a'])).toBe('\nrc=0\n');
    expect(complete(['awsguard', 'keys', 'import', 'ci', 'a'])).toBe('acme-dev\nrc=0\n');
    expect(complete(['awsguard', 'keys', 'list', 'a'])).toBe('\nrc=0\n');
  });
});

const fish = shellTool('fish');
describe.skipIf(fish.skip)(fish.label('fish completion'), () => {
  function complete(line: string): string[] {
    const r = lab.run('fish', `${evalInit('fish', lab.initFile('fish'))}\ncomplete -C ${JSON.stringify(line)}`);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
  }

  it('commands with their summaries, flags per command, profiles for -p and use', () => {
    expect(complete('awsguard pro')).toEqual(['profiles']);
    expect(complete('awsguard exec --pol').sort()).toEqual(['--policy', '--policy-arn']);
    expect(complete('awsguard exec -p ').sort()).toEqual(['acme-dev', 'ci', 'prod-admin']);
    expect(complete('awsguard use pro')).toEqual(['prod-admin']);
    expect(complete('awsguard init ').sort()).toEqual(['bash', 'fish', 'zsh']);
  });

  it('subcommands first, with their summaries, then profile names where the subcommand takes them', () => {
    expect(complete('awsguard keys r').sort()).toEqual(['remove', 'rotate']);
    expect(complete('awsguard sso ').sort()).toEqual(['accounts', 'sync']);
    expect(complete('awsguard keys rotate pro')).toEqual(['prod-admin']);
    expect(complete('awsguard keys list ')).toEqual([]);
  });

  it('sourced again (say after an upgrade), nothing is offered twice and nothing stale is left', () => {
    const file = lab.initFile('fish');
    const stale = "complete -c awsguard -n __fish_use_subcommand -a proto -d 'gone in this version'";
    const r = lab.run('fish', `source ${file}; ${stale}; source ${file}; complete -C 'awsguard pro'`);
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0])).toEqual(['profiles']);
  });
});
