/**
 * Every command's name, help and flags, without its code: `--help`, completions and
 * "did you mean" read this, and the command's module is imported only when it runs.
 */
import type { FlagSpecs } from '../args.js';
import { guardFlags, sessionFlags } from './session-flags.js';
import { pickFlags } from './pick-flags.js';
import { completionFlags, initFlags } from './shell-flags.js';
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

export const whoamiFlags = {
  ...commonFlags,
  ...sessionFlags,
  json: { type: 'boolean', description: 'print JSON: account id and alias, ARN, expiry' },
} satisfies FlagSpecs;

export const exportFlags = {
  ...commonFlags,
  ...sessionFlags,
  ...guardFlags,
  format: { type: 'string', value: 'FORMAT', description: 'env (sh export lines, the default), fish, json, or credential-process' },
} satisfies FlagSpecs;

export const loginFlags = {
  ...commonFlags,
  profile: sessionFlags.profile,
  'sso-session': { type: 'string', value: 'NAME', description: 'log in to this [sso-session NAME] (serves every profile that uses it)' },
  'no-browser': { type: 'boolean', description: 'only print the URL and code; do not open a browser' },
} satisfies FlagSpecs;

export const logoutFlags = {
  ...commonFlags,
  profile: sessionFlags.profile,
  all: { type: 'boolean', description: 'forget every cached session' },
  sso: { type: 'boolean', description: 'also remove SSO tokens (of the profile, or all with --all)' },
} satisfies FlagSpecs;

export const execFlags = {
  ...commonFlags,
  ...sessionFlags,
  ...guardFlags,
  server: {
    type: 'boolean',
    description: 'serve renewable credentials to the child over a local endpoint, for jobs that outlive a session (--no-server to turn off a settings default)',
  },
} satisfies FlagSpecs;

export const useFlags = {
  ...commonFlags,
  ...sessionFlags,
  ...guardFlags,
  off: { type: 'boolean', description: 'remove the session and markers from this shell' },
  sso: { type: 'boolean', description: 'without a profile: the picker lists the SSO portal\'s accounts and roles too' },
  shell: { type: 'string', value: 'SHELL', description: 'zsh, bash or fish: print code for that shell to eval (the shell integration passes it)', hidden: true },
} satisfies FlagSpecs;

export const consoleFlags = {
  ...commonFlags,
  ...sessionFlags,
  ...guardFlags,
  region: { type: 'string', value: 'REGION', description: "the console's region (default: the profile's); also picks the partition and sign-in endpoint" },
  duration: { type: 'string', value: 'DURATION', description: 'how long the console session lasts, e.g. 4h (refused where AWS would not honour it)' },
  service: { type: 'string', short: 's', value: 'NAME', description: 'open this service: s3, ec2, iam, lambda, cloudformation, dynamodb, rds, logs, billing, ... (default: the console home)' },
  destination: { type: 'string', short: 'd', value: 'URL', description: 'open this AWS console page (https on the partition\'s console host only)' },
  open: { type: 'boolean', description: 'open the browser (the default): it is given a private redirect file, never the URL' },
  print: { type: 'boolean', description: 'print the sign-in URL on stdout instead (it signs anyone in for 15 minutes)' },
  copy: { type: 'boolean', description: 'put the sign-in URL on the clipboard instead (wl-copy, xclip, pbcopy; OSC 52 over SSH)' },
} satisfies FlagSpecs;

export const ssoFlags = {
  ...commonFlags,
  'sso-session': { type: 'string', value: 'NAME', description: 'which [sso-session NAME] (default: the only one)' },
  refresh: { type: 'boolean', description: 'list the portal again instead of using the cached listing' },
  region: { type: 'string', value: 'REGION', description: 'sync: the region written into each profile' },
  json: { type: 'boolean', description: 'accounts: print JSON' },
} satisfies FlagSpecs;

export const doctorFlags = {
  ...commonFlags,
  json: { type: 'boolean', description: 'print the checks as JSON' },
} satisfies FlagSpecs;

export const keysFlags = {
  ...commonFlags,
  json: { type: 'boolean', description: 'list: print JSON' },
  'from-env': { type: 'boolean', description: 'add: take the key from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of asking' },
  all: { type: 'boolean', description: 'import: every profile with long-term keys in the credentials file' },
  backup: { type: 'boolean', description: 'import: keep a private copy of the credentials file first (its path is printed)' },
  yes: { type: 'boolean', description: 'remove: do not ask (needed without a terminal)' },
  resume: { type: 'boolean', description: 'rotate: finish a rotation that stopped' },
  'keep-inactive': { type: 'boolean', description: 'rotate: leave the old key Inactive instead of deleting it' },
  'mfa-code': { type: 'string', value: 'CODE', description: 'rotate: the MFA code, for a profile with mfa_serial (else asked on the terminal)' },
  wait: { type: 'string', value: 'DURATION', description: 'rotate: how long to wait for IAM to make the new key usable (default 2m)' },
} satisfies FlagSpecs;

export const auditFlags = {
  ...commonFlags,
  json: { type: 'boolean', description: 'print JSON lines' },
  since: { type: 'string', value: 'WHEN', description: 'only records since this time (ISO 8601) or this long ago (e.g. 2h, 7d)' },
  account: { type: 'string', value: 'ACCOUNT', description: 'only records for this account id or alias' },
} satisfies FlagSpecs;

export const commands: CommandInfo[] = [
  {
    name: 'exec',
    summary: 'run a command with short-lived credentials, after showing who it will act as',
    usage: 'awsguard exec [-p PROFILE] [flags] [--] COMMAND [ARGS...]',
    details: [
      'The child gets short-lived credentials only (never long-term keys), a clean AWS environment and',
      'AWSGUARD_* markers. A protected account asks you to type its alias on the terminal; without a',
      'terminal pass --confirm ALIAS. Exits with the child\'s exit code.',
    ].join('\n'),
    flags: execFlags,
    load: () => import('./exec.js'),
  },
  {
    name: 'use',
    summary: 'switch the current shell to a profile (needs the shell integration: awsguard init)',
    usage: 'awsguard use [PROFILE] [flags] | awsguard use --off',
    flags: useFlags,
    load: () => import('./use.js'),
  },
  {
    name: 'console',
    summary: 'open the AWS console as a profile, behind the same guard as exec',
    usage: 'awsguard console [-p PROFILE] [--service NAME | --destination URL] [--region R] [--duration D] [scope] [--print | --copy | --open] [--confirm ALIAS]',
    details: [
      'The identity line and, for a protected account, the typed confirmation come first; a refusal opens',
      'nothing. Role and IAM Identity Center sessions are exchanged at AWS\'s federation endpoint as they are;',
      'an IAM user\'s keys go through GetFederationToken with the scope asked for, or an explicit allow-all.',
      'With no profile in a terminal, the picker opens. The sign-in URL is a secret for 15 minutes: the',
      'browser gets a private redirect file, and the URL is never logged. Settings: [console] browser =',
      'firefox-container | chrome-profile:NAME | command:TEMPLATE ({url_file}). AWS_ENDPOINT_URL_SIGNIN',
      'replaces the sign-in endpoint (awsguard appends /federation).',
    ].join('\n'),
    flags: consoleFlags,
    load: () => import('./console.js'),
  },
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
  {
    name: 'whoami',
    summary: 'show the account, alias, role and expiry a profile reaches',
    usage: 'awsguard whoami [-p PROFILE] [--json]',
    flags: whoamiFlags,
    load: () => import('./whoami.js'),
  },
  {
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
    flags: exportFlags,
    load: () => import('./export.js'),
  },
  {
    name: 'login',
    summary: 'log in to IAM Identity Center (SSO); the AWS CLI shares the login',
    usage: 'awsguard login [-p PROFILE | --sso-session NAME] [--no-browser]',
    flags: loginFlags,
    load: () => import('./login.js'),
  },
  {
    name: 'logout',
    summary: 'forget cached sessions (and SSO tokens with --sso)',
    usage: 'awsguard logout [-p PROFILE | --all] [--sso]',
    flags: logoutFlags,
    load: () => import('./logout.js'),
  },
  {
    name: 'pick',
    summary: 'choose a profile in a fuzzy picker on the terminal; prints its name',
    usage: 'awsguard pick [--query TEXT] [--json] [--sso [--refresh]]',
    details: [
      'Draws on the terminal and prints only the chosen profile on stdout, so P=$(awsguard pick) works.',
      'Esc or Ctrl-C: nothing printed, exit 130. No terminal: exit 6 (pass -p PROFILE instead).',
      'With --sso or Ctrl-S, the SSO portal\'s accounts and roles that no profile reaches are listed too;',
      'choosing one prints an ephemeral profile, sso:SESSION/ACCOUNT_ID/ROLE, that every -p accepts.',
    ].join('\n'),
    flags: pickFlags,
    load: () => import('./pick.js'),
  },
  {
    name: 'init',
    summary: 'print the shell integration: eval "$(awsguard init zsh)" (or bash; fish: awsguard init fish | source)',
    usage: 'awsguard init zsh|bash|fish [--no-prompt]',
    flags: initFlags,
    load: () => import('./init.js'),
  },
  {
    name: 'completion',
    summary: 'print the completion script for a shell',
    usage: 'awsguard completion zsh|bash|fish',
    flags: completionFlags,
    load: () => import('./completion.js'),
  },
  {
    name: 'sso',
    summary: 'list the accounts and roles IAM Identity Center gives you, or sync them into profiles',
    usage: 'awsguard sso accounts [--json] [--refresh] | awsguard sso sync [--region R]',
    details: [
      'sync writes a profile per account and role (ACCOUNT-NAME.ROLE) to ~/.config/awsguard/sso-profiles,',
      'which awsguard reads after your own config; your hand-written config is never rewritten.',
    ].join('\n'),
    flags: ssoFlags,
    load: () => import('./sso.js'),
  },
  {
    name: 'keys',
    summary: "keep IAM users' long-term keys in the OS keychain (or an encrypted file), import them, rotate them",
    usage: 'awsguard keys add NAME [--from-env] | import [NAME... | --all] [--backup] | list [--json] | remove NAME [--yes] | export-plaintext NAME | rotate NAME [--resume] [--keep-inactive]',
    details: [
      'Keys live in the OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on',
      'Windows) or, without one, in an encrypted file (scrypt + AES-256-GCM) under $XDG_DATA_HOME/awsguard,',
      'whose passphrase is asked on the terminal or read from AWSGUARD_FILE_PASSPHRASE (weaker: the',
      'environment of whatever runs awsguard holds it). Settings: [keys] backend = auto | keychain | file.',
      'import moves keys out of ~/.aws/credentials and leaves, in the same section:',
      '  credential_process = awsguard export -p NAME --format credential-process',
      'so the AWS CLI, boto3 and the SDKs get short-lived sessions under the same profile name.',
      'rotate: CreateAccessKey, store it, wait until it works, deactivate and delete the old key.',
    ].join('\n'),
    flags: keysFlags,
    load: () => import('./keys.js'),
  },
  {
    name: 'audit',
    summary: 'show the audit log of exec, use and refusals',
    usage: 'awsguard audit [--since WHEN] [--account ACCOUNT] [--json]',
    flags: auditFlags,
    load: () => import('./audit.js'),
  },
  {
    name: 'doctor',
    summary: 'check config files, chains, permissions, clock, SSO logins and the guard',
    usage: 'awsguard doctor [--json]',
    flags: doctorFlags,
    load: () => import('./doctor.js'),
  },
];

export function findCommand(name: string): CommandInfo | undefined {
  return commands.find((c) => c.name === name);
}
