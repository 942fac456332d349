import { defineCommand } from '../../cli/command.js';
import { guardFlags, helpFlag, sessionFlags } from './shared.js';

export const consoleCommand = defineCommand({
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
  flags: {
    ...helpFlag,
    ...sessionFlags,
    ...guardFlags,
    region: { type: 'string', value: 'REGION', description: "the console's region (default: the profile's); also picks the partition and sign-in endpoint" },
    duration: { type: 'string', value: 'DURATION', description: 'how long the console session lasts, e.g. 4h (refused where AWS would not honour it)' },
    service: { type: 'string', short: 's', value: 'NAME', description: 'open this service: s3, ec2, iam, lambda, cloudformation, dynamodb, rds, logs, billing, ... (default: the console home)' },
    destination: { type: 'string', short: 'd', value: 'URL', description: 'open this AWS console page (https on the partition\'s console host only)' },
    open: { type: 'boolean', description: 'open the browser (the default): it is given a private redirect file, never the URL' },
    print: { type: 'boolean', description: 'print the sign-in URL on stdout instead (it signs anyone in for 15 minutes)' },
    copy: { type: 'boolean', description: 'put the sign-in URL on the clipboard instead (wl-copy, xclip, pbcopy; OSC 52 over SSH)' },
  },
});
