/**
 * The contract between the dispatcher (src/cli.ts) and a command: a spec that says what the
 * command is and which flags it takes (src/commands/specs/, read without loading the command's
 * code), and a module whose `run` gets the flags already parsed.
 */
import type { FlagSpecs, ParsedArgs, ParseOptions } from '../args.js';
import type { CommandContext } from './context.js';

export interface CommandSpec<F extends FlagSpecs = FlagSpecs, N extends string = string> {
  name: N;
  summary: string;
  usage: string;
  /** Longer text for `awsguard help NAME`. */
  details?: string;
  flags: F;
  /** How the dispatcher parses this command's argv (exec: the first positional starts the child). */
  parse?: ParseOptions;
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
export function defineCommand<const N extends string, F extends FlagSpecs>(spec: CommandSpec<F, N>): CommandSpec<F, N> {
  return spec;
}
