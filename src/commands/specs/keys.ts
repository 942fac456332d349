import { defineCommand } from '../../cli/command.js';
import { helpFlag } from './shared.js';

export const keys = defineCommand({
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
  subcommands: [
    { name: 'add', summary: 'store a key typed on the terminal (or --from-env), after checking it with AWS', operand: 'profile' },
    { name: 'import', summary: 'move keys out of ~/.aws/credentials into the store', operand: 'profiles' },
    { name: 'list', summary: 'the stored keys, with their age and last use' },
    { name: 'remove', summary: 'delete a stored key', operand: 'profile' },
    { name: 'export-plaintext', summary: 'print a stored key, to leave awsguard (asks first)', operand: 'profile' },
    { name: 'rotate', summary: 'create a new key, check it, deactivate and delete the old one', operand: 'profile' },
  ],
  flags: {
    ...helpFlag,
    json: { type: 'boolean', description: 'list: print JSON' },
    'from-env': { type: 'boolean', description: 'add: take the key from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of asking' },
    all: { type: 'boolean', description: 'import: every profile with long-term keys in the credentials file' },
    backup: { type: 'boolean', description: 'import: keep a private copy of the credentials file first (its path is printed)' },
    yes: { type: 'boolean', description: 'remove: do not ask (needed without a terminal)' },
    resume: { type: 'boolean', description: 'rotate: finish a rotation that stopped' },
    'keep-inactive': { type: 'boolean', description: 'rotate: leave the old key Inactive instead of deleting it' },
    'mfa-code': { type: 'string', value: 'CODE', description: 'rotate: the MFA code, for a profile with mfa_serial (else asked on the terminal)' },
    wait: { type: 'string', value: 'DURATION', description: 'rotate: how long to wait for IAM to make the new key usable (default 2m)' },
  },
});
