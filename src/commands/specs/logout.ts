import { defineCommand } from '../../cli/command.js';
import { helpFlag, sessionFlags } from './shared.js';

export const logout = defineCommand({
  name: 'logout',
  summary: 'forget cached sessions (and SSO tokens with --sso)',
  usage: 'awsguard logout [-p PROFILE | --all] [--sso]',
  flags: {
    ...helpFlag,
    profile: sessionFlags.profile,
    all: { type: 'boolean', description: 'forget every cached session' },
    sso: { type: 'boolean', description: 'also remove SSO tokens (of the profile, or all with --all)' },
  },
});
