/**
 * Entry point: dispatches argv to a command, turns typed errors into one line and an
 * exit code. The dispatcher parses the flags each command declares (src/commands/specs/) and
 * calls its `run(ctx, parsed)`; commands are imported only once chosen, so `--help` and the
 * fast paths never load the AWS SDK or Ink.
 */
import { parseArgs } from './args.js';
import { AwsguardError, ExitCode, UsageError } from './errors.js';
import { closest } from './suggest.js';
import { commands, findCommand, type CommandName } from './commands/specs/index.js';
import type { CommandModule, CommandSpec } from './cli/command.js';
import type { CommandContext } from './cli/context.js';
import { installNetwork } from './commands/network.js';
import { commandHelp, mainHelp, version } from './help.js';
import { isInteractive } from './tty/fd-output.js';

export async function main(argv: string[], ctx: CommandContext): Promise<number> {
  try {
    return await dispatch(argv, ctx);
  } catch (err) {
    return report(err, ctx);
  }
}

async function dispatch(argv: string[], ctx: CommandContext): Promise<number> {
  const [first, ...rest] = argv;
  // Bare `awsguard` in a terminal opens the picker, like `awsguard pick`; elsewhere it helps.
  if (first === undefined && isInteractive(ctx.stdout)) return dispatch(['pick'], ctx);
  if (first === undefined || first === '-h' || first === '--help') {
    ctx.stdout.write(mainHelp());
    return ExitCode.ok;
  }
  if (first === '-V' || first === '--version') {
    ctx.stdout.write(`awsguard ${version}\n`);
    return ExitCode.ok;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      ctx.stdout.write(mainHelp());
      return ExitCode.ok;
    }
    const info = findCommand(topic);
    if (!info) throw unknownCommand(topic);
    ctx.stdout.write(commandHelp(info));
    return ExitCode.ok;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown flag ${first}; flags go after the command (see 'awsguard --help')`);
  // `off` is `use --off`: the shell function handles both, and the binary explains what it needs.
  if (first === 'off') return dispatch(['use', '--off', ...rest], ctx);
  const info = findCommand(first);
  if (!info) throw unknownCommand(first);
  // `--help` anywhere before `--` shows the command's help rather than running it.
  const dashdash = rest.indexOf('--');
  const own = dashdash === -1 ? rest : rest.slice(0, dashdash);
  if (own.includes('--help') || own.includes('-h')) {
    ctx.stdout.write(commandHelp(info));
    return ExitCode.ok;
  }
  return runCommand(ctx, info, rest);
}

/**
 * Each command's code, imported when it runs. The type asks for every command in the specs, so
 * one cannot be declared and left without code. (The bundle turns these into lazy requires.)
 */
const modules: Record<CommandName, () => Promise<CommandModule>> = {
  exec: () => import('./commands/exec.js'),
  use: () => import('./commands/use.js'),
  console: () => import('./commands/console.js'),
  profiles: () => import('./commands/profiles.js'),
  whoami: () => import('./commands/whoami.js'),
  export: () => import('./commands/export.js'),
  login: () => import('./commands/login.js'),
  logout: () => import('./commands/logout.js'),
  pick: () => import('./commands/pick.js'),
  init: () => import('./commands/init.js'),
  completion: () => import('./commands/completion.js'),
  sso: () => import('./commands/sso.js'),
  keys: () => import('./commands/keys.js'),
  audit: () => import('./commands/audit.js'),
  doctor: () => import('./commands/doctor.js'),
};

/** Parses `argv` by the command's spec, then loads and runs it; errors are thrown, not reported (tests call this). */
export async function runCommand(ctx: CommandContext, spec: CommandSpec, argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, spec.flags, spec.name, spec.parse);
  const mod = await modules[spec.name as CommandName]();
  installNetwork(ctx);
  return await mod.run(ctx, { ...parsed, argv });
}

function unknownCommand(name: string): UsageError {
  const near = closest(name, [...commands.map((c) => c.name), 'help'], 1);
  return new UsageError(`unknown command "${name}"${near.length ? ` (did you mean ${near[0]}?)` : ''}; see 'awsguard --help'`);
}

/** By shape, not class: the picker is a separate bundle with its own copy of the error classes. */
function isAwsguardError(err: unknown): err is AwsguardError {
  return err instanceof AwsguardError || (err instanceof Error && typeof (err as { exitCode?: unknown }).exitCode === 'number');
}

function report(err: unknown, ctx: CommandContext): number {
  if (isAwsguardError(err)) {
    ctx.stderr.write(`awsguard: ${err.message}\n`);
    return err.exitCode;
  }
  // A bug, not bad input: still one line, with a way to get the trace.
  const message = err instanceof Error ? err.message : String(err);
  ctx.stderr.write(`awsguard: internal error: ${message}\n`);
  if (ctx.env.AWSGUARD_DEBUG && err instanceof Error && err.stack) ctx.stderr.write(err.stack + '\n');
  else ctx.stderr.write('awsguard: set AWSGUARD_DEBUG=1 for details, and please report it\n');
  return ExitCode.internal;
}

