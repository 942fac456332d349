/**
 * `pick`'s flags, apart from its code so help and completions read them without loading the
 * picker. Nothing but a type is imported: the registry imports this file at start-up.
 */
import type { FlagSpecs } from '../args.js';

export const pickFlags = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  query: { type: 'string', value: 'TEXT', description: 'start with this filter already typed' },
  json: { type: 'boolean', description: 'print the choice as JSON: profile, account_id, account_alias, role, region, source, ephemeral' },
  sso: { type: 'boolean', description: 'also list the SSO portal\'s accounts and roles (Ctrl-S in the picker does too)' },
  refresh: { type: 'boolean', description: 'with --sso: list the portal again instead of using the cached listing' },
} satisfies FlagSpecs;
