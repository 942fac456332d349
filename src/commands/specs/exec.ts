import { defineCommand } from '../../cli/command.js';
import { guardFlags, helpFlag, sessionFlags } from './shared.js';

export const exec = defineCommand({
  name: 'exec',
  summary: 'run a command with short-lived credentials, after showing who it will act as',
  usage: 'awsguard exec [-p PROFILE] [flags] [--] COMMAND [ARGS...]',
  details: [
    'The child gets short-lived credentials only (never long-term keys), a clean AWS environment and',
    'AWSGUARD_* markers. A protected account asks you to type its alias on the terminal; without a',
    'terminal pass --confirm ALIAS. Exits with the child\'s exit code.',
  ].join('\n'),
  flags: {
    ...helpFlag,
    ...sessionFlags,
    ...guardFlags,
    server: {
      type: 'boolean',
      description: 'serve renewable credentials to the child over a local endpoint, for jobs that outlive a session (--no-server to turn off a settings default)',
    },
  },
  // Like env and sudo: the first positional starts the child, so `--` is optional.
  parse: { commandAfterPositional: true },
});
