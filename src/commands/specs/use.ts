import { defineCommand } from '../../cli/command.js';
import { guardFlags, helpFlag, sessionFlags } from './shared.js';

export const use = defineCommand({
  name: 'use',
  summary: 'switch the current shell to a profile (needs the shell integration: awsguard init)',
  usage: 'awsguard use [PROFILE] [flags] | awsguard use --off',
  flags: {
    ...helpFlag,
    ...sessionFlags,
    ...guardFlags,
    off: { type: 'boolean', description: 'remove the session and markers from this shell' },
    sso: { type: 'boolean', description: 'without a profile: the picker lists the SSO portal\'s accounts and roles too' },
    shell: { type: 'string', value: 'SHELL', description: 'zsh, bash or fish: print code for that shell to eval (the shell integration passes it)', hidden: true },
  },
});
