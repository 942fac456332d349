import { defineCommand } from '../../cli/command.js';
import { helpFlag, sessionFlags } from './shared.js';

export const whoami = defineCommand({
  name: 'whoami',
  summary: 'show the account, alias, role and expiry a profile reaches',
  usage: 'awsguard whoami [-p PROFILE] [--json]',
  flags: {
    ...helpFlag,
    ...sessionFlags,
    json: { type: 'boolean', description: 'print JSON: account id and alias, ARN, expiry' },
  },
});
