import { defineCommand } from '../../cli/command.js';
import { helpFlag } from './shared.js';

export const profiles = defineCommand({
  name: 'profiles',
  summary: 'list the profiles in your AWS config, how each gets credentials, and its account',
  usage: 'awsguard profiles [--json | --names]',
  details:
    'Reads $AWS_CONFIG_FILE (default ~/.aws/config) and $AWS_SHARED_CREDENTIALS_FILE\n' +
    '(default ~/.aws/credentials) exactly as the AWS CLI and boto3 do. Secrets are never printed.',
  flags: {
    ...helpFlag,
    json: { type: 'boolean', description: 'print a JSON array: name, settings (as botocore reads them), source, origins' },
    names: { type: 'boolean', description: 'print profile names only, one per line (for completions)' },
    'show-origin': { type: 'boolean', description: 'with --json: include the file and line of every setting' },
  },
});
