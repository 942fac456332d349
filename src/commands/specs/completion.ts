import { defineCommand } from '../../cli/command.js';
import { helpFlag } from './shared.js';

export const completion = defineCommand({
  name: 'completion',
  summary: 'print the completion script for a shell',
  usage: 'awsguard completion zsh|bash|fish',
  flags: { ...helpFlag },
});
