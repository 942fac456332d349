/**
 * Completion scripts: the logic is hand-written in completions/; the lists of commands and
 * flags are generated from the command specs (src/commands/specs/) into each file's `generated` section, so
 * `awsguard completion SHELL` always matches the binary and a test keeps the files in sync.
 */
import type { FlagSpec, FlagSpecs } from '../args.js';
import type { Subcommand } from '../cli/command.js';
import { completionPath, readAsset } from './assets.js';
import { replaceSection } from './sections.js';
import { quote, type Shell } from './shells.js';

/** What completion needs to know of a command (a CommandSpec fits). */
export interface CompletableCommand {
  name: string;
  summary: string;
  flags: FlagSpecs;
  subcommands?: readonly Subcommand[] | undefined;
}

/** Not among the specs: `help` is the CLI's own, `off` the shell function's (it runs `use --off`). */
const EXTRA: CompletableCommand[] = [
  { name: 'off', summary: 'remove the session from this shell (the shell integration runs use --off)', flags: {} },
  { name: 'help', summary: 'show help for a command', flags: {} },
];

/** What a flag's value is, from its placeholder: decides what is offered after the flag. */
export type ValueKind = 'profile' | 'file' | 'shell' | 'any';

export function valueKind(spec: FlagSpec): ValueKind | undefined {
  if (spec.type !== 'string') return undefined;
  const value = spec.value ?? '';
  if (value === 'PROFILE') return 'profile';
  if (value === 'SHELL') return 'shell';
  if (value.includes('FILE')) return 'file';
  return 'any';
}

interface Flag {
  name: string;
  short: string | undefined;
  spec: FlagSpec;
  kind: ValueKind | undefined;
}

function visibleFlags(flags: FlagSpecs): Flag[] {
  return Object.entries(flags)
    .filter(([, spec]) => !spec.hidden)
    .map(([name, spec]) => {
      // Names go into shell code unquoted (case patterns, word lists).
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || (spec.short !== undefined && !/^[a-zA-Z0-9]$/.test(spec.short))) {
        throw new Error(`flag --${name} cannot be completed: names are [a-z0-9-], short flags one letter or digit`);
      }
      return { name, short: spec.short, spec, kind: valueKind(spec) };
    });
}

function withExtras(commands: readonly CompletableCommand[]): CompletableCommand[] {
  for (const c of commands) {
    for (const name of [c.name, ...(c.subcommands ?? []).map((s) => s.name)]) {
      if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`command "${name}" cannot be completed: names are [a-z0-9-]`);
    }
  }
  return [...commands, ...EXTRA.filter((extra) => !commands.some((c) => c.name === extra.name))];
}

/** One kind per flag name across commands: bash looks a flag's value up without its command. */
function kindsByFlag(commands: readonly CompletableCommand[]): Map<string, ValueKind> {
  const kinds = new Map<string, ValueKind | undefined>();
  for (const c of commands) {
    for (const f of visibleFlags(c.flags)) {
      for (const word of f.short ? [`-${f.short}`, `--${f.name}`] : [`--${f.name}`]) {
        if (kinds.has(word) && kinds.get(word) !== f.kind) {
          throw new Error(`${word} takes ${f.kind ?? 'no value'} in "${c.name}" but ${kinds.get(word) ?? 'no value'} elsewhere`);
        }
        kinds.set(word, f.kind);
      }
    }
  }
  return new Map([...kinds].filter((e): e is [string, ValueKind] => e[1] !== undefined));
}

/** Subcommands followed by profile names: one (`keys rotate NAME`) or any number (`keys import`). */
const withProfiles = (c: CompletableCommand, many: boolean) => (c.subcommands ?? []).filter((s) => (many ? s.operand === 'profiles' : s.operand === 'profile')).map((s) => s.name);

const flagWords = (flags: Flag[]) => flags.flatMap((f) => (f.short ? [`-${f.short}`, `--${f.name}`] : [`--${f.name}`]));

function bash(commands: CompletableCommand[]): string {
  const lines = [`_awsguard_commands=${quote('bash', commands.map((c) => c.name).join(' '))}`, '_awsguard_command_flags() {', '  case $1 in'];
  for (const c of commands) {
    const words = flagWords(visibleFlags(c.flags));
    if (words.length) lines.push(`    ${c.name}) flags=${quote('bash', words.join(' '))} ;;`);
  }
  lines.push(`    *) flags='' ;;`, '  esac', '}', '_awsguard_flag_value() {', '  case $1 in');
  const byKind = new Map<ValueKind, string[]>();
  for (const [word, kind] of kindsByFlag(commands)) byKind.set(kind, [...(byKind.get(kind) ?? []), word]);
  for (const [kind, words] of byKind) lines.push(`    ${words.join(' | ')}) kind=${quote('bash', kind)} ;;`);
  lines.push(`    *) kind='' ;;`, '  esac', '}', '_awsguard_subcommands() {', '  case $1 in');
  for (const c of commands) {
    if (c.subcommands?.length) lines.push(`    ${c.name}) words=${quote('bash', c.subcommands.map((s) => s.name).join(' '))} ;;`);
  }
  lines.push(`    *) words='' ;;`, '  esac', '}', '# How many profile names follow a subcommand: one, many, or none.', '_awsguard_subcommand_operand() {', '  case "$1 $2" in');
  for (const [many, value] of [[false, 'one'], [true, 'many']] as const) {
    const pairs = commands.flatMap((c) => withProfiles(c, many).map((s) => quote('bash', `${c.name} ${s}`)));
    if (pairs.length) lines.push(`    ${pairs.join(' | ')}) operand=${value} ;;`);
  }
  lines.push(`    *) operand='' ;;`, '  esac', '}');
  return lines.join('\n') + '\n';
}

/** zsh `_arguments` option specs: descriptions go inside [...], where ] and \ need escaping. */
function zshSpec(f: Flag): string {
  const desc = `[${f.spec.description.replace(/[\\\]\[]/g, '\\$&')}]`;
  const value = f.kind ? `:${(f.spec.value ?? 'value').toLowerCase().replace(/:/g, '\\:')}:${zshAction(f.kind)}` : '';
  const repeat = f.spec.multiple ? '*' : '';
  if (!f.short) return quote('zsh', `${repeat}--${f.name}${f.kind ? '=' : ''}${desc}${value}`);
  const names = f.kind ? `{-${f.short}+,--${f.name}=}` : `{-${f.short},--${f.name}}`;
  const prefix = repeat || `(-${f.short} --${f.name})`;
  return `${quote('zsh', prefix)}${names}${quote('zsh', desc + value)}`;
}

function zshAction(kind: ValueKind): string {
  return { profile: '_awsguard_profiles', file: '_files', shell: '(zsh bash fish)', any: ' ' }[kind];
}

function zsh(commands: CompletableCommand[]): string {
  const lines = ['typeset -ga _awsguard_commands=('];
  for (const c of commands) lines.push(`  ${quote('zsh', `${c.name}:${c.summary}`)}`);
  lines.push(')', '_awsguard_command_flags() {', '  case $1 in');
  for (const c of commands) {
    const flags = visibleFlags(c.flags);
    if (!flags.length) continue;
    lines.push(`    (${c.name}) flags=(`, ...flags.map((f) => `      ${zshSpec(f)}`), '    ) ;;');
  }
  lines.push('    (*) flags=() ;;', '  esac', '}', '_awsguard_command_subcommands() {', '  case $1 in');
  for (const c of commands) {
    if (!c.subcommands?.length) continue;
    const operands = [...withProfiles(c, false).map((s) => `${s}:one`), ...withProfiles(c, true).map((s) => `${s}:many`)];
    lines.push(
      `    (${c.name})`,
      `      subcommands=(${c.subcommands.map((s) => quote('zsh', `${s.name}:${s.summary}`)).join(' ')})`,
      `      operands=(${operands.join(' ')}) ;;`,
    );
  }
  lines.push('    (*) subcommands=() operands=() ;;', '  esac', '}');
  return lines.join('\n') + '\n';
}

function fish(commands: CompletableCommand[]): string {
  const q = (s: string) => quote('fish', s);
  const lines = commands.map((c) => `complete -c awsguard -n __fish_use_subcommand -f -a ${c.name} -d ${q(c.summary)}`);
  lines.push(`complete -c awsguard -n '__fish_seen_subcommand_from help' -f -a ${q(commands.map((c) => c.name).join(' '))}`);
  for (const c of commands) {
    const subs = c.subcommands ?? [];
    if (subs.length) {
      const names = subs.map((s) => s.name).join(' ');
      // No file names anywhere after such a command: its operands are subcommands and profiles.
      lines.push(`complete -c awsguard -n '__fish_seen_subcommand_from ${c.name}' -f`);
      for (const s of subs) {
        lines.push(`complete -c awsguard -n '__fish_seen_subcommand_from ${c.name}; and not __fish_seen_subcommand_from ${names}' -f -a ${s.name} -d ${q(s.summary)}`);
      }
      const taking = [...withProfiles(c, false), ...withProfiles(c, true)];
      if (taking.length) lines.push(`complete -c awsguard -n '__fish_seen_subcommand_from ${c.name}; and __fish_seen_subcommand_from ${taking.join(' ')}' -f -a '(__awsguard_profiles)'`);
    }
    for (const f of visibleFlags(c.flags)) {
      const value = { profile: ` -x -a '(__awsguard_profiles)'`, file: ' -r -F', shell: ` -x -a 'bash zsh fish'`, any: ' -x' };
      lines.push(
        `complete -c awsguard -n '__fish_seen_subcommand_from ${c.name}'${f.short ? ` -s ${f.short}` : ''} -l ${f.name}` +
          `${f.kind ? value[f.kind] : ''} -d ${q(f.spec.description)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** The `generated` section of completions/ for `shell`, from these commands. */
export function generatedCompletionData(shell: Shell, commands: readonly CompletableCommand[]): string {
  const all = withExtras(commands);
  return { bash, zsh, fish }[shell](all);
}

/** The completion script for `shell`, with lists generated from these commands. */
export function renderCompletion(shell: Shell, commands: readonly CompletableCommand[], template = readAsset(completionPath(shell))): string {
  return replaceSection(template, 'generated', generatedCompletionData(shell, commands));
}
