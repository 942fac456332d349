/**
 * The README's "call the segment yourself" snippets, run as written: after
 * `awsguard init SHELL --no-prompt`, each shell's own wiring, and a powerlevel10k segment
 * (with a stand-in for p10k that records what it is asked to draw).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shell } from '../../src/shell/shells.js';
import { RENDER, createLab, evalInit, shellTool, visible, type Lab } from './harness.js';

/** Exactly the README text for each shell, after `init SHELL --no-prompt`. */
export const README_SNIPPETS: Record<Shell, string> = {
  bash: ['PROMPT_COMMAND+=(awsguard_prompt_update)', `PS1='\${awsguard_prompt}'"$PS1"`].join('\n'),
  zsh: ['setopt prompt_subst', 'precmd_functions+=(awsguard_prompt_update)', `RPROMPT='\${awsguard_prompt}'"$RPROMPT"`].join('\n'),
  fish: ['function fish_right_prompt', '    awsguard_prompt', 'end'].join('\n'),
};

export const README_P10K = [
  '# In ~/.p10k.zsh; add awsguard to POWERLEVEL9K_RIGHT_PROMPT_ELEMENTS.',
  'function prompt_awsguard() {',
  '  local awsguard_prompt NO_COLOR=1  # plain text, kept local; p10k does the colours',
  '  awsguard_prompt_update',
  '  [[ -n $awsguard_prompt ]] || return 0',
  '  if [[ ${AWSGUARD_PROTECTED-} == 1 ]]; then',
  '    p10k segment -b red -f white -t "$awsguard_prompt"',
  '  else',
  '    p10k segment -f cyan -t "$awsguard_prompt"',
  '  fi',
  '}',
].join('\n');

let lab: Lab;
beforeAll(() => {
  lab = createLab();
});
afterAll(() => lab.close());

describe.each(['bash', 'zsh', 'fish'] as const)('%s', (shell) => {
  const tool = shellTool(shell);
  it.skipIf(tool.skip)(tool.label('the README wiring after --no-prompt shows the segment'), () => {
    tool.assert();
    const userPrompt = { bash: `PS1='$ '`, zsh: `RPROMPT='[mine]'`, fish: '' }[shell];
    const script = [userPrompt, evalInit(shell, lab.initFile(shell, { prompt: false })), README_SNIPPETS[shell], 'awsguard use prod-admin --confirm acme-prod', RENDER[shell]];
    const r = lab.run(shell, script.join('\n'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = visible(r.stdout);
    expect(out).toContain('!aws:prod-admin@acme-prod 60m');
    expect(out).toContain(shell === 'bash' ? '\\001\\e[1;31m\\002' : '\\e[31m');
    if (shell === 'bash') expect(out).toMatch(/60m\\001\\e\[0m\\002 \$ $/);
    if (shell === 'zsh') expect(out).toMatch(/\[mine\]$/);
  });
});

const zsh = shellTool('zsh');
describe.skipIf(zsh.skip)(zsh.label('powerlevel10k'), () => {
  const p10kStub = `p10k() { print -r -- "p10k $*" }`;

  it('prompt_awsguard draws the plain segment, red for a protected account, and leaves globals alone', () => {
    zsh.assert();
    const script = [
      evalInit('zsh', lab.initFile('zsh', { prompt: false })),
      p10kStub,
      README_P10K,
      'prompt_awsguard', // no session: draws nothing
      'awsguard use ci',
      'prompt_awsguard',
      'awsguard use prod-admin --confirm acme-prod',
      'prompt_awsguard',
      'print -r -- "global: [$awsguard_prompt] NO_COLOR=${NO_COLOR-unset}"',
    ];
    const r = lab.run('zsh', script.join('\n'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'p10k segment -f cyan -t aws:ci@acme-dev 60m\n' + 'p10k segment -b red -f white -t !aws:prod-admin@acme-prod 60m\n' + 'global: [] NO_COLOR=unset\n',
    );
  });
});
