/** `awsguard completion zsh|bash|fish`: the completion script alone (init includes it). */
import { ExitCode, UsageError } from '../errors.js';
import { renderCompletion } from '../shell/completions.js';
import { parseShell } from '../shell/shells.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import { commands } from './specs/index.js';
import type { completion } from './specs/completion.js';
import { writeData } from '../tty/output.js';

export async function run(ctx: CommandContext, { positionals }: Parsed<typeof completion.flags>): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`completion: one shell at a time (got ${positionals.join(', ')})`);
  writeData(ctx.stdout, renderCompletion(parseShell(positionals[0], 'completion'), commands));
  return ExitCode.ok;
}
