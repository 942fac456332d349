import type { FlagSpecs } from './args.js';
import type { CommandSpec } from './cli/command.js';
import { commands } from './commands/specs/index.js';

declare const AWSGUARD_VERSION: string;
export const version: string = typeof AWSGUARD_VERSION === 'string' ? AWSGUARD_VERSION : '0.0.0-dev';

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [
    `awsguard ${version}: short-lived, scoped, guarded AWS credentials for people who work in many accounts`,
    '',
    'Usage: awsguard <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  show help for a command`,
    '',
    'Flags:',
    '  -h, --help     show help',
    '  -V, --version  show the version',
    '',
    "Run 'awsguard help <command>' for a command's flags. Exit codes are listed in the README.",
  ];
  return lines.join('\n') + '\n';
}

export function flagsHelp(flags: FlagSpecs): string[] {
  const rows = Object.entries(flags)
    .filter(([, s]) => !s.hidden)
    .map(([name, s]) => {
      const left = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'string' ? ` ${s.value ?? 'VALUE'}` : ''}`;
      return [left, s.description + (s.multiple ? ' (repeatable)' : '')] as const;
    });
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`);
}

export function commandHelp(info: CommandSpec): string {
  const lines = [`Usage: ${info.usage}`, '', info.summary.charAt(0).toUpperCase() + info.summary.slice(1) + '.'];
  if (info.subcommands?.length) {
    const width = Math.max(...info.subcommands.map((s) => s.name.length));
    lines.push('', 'Subcommands:', ...info.subcommands.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`));
  }
  if (info.details) lines.push('', info.details);
  lines.push('', 'Flags:', ...flagsHelp(info.flags));
  return lines.join('\n') + '\n';
}
