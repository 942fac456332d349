import { defineCommand } from '../../cli/command.js';
import { helpFlag } from './shared.js';

export const init = defineCommand({
  name: 'init',
  summary: 'print the shell integration: eval "$(awsguard init zsh)" (or bash; fish: awsguard init fish | source)',
  usage: 'awsguard init zsh|bash|fish [--no-prompt]',
  flags: {
    ...helpFlag,
    'no-prompt': {
      type: 'boolean',
      description: 'leave your prompt alone (call awsguard_prompt_update / awsguard_prompt yourself); also AWSGUARD_NO_PROMPT=1',
    },
  },
});
