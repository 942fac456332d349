/**
 * The guard's sequence, shared by every door to credentials (exec, use, export, console): what
 * can be refused before any credentials are fetched, then credentials, the real identity, the
 * one decision (`guard/decide.ts`), the identity line, the typed confirmation, and the audit.
 * The rules live in the decision; this file only does the I/O around it.
 */
import { hostname, userInfo } from 'node:os';
import { ConfigError, GuardRefusal, ProfileNotFoundError } from '../errors.js';
import { str, type AwsConfig } from '../config/model.js';
import { chainAccountId, resolveChain } from '../config/chain.js';
import { loadAwsConfig } from '../config/load.js';
import { defaultProfileName, type Resolution } from '../credentials/resolver.js';
import { hasEnvironmentCredentials } from '../credentials/sources/environment.js';
import { AuditError, AuditUnwritable, appendAudit, type AuditRecord } from '../guard/audit.js';
import { formatBanner } from '../tty/identity-line.js';
import { confirmTyped, type Confirm } from '../tty/confirm.js';
import { widthOf } from '../tty/output.js';
import { confirmationHeld, holdConfirmation, terminalSession } from '../guard/confirm-window.js';
import { decide, outerSession, preDecide, type Door, type GuardInput, type Verdict } from '../guard/decide.js';
import { identify, type Identity } from '../guard/identity.js';
import { PinMismatch } from '../guard/protection.js';
import { loadSettings, type GuardSettings } from '../guard/settings.js';
import { xdgPaths } from '../xdg-dirs.js';
import { useColor, type CommandContext } from '../cli/context.js';
import { openSession, scopeFrom, warner } from './open-session.js';
import { childEnv } from '../exec/child-env.js';
import { MARKERS } from '../exec/env-vars.js';
import type { FlagValues } from '../args.js';
import type { sessionFlags } from './specs/shared.js';

/** `scopeLabel`: the identity line's word for the scope when the command knows better (console: an allow-all federation token). */
type Flags = FlagValues<typeof sessionFlags> & { confirm?: string; quiet?: boolean; nest?: boolean; scopeLabel?: string };

export type Confirmation = 'typed' | 'flag' | 'window' | 'not-needed';

export interface GuardedSession {
  resolution: Resolution;
  identity: Identity;
  settings: GuardSettings;
  protected: boolean;
  confirmation: Confirmation;
  /** What the audit record starts with; the caller adds the outcome. */
  audit: AuditRecord;
  /** A protected session's grant was recorded before anything was handed out. */
  recorded: boolean;
}

export interface GuardOptions {
  /** Which door asks; `exec` unless said (the nesting rule applies to all but `use`). */
  door?: Door;
  /** `protected`: the identity line only for a protected account (export, whose stdout is data). */
  banner?: 'default' | 'protected';
  /** Asks for the typed confirmation (tty/confirm.ts); a test may pass its own. */
  confirm?: Confirm;
}

export async function guardSession(ctx: CommandContext, flags: Flags, argv: string[], options: GuardOptions = {}): Promise<GuardedSession> {
  const door = options.door ?? 'exec';
  const settings = loadSettings(ctx.env);
  const stateDir = xdgPaths(ctx.env).stateDir;
  const started = ctx.now();
  const outer = outerSession(ctx.env);
  const session = door === 'export' && settings.confirmWindowSeconds > 0 ? terminalSession() : undefined;
  const record = (fields: Partial<AuditRecord> & Pick<AuditRecord, 'profile' | 'account_id'>): AuditRecord => ({
    time: new Date(started).toISOString(),
    user: safeUser(),
    host: hostname(),
    account_alias: null,
    role_arn: '',
    protected: true,
    confirmation: null,
    refused: null,
    argv,
    policy: null,
    exit_code: null,
    duration_ms: null,
    run: `${process.pid}-${started}`,
    ...fields,
  });
  const refuse = (err: GuardRefusal, audit: AuditRecord): never => {
    // The refusal is the answer either way; a log that cannot record it must not turn it into an internal error.
    auditOrWarn(ctx, { ...audit, refused: err.reason });
    throw err;
  };

  // Before any credentials: a refusal the real identity could not overturn comes before an MFA prompt.
  const early = earlyLook(ctx, flags);
  const input: GuardInput = {
    settings,
    door,
    profile: early.profile,
    ...(early.pin ? { profilePin: early.pin } : {}),
    ...(outer ? { outer } : {}),
    flags: { ...(flags.nest ? { nest: true } : {}), ...(flags.confirm !== undefined ? { confirm: flags.confirm } : {}) },
  };
  const pre = preDecide(input, { ...(early.claimed ? { accountId: early.claimed } : {}) });
  const preAudit = record({ profile: early.profile, account_id: early.claimed ?? '', protected: pre.protectedForSure });
  if (pre.refusal) refuse(refusalError(pre.refusal, early.profile, early.claimed ?? ''), preAudit);

  const { resolution } = await openSession(ctx, flags, settings.defaults, early.config);
  const identity = await identify(resolution, {
    env: ctx.env,
    now: ctx.now,
    cacheDir: xdgPaths(ctx.env).cacheDir,
    settingsAliases: settings.aliases,
    warn: warner(ctx),
  });
  input.profile = resolution.profile;
  input.heldConfirmation = confirmationHeld(stateDir, session, identity.accountId, ctx.now());
  const verdict = decide(input, {
    accountId: identity.accountId,
    aliasSource: identity.aliasSource,
    ...(identity.alias ? { alias: identity.alias } : {}),
    ...(identity.aliasError ? { aliasError: identity.aliasError } : {}),
  });
  const audit = record({
    profile: resolution.profile,
    account_id: identity.accountId,
    account_alias: identity.alias ?? null,
    role_arn: identity.arn,
    protected: verdict.protected,
    policy: resolution.scoped ? { arns: scopeFrom(flags)?.policyArns ?? [], inline: flags.policy !== undefined, read_only: Boolean(flags['read-only']) } : null,
  });
  if (verdict.refusal) refuse(refusalError(verdict.refusal, resolution.profile, identity.accountId), audit);

  const showBanner = verdict.protected || (!flags.quiet && (options.banner ?? 'default') === 'default');
  if (showBanner) {
    ctx.stderr.write(banner(ctx, resolution, identity, verdict, flags) + '\n');
    for (const note of resolution.notes) ctx.stderr.write(`awsguard: note: ${note}\n`);
    if (verdict.hint) ctx.stderr.write(`awsguard: the alias of ${identity.accountId} is unknown (${identity.aliasError ?? 'no answer'}): ${verdict.hint}\n`);
  }

  let confirmation: Confirmation = 'not-needed';
  if (verdict.confirm) {
    const need = verdict.confirm;
    if (need.satisfiedBy) confirmation = need.satisfiedBy;
    else {
      try {
        confirmation = await (options.confirm ?? confirmTyped)(need.expected, {
          prompt: `${resolution.profile} reaches ${need.expected}, a protected account (${verdict.reasons.join('; ')}). Type its ${need.what} to continue: `,
        });
      } catch (err) {
        if (err instanceof GuardRefusal) refuse(err, audit);
        throw err;
      }
      if (door === 'export') holdConfirmation(stateDir, session, identity.accountId, ctx.now(), settings.confirmWindowSeconds, warner(ctx));
    }
  }
  const granted: AuditRecord = { ...audit, confirmation };
  let recorded = false;
  if (verdict.protected) {
    // Nothing unrecorded happens in a protected account: the grant is written before anything
    // is handed out, and a log that cannot take it stops the run.
    try {
      appendAudit(ctx.env, door === 'exec' ? { ...granted, phase: 'start' } : { ...granted, exit_code: 0, duration_ms: ctx.now() - started });
    } catch (err) {
      if (err instanceof AuditError) throw new AuditUnwritable(identity.alias ?? identity.accountId, err);
      throw err;
    }
    recorded = true;
  }
  return { resolution, identity, settings, protected: verdict.protected, confirmation, audit: granted, recorded };
}

/**
 * Appends a record that may be lost without harm (a refusal, an unprotected run: nothing was
 * handed out, or nothing in production), saying so on stderr. A protected grant is never
 * written this way: its record failing stops the run.
 */
export function auditOrWarn(ctx: CommandContext, record: AuditRecord): void {
  try {
    appendAudit(ctx.env, record);
  } catch (err) {
    if (!(err instanceof AuditError)) throw err;
    ctx.stderr.write(`awsguard: warning: the audit log was not written: ${err.message}\n`);
  }
}

interface EarlyLook {
  profile: string;
  /** The account the config claims, when it claims one. */
  claimed?: string;
  pin?: string;
  /** The AWS config read for the look, so it is not read twice. */
  config?: AwsConfig;
}

/** What the config says before anything is resolved; a config that cannot be read is reported by openSession. */
function earlyLook(ctx: CommandContext, flags: Flags): EarlyLook {
  if (flags.profile === undefined && hasEnvironmentCredentials(ctx.env)) return { profile: ctx.env.AWSGUARD_PROFILE || 'environment' };
  const profile = flags.profile ?? defaultProfileName(ctx.env);
  // The environment's web identity (AWS_ROLE_ARN, a token file) can reshape the chain: claim nothing then.
  if (flags.profile === undefined && (ctx.env.AWS_ROLE_ARN || ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE)) return { profile };
  let config: AwsConfig;
  try {
    config = loadAwsConfig({ env: ctx.env });
  } catch (err) {
    if (err instanceof ConfigError) return { profile };
    throw err;
  }
  const pin = str(config.profiles.get(profile), 'awsguard_account');
  let claimed: string | undefined;
  try {
    claimed = chainAccountId(resolveChain(config, profile));
  } catch (err) {
    // Reported by openSession, which says what to do when no profile was given at all.
    if (!(err instanceof ConfigError || err instanceof ProfileNotFoundError)) throw err;
  }
  return { profile, config, ...(claimed ? { claimed } : {}), ...(pin ? { pin } : {}) };
}

function refusalError(refusal: NonNullable<Verdict['refusal']>, profile: string, reached: string): GuardRefusal {
  if (refusal.reason === 'pin-mismatch') return new PinMismatch(profile, refusal.pinned!, reached, refusal.message);
  return new GuardRefusal(refusal.message, refusal.reason);
}

function banner(ctx: CommandContext, resolution: Resolution, identity: Identity, verdict: Verdict, flags: Flags): string {
  return formatBanner(
    {
      profile: resolution.profile,
      accountId: identity.accountId,
      ...(identity.alias ? { alias: identity.alias } : {}),
      role: identity.principal,
      ...(resolution.region ? { region: resolution.region } : {}),
      ...(resolution.credentials.expiration ? { expiresAt: resolution.credentials.expiration } : {}),
      now: ctx.now(),
      protected: verdict.protected,
      ...(resolution.scoped ? { scoped: scopeWords(flags) } : {}),
    },
    { color: useColor(ctx.stderr, ctx.env), width: widthOf(ctx.stderr) },
  );
}

function scopeWords(flags: Flags): string {
  if (flags.scopeLabel) return flags.scopeLabel;
  if (flags['read-only'] && !flags.policy && !flags['policy-arn']?.length) return 'read-only';
  return 'scoped';
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The environment of a session for a child (exec) or for the calling shell (use). */
export function sessionEnv(parent: NodeJS.ProcessEnv, session: GuardedSession, now: number, kind: 'exec' | 'use' = 'exec'): Record<string, string> {
  const { resolution, identity } = session;
  const known = resolution.credentials.expiration;
  const env = childEnv(parent, {
    credentials: { ...resolution.credentials, expiration: known ?? new Date(now) },
    profile: resolution.profile,
    accountId: identity.accountId,
    ...(identity.alias ? { alias: identity.alias } : {}),
    ...(resolution.region ? { region: resolution.region } : {}),
    roleArn: identity.arn,
    protected: session.protected,
    scoped: resolution.scoped,
  });
  env[MARKERS.session] = kind;
  // A session token pasted into a profile has no known end: say nothing rather than guess.
  if (!known) {
    delete env.AWS_CREDENTIAL_EXPIRATION;
    delete env[MARKERS.expires];
  }
  return env;
}
