/** `awsguard init zsh|bash|fish [--no-prompt]`: the shell integration, to eval. */
import { parseArgs } from '../args.js';
import { ExitCode, UsageError } from '../errors.js';
import { renderInit, resolveBinary } from '../shell/init-script.js';
import { parseShell } from '../shell/shells.js';
import type { CommandContext } from './context.js';
import { commands } from './registry.js';
import { writeData } from '../tty/output.js';
import { initFlags } from './shell-flags.js';

export async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, initFlags, 'init');
  if (positionals.length > 1) throw new UsageError(`init: one shell at a time (got ${positionals.join(', ')})`);
  const shell = parseShell(positionals[0], 'init');
  writeData(ctx.stdout, renderInit(shell, { bin: resolveBinary(process.argv[1]), prompt: !flags['no-prompt'], commands }));
  return ExitCode.ok;
}
