import { parseArgs } from '../args.js';
import { ExitCode, UsageError } from '../errors.js';
import { appendAudit } from '../guard/audit.js';
import { childEnv } from '../exec/child-env.js';
import { runChild } from '../exec/supervise.js';
import type { CommandContext } from './context.js';
import { guardSession } from './guarded.js';
import { execFlags } from './registry.js';

export async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const { flags, rest } = parseArgs(argv, execFlags, 'exec', { commandAfterPositional: true });
  if (!rest?.length) throw new UsageError("exec: no command given (awsguard exec -p PROFILE -- COMMAND [ARGS...])");
  const session = await guardSession(ctx, flags, ['exec', ...argv]);
  const { resolution, identity } = session;
  const env = childEnv(ctx.env, {
    credentials: { ...resolution.credentials, expiration: resolution.credentials.expiration ?? new Date(ctx.now() + 3600_000) },
    profile: resolution.profile,
    accountId: identity.accountId,
    ...(identity.alias ? { alias: identity.alias } : {}),
    ...(resolution.region ? { region: resolution.region } : {}),
    roleArn: identity.arn,
    protected: session.protected,
    scoped: resolution.scoped,
  });
  const started = ctx.now();
  let code: number = ExitCode.internal;
  try {
    const result = await runChild(rest, env);
    code = result.code;
    return code;
  } catch (err) {
    if (err instanceof Error && 'exitCode' in err) code = (err as { exitCode: number }).exitCode;
    throw err;
  } finally {
    try {
      appendAudit(ctx.env, { ...session.audit, exit_code: code, duration_ms: ctx.now() - started });
    } catch (err) {
      // The child has run: its exit code is the answer; a log that cannot be written is a warning.
      ctx.stderr.write(`awsguard: warning: the audit log was not written: ${(err as Error).message}\n`);
    }
  }
}
