/**
 * `init` and `completion` flags, apart from their code so help and completions read them
 * without loading it. Nothing but a type is imported: the registry imports this at start-up.
 */
import type { FlagSpecs } from '../args.js';

export const initFlags = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  'no-prompt': {
    type: 'boolean',
    description: 'leave your prompt alone (call awsguard_prompt_update / awsguard_prompt yourself); also AWSGUARD_NO_PROMPT=1',
  },
} satisfies FlagSpecs;

export const completionFlags = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies FlagSpecs;
