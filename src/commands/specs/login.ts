import { defineCommand } from '../../cli/command.js';
import { helpFlag, sessionFlags } from './shared.js';

export const login = defineCommand({
  name: 'login',
  summary: 'log in to IAM Identity Center (SSO); the AWS CLI shares the login',
  usage: 'awsguard login [-p PROFILE | --sso-session NAME] [--no-browser]',
  flags: {
    ...helpFlag,
    profile: sessionFlags.profile,
    'sso-session': { type: 'string', value: 'NAME', description: 'log in to this [sso-session NAME] (serves every profile that uses it)' },
    'no-browser': { type: 'boolean', description: 'only print the URL and code; do not open a browser' },
  },
});
