/**
 * `awsguard console`: the AWS console as a profile, behind exec's guard (identity line, pins,
 * nesting, protection, typed confirmation; refusals audited). The plan (which exchange AWS
 * accepts, and what `--duration` may mean) is made before any credentials are fetched; the
 * sign-in URL never reaches an argv, a log, an error or the audit record.
 */
import { ExitCode, UsageError } from '../errors.js';
import { loadAwsConfig } from '../config/load.js';
import { resolveChain } from '../config/chain.js';
import { str } from '../config/model.js';
import { defaultProfileName } from '../credentials/resolver.js';
import { hasEnvironmentCredentials } from '../credentials/sources/environment.js';
import { appendAudit } from '../guard/audit.js';
import { loadSettings, type GuardSettings } from '../guard/settings.js';
import { timeLeft } from '../guard/banner.js';
import { hasTerminal } from '../tty/device.js';
import { checkDestination, federationEndpoint, serviceDestination } from '../console/destinations.js';
import { getSigninToken, loginUrl, SIGNIN_TOKEN_SECONDS } from '../console/federation.js';
import { ALLOW_ALL_POLICY, planConsole, refineByArn, type ConsolePlan, type Source } from '../console/plan.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { consoleCommand } from './specs/console.js';
import { writeData } from '../tty/output.js';
import { guardSession, type GuardedSession } from './guarded.js';
import { durationFrom, scopeFrom } from './open-session.js';

type Delivery = 'open' | 'print' | 'copy';

export async function run(ctx: CommandContext, { flags, positionals, argv }: Parsed<typeof consoleCommand.flags>): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`console: one profile at a time (got ${positionals.join(', ')})`);
  if (positionals.length && flags.profile !== undefined) throw new UsageError('console: name the profile once, as -p PROFILE or as the argument');
  const chosen = [flags.print && 'print', flags.copy && 'copy', flags.open && 'open'].filter(Boolean) as Delivery[];
  if (chosen.length > 1) throw new UsageError(`console: --${chosen.join(' and --')} are alternatives; pick one`);
  const delivery: Delivery = chosen[0] ?? 'open';
  if (flags.service !== undefined && flags.destination !== undefined) throw new UsageError('console: --service and --destination are alternatives; pick one');

  let profile = positionals[0] ?? flags.profile;
  if (profile === undefined && hasTerminal() && process.stdin.isTTY) {
    // As `use`: no profile in a terminal means choosing one.
    const { choose } = await import('./pick.js');
    const row = await choose(ctx, '');
    if (!row) return ExitCode.cancelled;
    profile = row.profile;
  }

  // Everything that can be refused without credentials is refused first.
  const settings = loadSettings(ctx.env);
  const { source, region } = sourceOf(ctx, profile, flags.region, settings.defaults.region);
  const pageFor = (r: string | undefined) => (flags.destination !== undefined ? checkDestination(flags.destination, r) : serviceDestination(flags.service, r));
  pageFor(region);
  federationEndpoint(region, ctx.env);
  const scoped = scopeFrom(flags) !== undefined;
  const requested = durationFrom(flags);
  let plan = planConsole(source, { scoped, ...(requested !== undefined ? { durationSeconds: requested } : {}) });

  // The resolver gets the credentials' own duration only where the console follows it.
  const { duration: _asked, ...rest } = flags;
  const sessionFlags = {
    ...rest,
    ...(profile !== undefined ? { profile } : {}),
    ...(plan.credentialSeconds !== undefined ? { duration: String(plan.credentialSeconds) } : {}),
    ...(plan.allowAll ? { policy: ALLOW_ALL_POLICY, scopeLabel: 'allow-all federation token' } : {}),
  };
  const session = await guardSession(ctx, sessionFlags, ['console', ...argv], { door: 'console' });
  const started = ctx.now();
  const { resolution, identity } = session;
  const finalRegion = resolution.region;
  const target = pageFor(finalRegion);
  const audit = (outcome: string, code: number, extra: Record<string, string | number | boolean | null> = {}) => {
    try {
      appendAudit(ctx.env, {
        ...session.audit,
        exit_code: code,
        duration_ms: ctx.now() - started,
        console: {
          destination_host: new URL(target).host,
          delivery,
          outcome,
          kind: plan.kind,
          session_duration_s: plan.sessionSeconds ?? null,
          ...(plan.allowAll ? { allow_all: true } : {}),
          ...extra,
        },
      });
    } catch (err) {
      // As exec: what has happened cannot be undone by a log that cannot be written; say so.
      ctx.stderr.write(`awsguard: warning: the audit log was not written: ${(err as Error).message}\n`);
    }
  };

  let url: string;
  try {
    plan = refineByArn(plan, identity.arn, resolution.profile);
    if (!flags.quiet || session.protected) noteLength(ctx, plan, session);
    const endpoint = federationEndpoint(finalRegion, ctx.env);
    const token = await getSigninToken({
      endpoint,
      credentials: resolution.credentials,
      ...(plan.sessionSeconds !== undefined ? { sessionDuration: plan.sessionSeconds } : {}),
      env: ctx.env,
      profile: resolution.profile,
    });
    url = loginUrl(endpoint, token, target);
  } catch (err) {
    audit('failed', (err as { exitCode?: number }).exitCode ?? ExitCode.internal, { error: errorName(err) });
    throw err;
  }

  try {
    const how = await deliver(ctx, delivery, url, session, settings);
    audit(how, ExitCode.ok);
  } catch (err) {
    audit('failed', (err as { exitCode?: number }).exitCode ?? ExitCode.internal, { error: errorName(err) });
    throw err;
  }
  return ExitCode.ok;
}

/** The chain (or the environment's credentials) and the region, as the resolver will see them. */
function sourceOf(ctx: CommandContext, profile: string | undefined, flagRegion: string | undefined, defaultRegion: string | undefined): { source: Source; region: string | undefined } {
  const envRegion = ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || defaultRegion;
  if (profile === undefined && hasEnvironmentCredentials(ctx.env)) {
    return { source: { environment: { sessionToken: Boolean(ctx.env.AWS_SESSION_TOKEN || ctx.env.AWS_SECURITY_TOKEN) } }, region: flagRegion ?? envRegion };
  }
  const config = loadAwsConfig({ env: ctx.env });
  const name = profile ?? defaultProfileName(ctx.env);
  const chain = resolveChain(config, name);
  return { source: { chain }, region: flagRegion ?? str(config.profiles.get(name), 'region') ?? envRegion };
}

/** Where AWS ties the console to the credentials' own end, say when that is. */
function noteLength(ctx: CommandContext, plan: ConsolePlan, session: GuardedSession): void {
  const ends = session.resolution.credentials.expiration;
  if (plan.sessionSeconds !== undefined || !ends) return;
  const left = timeLeft(ends, ctx.now()).replace(' left', '');
  if (plan.kind === 'chained-role') {
    ctx.stderr.write(`awsguard: note: role chaining: AWS takes no SessionDuration here and caps these credentials at 1h, so the console session ends with them (in ${left})\n`);
  } else if (plan.kind === 'federation') {
    ctx.stderr.write(`awsguard: note: the console session lasts as long as the federation token (${left})\n`);
  }
}

async function deliver(ctx: CommandContext, delivery: Delivery, url: string, session: GuardedSession, settings: GuardSettings): Promise<string> {
  const settingsFile = settings.file;
  const minutes = SIGNIN_TOKEN_SECONDS / 60;
  if (delivery === 'print') {
    // The account id, not the alias: an alias comes from IAM and is printed only through the banner's sanitiser.
    ctx.stderr.write(`awsguard: the URL below signs anyone who has it in to account ${session.identity.accountId} for the next ${minutes} minutes; do not share or log it\n`);
    writeData(ctx.stdout, url + '\n');
    return 'printed';
  }
  if (delivery === 'copy') {
    const { clipboardWay, copyWithTool, osc52 } = await import('../console/clipboard.js');
    const way = clipboardWay(ctx.env);
    if (way.kind === 'osc52') {
      const { openSync, writeSync, closeSync } = await import('node:fs');
      let fd: number;
      try {
        fd = openSync('/dev/tty', 'w');
      } catch {
        const { NoTerminalError } = await import('../console/errors.js');
        throw new NoTerminalError('--copy over SSH uses the terminal (OSC 52), and there is none; use --print');
      }
      try {
        writeSync(fd, osc52(url));
      } finally {
        closeSync(fd);
      }
      ctx.stderr.write(`awsguard: sign-in URL sent to your terminal's clipboard (OSC 52); it signs anyone in for ${minutes} minutes\n`);
      return 'copied-osc52';
    }
    await copyWithTool(way.argv, url, ctx.env);
    ctx.stderr.write(`awsguard: sign-in URL copied with ${way.argv[0]}; it signs anyone in for ${minutes} minutes\n`);
    return 'copied';
  }
  const browser = await import('../console/browser.js');
  const setting = settings.console?.browser !== undefined ? browser.parseBrowserSetting(settings.console.browser) : undefined;
  const { path, atimeNs } = await browser.writeRedirectFile(ctx.env, url);
  await browser.scheduleRemoval(path, atimeNs, ctx.env);
  const target = { profile: session.resolution.profile, accountId: session.identity.accountId, ...(session.identity.alias ? { alias: session.identity.alias } : {}), protected: session.protected };
  const commands = browser.launchCommands(path, url, target, { env: ctx.env, ...(setting ? { setting } : {}), ...(settingsFile ? { settingsFile } : {}) });
  let used: string;
  try {
    used = await browser.launch(commands, ctx.env, settingsFile);
  } catch (err) {
    // Nothing will read it: the sign-in URL goes now rather than in a minute.
    const { removeFile } = await import('../credentials/secure-files.js');
    removeFile(path);
    throw err;
  }
  ctx.stderr.write(`awsguard: opening the console in ${used}\n`);
  return 'opened';
}

/** For the audit record: AWS's code or the error's class, never its message (which may name paths). */
function errorName(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'error';
}
