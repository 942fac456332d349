/** Flags that several commands share; each command's spec (beside this file) spreads the ones it takes. */
import type { FlagSpecs } from '../../args.js';

export const helpFlag = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies FlagSpecs;

/** Flags of every command that gets credentials (exec, use, export, console, whoami). */
export const sessionFlags = {
  profile: { type: 'string', short: 'p', value: 'PROFILE', description: 'the AWS profile (default: $AWS_PROFILE, then "default")' },
  region: { type: 'string', value: 'REGION', description: "the child's region (default: the profile's)" },
  policy: { type: 'string', value: 'FILE|JSON', description: 'scope the session down with this session policy' },
  'policy-arn': { type: 'string', multiple: true, value: 'ARN', description: 'scope the session down with this managed policy' },
  'read-only': { type: 'boolean', description: 'scope the session down to the AWS managed ReadOnlyAccess policy' },
  duration: { type: 'string', value: 'DURATION', description: 'session length, e.g. 15m, 1h, 3600 (within what AWS allows)' },
  'mfa-code': { type: 'string', value: 'CODE', description: 'the MFA code, for scripts (otherwise asked on the terminal)' },
  refresh: { type: 'boolean', description: 'ignore cached sessions and get new credentials' },
} satisfies FlagSpecs;

/** Flags of the commands that pass the guard (exec, use, export, console). */
export const guardFlags = {
  confirm: { type: 'string', value: 'ALIAS', description: 'confirm a protected account without a terminal: its alias (or id)' },
  quiet: { type: 'boolean', short: 'q', description: 'no identity line for unprotected accounts' },
  nest: { type: 'boolean', description: 'allow switching to another account from inside an awsguard session' },
} satisfies FlagSpecs;
