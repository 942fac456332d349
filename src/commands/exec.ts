import { ExitCode, GuardRefusal, UsageError } from '../errors.js';
import { getCallerIdentity } from '../credentials/sts.js';
import { decide } from '../guard/decide.js';
import { appendAudit } from '../guard/audit.js';
import type { CredentialServer } from '../exec/credential-server.js';
import { MARKERS } from '../exec/env-vars.js';
import { runChild } from '../exec/supervise.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import { exec } from './specs/exec.js';
import { guardSession, sessionEnv, type GuardedSession } from './guarded.js';
import { openSessionWith, resolveOptions } from './open-session.js';
import { timeLeft } from '../guard/banner.js';
import { checkTrailingFlags } from './exec-trailing-flags.js';
import { loadAwsConfig } from '../config/load.js';

export async function run(ctx: CommandContext, { flags, rest, argv }: Parsed<typeof exec.flags>): Promise<number> {
  if (!rest?.length) throw new UsageError('exec: no command given (awsguard exec -p PROFILE -- COMMAND [ARGS...])');
  const note = checkTrailingFlags({ argv, command: rest, specs: exec.flags, profile: flags.profile, isProfile: (name) => configHasProfile(ctx, name) });
  if (note) ctx.stderr.write(`awsguard: ${note}\n`);
  const session = await guardSession(ctx, flags, ['exec', ...argv], { door: 'exec' });
  const { resolution } = session;
  let env = sessionEnv(ctx.env, session, ctx.now(), 'exec');
  const useServer = flags.server ?? session.settings.serverProfiles.has(resolution.profile);
  const server = useServer ? await startServer(ctx, flags, session) : undefined;
  if (server) env = serverEnv(env, server);
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
    await server?.close();
    try {
      appendAudit(ctx.env, {
        ...session.audit,
        exit_code: code,
        duration_ms: ctx.now() - started,
        ...(server ? { server: { requests: server.stats.requests, renewals: server.stats.renewals, refused: server.stats.refused } } : {}),
      });
    } catch (err) {
      // The child has run: its exit code is the answer; a log that cannot be written is a warning.
      ctx.stderr.write(`awsguard: warning: the audit log was not written: ${(err as Error).message}\n`);
    }
  }
}

/** The child reads credentials from the server instead of the environment, so they can be renewed. */
function serverEnv(env: Record<string, string>, server: CredentialServer): Record<string, string> {
  const out = { ...env, ...server.env() };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', MARKERS.expires]) delete out[name];
  return out;
}

async function startServer(ctx: CommandContext, flags: Parameters<typeof resolveOptions>[1], session: GuardedSession): Promise<CredentialServer> {
  // Loaded here: it brings node:http and node:crypto, which a plain exec does not need.
  const { RENEWAL_MARGIN_MS, startCredentialServer } = await import('../exec/credential-server.js');
  const { resolution } = session;
  // Renewals run unattended: no MFA prompt in the middle of the child's output. A cached MFA
  // session keeps renewing role hops; once it ends, the person is told before the credentials do.
  // Stages with less left than the server's renewal margin are fetched again, or the cache would
  // hand back the very credentials being renewed.
  // An MFA helper (mfa_process, ykman) may still run: it asks nobody to type.
  const base = resolveOptions(ctx, flags, session.settings.defaults);
  const { code: _typedOnce, prompt: _noPrompt, ...helpers } = base.mfa;
  const options = { ...base, mfa: helpers, cacheMarginSeconds: RENEWAL_MARGIN_MS / 1000 + 60 };
  let warned = false;
  const server = await startCredentialServer({
    initial: resolution.credentials,
    now: ctx.now,
    renew: async () => {
      // The same road as the first session (a web identity token file is read again each time),
      // and the guard again: a renewal must reach the account this run was granted.
      const renewed = (await openSessionWith(ctx, flags, options)).resolution;
      const who = renewed.identity ?? (await getCallerIdentity({ env: ctx.env, region: renewed.region ?? 'us-east-1', profile: renewed.profile }, renewed.credentials));
      const verdict = decide(
        { settings: session.settings, door: 'server', profile: resolution.profile, flags: {}, grantedAccount: session.identity.accountId },
        { accountId: who.accountId, aliasSource: 'none' },
      );
      if (verdict.refusal) throw new GuardRefusal(verdict.refusal.message, verdict.refusal.reason);
      return renewed.credentials;
    },
    onRenewFailure: (err) => {
      if (warned) return;
      warned = true;
      const ends = resolution.credentials.expiration;
      ctx.stderr.write(`awsguard: cannot renew ${resolution.profile}'s credentials${ends ? ` (the current ones end in ${timeLeft(ends, ctx.now()).replace(' left', '')})` : ''}: ${err.message}\n`);
    },
    onRenewed: () => {
      warned = false;
    },
  });
  ctx.stderr.write(`awsguard: serving renewable credentials to the child at ${server.url}\n`);
  return server;
}

/** For the trailing-flag check only: a config that cannot be read names no profile (openSession reports it). */
function configHasProfile(ctx: CommandContext, name: string): boolean {
  try {
    return loadAwsConfig({ env: ctx.env }).profiles.has(name);
  } catch {
    return false;
  }
}
