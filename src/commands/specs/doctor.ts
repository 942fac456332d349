import { defineCommand } from '../../cli/command.js';
import { helpFlag } from './shared.js';

export const doctor = defineCommand({
  name: 'doctor',
  summary: 'check config files, chains, permissions, clock, SSO logins and the guard',
  usage: 'awsguard doctor [--json]',
  flags: {
    ...helpFlag,
    json: { type: 'boolean', description: 'print the checks as JSON' },
  },
});
