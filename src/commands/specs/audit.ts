import { defineCommand } from '../../cli/command.js';
import { helpFlag } from './shared.js';

export const audit = defineCommand({
  name: 'audit',
  summary: 'show the audit log of exec, use and refusals',
  usage: 'awsguard audit [--since WHEN] [--account ACCOUNT] [--json]',
  flags: {
    ...helpFlag,
    json: { type: 'boolean', description: 'print JSON lines' },
    since: { type: 'string', value: 'WHEN', description: 'only records since this time (ISO 8601) or this long ago (e.g. 2h, 7d)' },
    account: { type: 'string', value: 'ACCOUNT', description: 'only records for this account id or alias' },
  },
});
