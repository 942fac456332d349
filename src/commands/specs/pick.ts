import { defineCommand } from '../../cli/command.js';
import { helpFlag } from './shared.js';

export const pick = defineCommand({
  name: 'pick',
  summary: 'choose a profile in a fuzzy picker on the terminal; prints its name',
  usage: 'awsguard pick [--query TEXT] [--json] [--sso [--refresh]]',
  details: [
    'Draws on the terminal and prints only the chosen profile on stdout, so P=$(awsguard pick) works.',
    'Esc or Ctrl-C: nothing printed, exit 130. No terminal: exit 6 (pass -p PROFILE instead).',
    'With --sso or Ctrl-S, the SSO portal\'s accounts and roles that no profile reaches are listed too;',
    'choosing one prints an ephemeral profile, sso:SESSION/ACCOUNT_ID/ROLE, that every -p accepts.',
  ].join('\n'),
  flags: {
    ...helpFlag,
    query: { type: 'string', value: 'TEXT', description: 'start with this filter already typed' },
    json: { type: 'boolean', description: 'print the choice as JSON: profile, account_id, account_alias, role, region, source, ephemeral' },
    sso: { type: 'boolean', description: 'also list the SSO portal\'s accounts and roles (Ctrl-S in the picker does too)' },
    refresh: { type: 'boolean', description: 'with --sso: list the portal again instead of using the cached listing' },
  },
});
