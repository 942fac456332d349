/**
 * The contract between the dispatcher (src/cli.ts) and a command: a spec that says what the
 * command is and which flags it takes (src/commands/specs/, read without loading the command's
 * code), and a module whose `run` gets the flags already parsed.
 */
import type { FlagSpecs, ParsedArgs, ParseOptions } from '../args.js';
import { UsageError } from '../errors.js';
import { closest } from '../suggest.js';
import type { CommandContext } from './context.js';

export interface CommandSpec<F extends FlagSpecs = FlagSpecs, N extends string = string> {
  name: N;
  summary: string;
  usage: string;
  /** Longer text for `awsguard help NAME`. */
  details?: string;
  flags: F;
  /** Named actions that come first among the operands (`keys rotate NAME`), for help and completion. */
  subcommands?: readonly Subcommand[];
  /** How the dispatcher parses this command's argv (exec: the first positional starts the child). */
  parse?: ParseOptions;
}

export interface Subcommand {
  name: string;
  summary: string;
  /** What follows it: one profile name, any number of them (offered by completion), or nothing. */
  operand?: 'profile' | 'profiles';
}

/** What `run` gets: the parsed flags, and the command's own argv as typed (for the audit record). */
export interface Parsed<F extends FlagSpecs = FlagSpecs> extends ParsedArgs<F> {
  argv: readonly string[];
}

export interface CommandModule<F extends FlagSpecs = FlagSpecs> {
  // Method syntax on purpose: a module declared for its own flags fits the dispatcher's table.
  run(ctx: CommandContext, parsed: Parsed<F>): Promise<number>;
}

/** Keeps the name's literal type, so the dispatcher's table of modules must name every command. */
export function defineCommand<const N extends string, F extends FlagSpecs, const S extends readonly Subcommand[] | undefined = undefined>(
  spec: CommandSpec<F, N> & { subcommands?: S },
): CommandSpec<F, N> & { subcommands: S } {
  // Absent subcommands are `undefined`, which is what S is then.
  return spec as CommandSpec<F, N> & { subcommands: S };
}

/** The subcommand `given` names, or a usage error that lists them (and the one probably meant). */
export function subcommandOf<const S extends readonly Subcommand[]>(spec: { name: string; subcommands: S }, given: string | undefined): S[number]['name'] {
  const names = spec.subcommands.map((s) => s.name);
  if (given !== undefined && names.includes(given)) return given;
  const meant = given === undefined ? [] : closest(given, names, 1);
  const what = given === undefined ? 'say what to do' : `unknown subcommand "${given}"${meant.length ? ` (did you mean ${meant[0]}?)` : ''}`;
  throw new UsageError(`${spec.name}: ${what}: ${names.join(', ')} (see 'awsguard help ${spec.name}')`);
}
