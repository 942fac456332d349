/** The renderers behind `init` and `completion`: pure text in, text out. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/specs/index.js';
import { completionPath, readAsset, scriptPath } from '../../src/shell/assets.js';
import { generatedCompletionData, renderCompletion, valueKind } from '../../src/shell/completions.js';
import { renderInit, resolveBinary } from '../../src/shell/init-script.js';
import { removeSection, replaceSection, sectionBody } from '../../src/shell/sections.js';
import { SHELLS, parseShell } from '../../src/shell/shells.js';

const tmp = mkdtempSync(join(tmpdir(), 'awsguard-render-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('init script', () => {
  it.each(SHELLS)('%s: fills in the binary once, quoted, and appends the completions', (shell) => {
    const bin = "/opt/it's here/awsguard";
    const out = renderInit(shell, { bin, prompt: true, commands });
    const template = readAsset(scriptPath(shell));
    const line = { bash: `_awsguard_bin='/opt/it'\\''s here/awsguard'`, zsh: `typeset -g _awsguard_bin='/opt/it'\\''s here/awsguard'`, fish: `set -g _awsguard_bin '/opt/it\\'s here/awsguard'` }[shell];
    expect(out.split('\n')).toContain(line);
    expect(out).not.toMatch(/_awsguard_bin[= ]'awsguard'/);
    expect(out.startsWith(template.slice(0, 40))).toBe(true);
    expect(out.endsWith(renderCompletion(shell, commands))).toBe(true);
  });

  it.each(SHELLS)('%s: --no-prompt leaves out the prompt section and nothing else', (shell) => {
    const withPrompt = renderInit(shell, { bin: 'awsguard', prompt: true, commands });
    const without = renderInit(shell, { bin: 'awsguard', prompt: false, commands });
    expect(withPrompt).toContain('# >>> prompt');
    expect(without).not.toContain('# >>> prompt');
    // The completion part may hook the first prompt (zsh registers there when compinit came late).
    expect(without.slice(0, -renderCompletion(shell, commands).length)).not.toMatch(/PROMPT_COMMAND|precmd_functions|function fish_right_prompt/);
    expect(without).toMatch(/awsguard_prompt/); // the segment stays, for your own prompt
    expect(without).toBe(removeSection(withPrompt, 'prompt'));
  });

  it('refuses a template whose binary line was edited away', () => {
    expect(() => renderInit('bash', { bin: '/x', prompt: true, commands }, 'awsguard() { :; }\n')).toThrow(/exactly once/);
  });

  it('names the shells it knows', () => {
    expect(parseShell('fish', 'init')).toBe('fish');
    expect(() => parseShell('tcsh', 'init')).toThrow(/unknown shell "tcsh" \(zsh, bash, fish\)/);
    expect(() => parseShell(undefined, 'init')).toThrow(/which shell/);
  });
});

describe('the binary the function runs', () => {
  it('is the executable that printed the script, symlink kept, made absolute', () => {
    const real = join(tmp, 'awsguard.js');
    writeFileSync(real, '#!/bin/sh\n');
    chmodSync(real, 0o755);
    const link = join(tmp, 'awsguard');
    symlinkSync(real, link);
    expect(resolveBinary(link)).toBe(link);
    expect(resolveBinary('awsguard.js', tmp)).toBe(real);
  });

  it('falls back to awsguard on PATH for a script that is not executable (tsx) or missing', () => {
    const ts = join(tmp, 'main.ts');
    writeFileSync(ts, '');
    expect(resolveBinary(ts)).toBe('awsguard');
    expect(resolveBinary(join(tmp, 'nope'))).toBe('awsguard');
    expect(resolveBinary(tmp)).toBe('awsguard');
    expect(resolveBinary(undefined)).toBe('awsguard');
  });
});

describe('sections', () => {
  const text = 'a\n# >>> part: why\nb\n# <<< part\nc\n';
  it('are cut, read and replaced by name', () => {
    expect(removeSection(text, 'part')).toBe('a\nc\n');
    expect(sectionBody(text, 'part')).toBe('b\n');
    expect(replaceSection(text, 'part', 'x\ny\n')).toBe('a\n# >>> part: why\nx\ny\n# <<< part\nc\n');
  });
  it('must be there exactly once', () => {
    expect(() => removeSection('a\n', 'part')).toThrow(/found 0 and 0/);
    expect(() => removeSection(text + text, 'part')).toThrow(/found 2 and 2/);
    expect(() => removeSection('# <<< part\n# >>> part\n', 'part')).toThrow();
  });
});

describe('completions', () => {
  // The committed files are what packagers install; `awsguard completion` regenerates the same lists.
  // After changing a command's flags: AWSGUARD_UPDATE_COMPLETIONS=1 npx vitest run test/shell/render.test.ts
  it.each(SHELLS)('completions for %s list exactly the registry’s commands and flags', (shell) => {
    const path = completionPath(shell);
    const committed = readAsset(path);
    const fresh = renderCompletion(shell, commands, committed);
    if (process.env.AWSGUARD_UPDATE_COMPLETIONS === '1' && fresh !== committed) writeFileSync(path, fresh);
    else expect(committed, `${path} is out of date: AWSGUARD_UPDATE_COMPLETIONS=1 npx vitest run test/shell/render.test.ts`).toBe(fresh);
  });

  it('cover every command and every visible flag, and no hidden one', () => {
    const bash = generatedCompletionData('bash', commands);
    const fish = generatedCompletionData('fish', commands);
    for (const c of commands) {
      expect(bash).toContain(` ${c.name}`);
      expect(fish).toContain(`-a ${c.name} `);
      for (const [name, spec] of Object.entries(c.flags)) {
        const listed = new RegExp(`'__fish_seen_subcommand_from ${c.name}'.* -l ${name} `).test(fish);
        expect(listed, `${c.name} --${name}`).toBe(!spec.hidden);
      }
    }
  });

  it('offer profiles, files or shells after a flag according to its placeholder', () => {
    expect(valueKind({ type: 'string', value: 'PROFILE', description: '' })).toBe('profile');
    expect(valueKind({ type: 'string', value: 'FILE|JSON', description: '' })).toBe('file');
    expect(valueKind({ type: 'string', value: 'SHELL', description: '' })).toBe('shell');
    expect(valueKind({ type: 'string', value: 'REGION', description: '' })).toBe('any');
    expect(valueKind({ type: 'boolean', description: '' })).toBeUndefined();
    const data = generatedCompletionData('bash', [
      { name: 'one', summary: 's', flags: { profile: { type: 'string', short: 'p', value: 'PROFILE', description: 'd' }, policy: { type: 'string', value: 'FILE', description: 'd' } } },
    ]);
    expect(data).toContain("-p | --profile) kind='profile' ;;");
    expect(data).toContain("--policy) kind='file' ;;");
  });

  it('refuse a flag that takes a value in one command and none in another', () => {
    const clash = [
      { name: 'a', summary: 's', flags: { x: { type: 'string' as const, description: 'd' } } },
      { name: 'b', summary: 's', flags: { x: { type: 'boolean' as const, description: 'd' } } },
    ];
    expect(() => generatedCompletionData('bash', clash)).toThrow(/--x takes any in "a" but no value elsewhere|--x takes no value in "b"/);
  });

  it('refuse names that would be shell code', () => {
    expect(() => generatedCompletionData('zsh', [{ name: 'a;b', summary: '', flags: {} }])).toThrow(/cannot be completed/);
    expect(() => generatedCompletionData('zsh', [{ name: 'a', summary: '', flags: { 'x$(y)': { type: 'boolean', description: '' } } }])).toThrow(/cannot be completed/);
  });

  it('quote descriptions for each shell', () => {
    const cmd = [{ name: 'a', summary: "it's [odd] \\ here", flags: { x: { type: 'boolean' as const, description: "don't ]" } } }];
    expect(generatedCompletionData('zsh', cmd)).toContain(`'a:it'\\''s [odd] \\ here'`);
    expect(generatedCompletionData('zsh', cmd)).toContain(`'--x[don'\\''t \\]]'`);
    expect(generatedCompletionData('fish', cmd)).toContain(`-d 'it\\'s [odd] \\\\ here'`);
  });
});

it('the scripts on disk are the templates init reads', () => {
  for (const shell of SHELLS) expect(readAsset(scriptPath(shell))).toBe(readFileSync(`shell/awsguard.${shell}`, 'utf8'));
});
