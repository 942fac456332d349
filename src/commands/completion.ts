/** `awsguard completion zsh|bash|fish`: the completion script alone (init includes it). */
import { parseArgs } from '../args.js';
import { ExitCode, UsageError } from '../errors.js';
import { renderCompletion } from '../shell/completions.js';
import { parseShell } from '../shell/shells.js';
import type { CommandContext } from './context.js';
import { commands } from './registry.js';
import { writeData } from '../tty/output.js';
import { completionFlags } from './shell-flags.js';

export async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const { positionals } = parseArgs(argv, completionFlags, 'completion');
  if (positionals.length > 1) throw new UsageError(`completion: one shell at a time (got ${positionals.join(', ')})`);
  writeData(ctx.stdout, renderCompletion(parseShell(positionals[0], 'completion'), commands));
  return ExitCode.ok;
}
