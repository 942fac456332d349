/**
 * Every command's name, help and flags, without its code: `--help`, completions and
 * "did you mean" read this, and the command's module is imported only when it runs.
 */
import type { FlagSpecs } from '../args.js';
import type { CommandContext } from './context.js';

export interface CommandModule {
  run(ctx: CommandContext, argv: string[]): Promise<number>;
}

export interface CommandInfo {
  name: string;
  summary: string;
  usage: string;
  /** Longer text for `awsguard help NAME`. */
  details?: string;
  flags: FlagSpecs;
  load: () => Promise<CommandModule>;
}

export const commonFlags = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies FlagSpecs;

export const profileFlag = {
  profile: { type: 'string', short: 'p', value: 'PROFILE', description: 'the AWS profile (default: $AWS_PROFILE, then "default")' },
} satisfies FlagSpecs;

export const profilesFlags = {
  ...commonFlags,
  json: { type: 'boolean', description: 'print a JSON array: name, settings (as botocore reads them), source, origins' },
  names: { type: 'boolean', description: 'print profile names only, one per line (for completions)' },
  'show-origin': { type: 'boolean', description: 'with --json: include the file and line of every setting' },
} satisfies FlagSpecs;

export const commands: CommandInfo[] = [
  {
    name: 'profiles',
    summary: 'list the profiles in your AWS config, how each gets credentials, and its account',
    usage: 'awsguard profiles [--json | --names]',
    details:
      'Reads $AWS_CONFIG_FILE (default ~/.aws/config) and $AWS_SHARED_CREDENTIALS_FILE\n' +
      '(default ~/.aws/credentials) exactly as the AWS CLI and boto3 do. Secrets are never printed.',
    flags: profilesFlags,
    load: () => import('./profiles.js'),
  },
];

export function findCommand(name: string): CommandInfo | undefined {
  return commands.find((c) => c.name === name);
}
