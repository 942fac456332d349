import { defineCommand } from '../../cli/command.js';
import { helpFlag } from './shared.js';

export const sso = defineCommand({
  name: 'sso',
  summary: 'list the accounts and roles IAM Identity Center gives you, or sync them into profiles',
  usage: 'awsguard sso accounts [--json] [--refresh] | awsguard sso sync [--region R]',
  details: [
    'sync writes a profile per account and role (ACCOUNT-NAME.ROLE) to ~/.config/awsguard/sso-profiles,',
    'which awsguard reads after your own config; your hand-written config is never rewritten.',
  ].join('\n'),
  subcommands: [
    { name: 'accounts', summary: 'list the accounts and roles the portal gives you' },
    { name: 'sync', summary: 'write a profile per account and role' },
  ],
  flags: {
    ...helpFlag,
    'sso-session': { type: 'string', value: 'NAME', description: 'which [sso-session NAME] (default: the only one)' },
    refresh: { type: 'boolean', description: 'list the portal again instead of using the cached listing' },
    region: { type: 'string', value: 'REGION', description: 'sync: the region written into each profile' },
    json: { type: 'boolean', description: 'accounts: print JSON' },
  },
});
