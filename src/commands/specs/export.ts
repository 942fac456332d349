import { defineCommand } from '../../cli/command.js';
import { guardFlags, helpFlag, sessionFlags } from './shared.js';

export const exportCommand = defineCommand({
  name: 'export',
  summary: "print a profile's short-lived credentials for a shell, a script, or credential_process",
  usage: 'awsguard export [-p PROFILE] [--format env|fish|json|credential-process]',
  details: [
    'Long-term keys are never printed: static keys become a session first. The guard is the same as',
    "exec's: a protected account asks for its alias on the terminal (/dev/tty, also when the AWS CLI",
    'runs awsguard as a credential_process), and a typed confirmation holds a few minutes in that',
    'terminal session ([protect] confirm_window). Without a terminal only --confirm ALIAS works.',
    '  [profile scoped]',
    '  credential_process = awsguard export -p prod --read-only --format credential-process',
    '  region = eu-west-1',
  ].join('\n'),
  flags: {
    ...helpFlag,
    ...sessionFlags,
    ...guardFlags,
    format: { type: 'string', value: 'FORMAT', description: 'env (sh export lines, the default), fish, json, or credential-process' },
  },
});
