/** `awsguard init zsh|bash|fish [--no-prompt]`: the shell integration, to eval. */
import { ExitCode, UsageError } from '../errors.js';
import { renderInit, resolveBinary } from '../shell/init-script.js';
import { parseShell } from '../shell/shells.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import { commands } from './specs/index.js';
import type { init } from './specs/init.js';
import { writeData } from '../tty/output.js';

export async function run(ctx: CommandContext, { flags, positionals }: Parsed<typeof init.flags>): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`init: one shell at a time (got ${positionals.join(', ')})`);
  const shell = parseShell(positionals[0], 'init');
  writeData(ctx.stdout, renderInit(shell, { bin: resolveBinary(process.argv[1]), prompt: !flags['no-prompt'], commands }));
  return ExitCode.ok;
}
