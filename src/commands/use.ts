/**
 * `awsguard use PROFILE --shell SHELL`: what the shell integration's `awsguard use` evals.
 * The same guard as exec (identity line, typed confirmation), then, on stdout only, the
 * lines that set the session in the calling shell and unset whatever would shadow it.
 */
import { ExitCode, UsageError } from '../errors.js';
import { shellExports, unsetList } from '../exec/child-env.js';
import { INJECTED, MARKERS } from '../exec/env-vars.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { use } from './specs/use.js';
import { auditOrWarn, guardSession, sessionEnv } from './guarded.js';
import { writeData } from '../tty/output.js';

export async function run(ctx: CommandContext, { flags, positionals, argv }: Parsed<typeof use.flags>): Promise<number> {
  const shell = flags.shell;
  if (shell === undefined) {
    throw new UsageError('use: switches the current shell, so it needs the shell integration: eval "$(awsguard init zsh)" (or bash, fish); or run awsguard exec');
  }
  if (!['zsh', 'bash', 'sh', 'fish'].includes(shell)) throw new UsageError(`use: unknown --shell ${shell} (zsh, bash, sh or fish)`);
  const kind = shell === 'fish' ? 'fish' : 'sh';
  const owned: string[] = [...INJECTED, ...Object.values(MARKERS)];
  if (flags.off) {
    writeData(ctx.stdout, shellExports(kind, {}, owned));
    return ExitCode.ok;
  }
  if (flags.sso && (positionals.length || flags.profile !== undefined)) throw new UsageError('use: --sso is for choosing in the picker; with a profile named, leave it out');
  if (positionals.length > 1) throw new UsageError(`use: one profile at a time (got ${positionals.join(', ')})`);
  let profile = positionals[0] ?? flags.profile;
  if (profile === undefined) {
    // No profile: choose one in the picker (it needs a terminal and says so when there is none).
    const { choose } = await import('./pick.js');
    const row = await choose(ctx, '', { sso: Boolean(flags.sso) });
    if (!row) return ExitCode.cancelled;
    profile = row.profile;
  }
  const session = await guardSession(ctx, { ...flags, profile }, ['use', ...argv], { door: 'use' });
  const env = sessionEnv(ctx.env, session, ctx.now(), 'use');
  const set: Record<string, string> = {};
  for (const name of owned) if (env[name] !== undefined) set[name] = env[name]!;
  // Unset what awsguard owns but this session lacks (e.g. a region), and whatever the shell
  // holds that would shadow or contradict the new session (AWS_PROFILE, another tool's keys).
  writeData(ctx.stdout, shellExports(kind, set, unsetList(ctx.env, set)));
  // A protected session's record was written before the credentials were printed.
  if (!session.recorded) auditOrWarn(ctx, { ...session.audit, exit_code: 0, duration_ms: 0 });
  return ExitCode.ok;
}
