/**
 * What every command that needs credentials shares: the flags, turning them into a scope,
 * and resolving the profile with the MFA prompt on the terminal.
 */
import { readFileSync } from 'node:fs';
import type { FlagValues } from '../args.js';
import type { sessionFlags } from './specs/shared.js';
import { AwsguardError, CredentialError, ProfileNotFoundError, UsageError } from '../errors.js';
import { loadAwsConfig } from '../config/load.js';
import type { AwsConfig } from '../config/model.js';
import { xdgPaths } from '../xdg-dirs.js';
import {
  defaultProfileName,
  resolveEnvironment,
  resolveProfile,
  type Resolution,
  type ResolveOptions,
} from '../credentials/resolver.js';
import { hasEnvironmentCredentials } from '../credentials/sources/environment.js';
import { READ_ONLY_POLICY_ARN, type Scope } from '../credentials/types.js';
import { parseDuration, type GuardSettings } from '../guard/settings.js';
import type { CommandContext } from '../cli/context.js';
import { askOnTerminal } from '../tty/ask.js';
import { hasTerminal } from '../tty/device.js';
import { keyStoreAccess } from './key-passphrase.js';


type SessionFlagValues = FlagValues<typeof sessionFlags>;

export function scopeFrom(flags: SessionFlagValues): Scope | undefined {
  const arns = [...(flags['policy-arn'] ?? [])];
  if (flags['read-only']) arns.push(READ_ONLY_POLICY_ARN);
  for (const arn of arns) if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/.+/.test(arn)) throw new UsageError(`--policy-arn: not a managed policy ARN: ${arn}`);
  let policy: string | undefined;
  if (flags.policy !== undefined) {
    const text = flags.policy.trimStart().startsWith('{') ? flags.policy : readPolicyFile(flags.policy);
    try {
      policy = JSON.stringify(JSON.parse(text));
    } catch (err) {
      throw new UsageError(`--policy: not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!arns.length && policy === undefined) return undefined;
  return { policyArns: [...new Set(arns)], readOnly: Boolean(flags['read-only']), ...(policy !== undefined ? { policy } : {}) };
}

function readPolicyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--policy: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function durationFrom(flags: SessionFlagValues, fallback?: number): number | undefined {
  if (flags.duration === undefined) return fallback;
  const seconds = parseDuration(flags.duration);
  if (seconds === undefined) throw new UsageError(`--duration: cannot read "${flags.duration}" (use e.g. 15m, 1h, 3600)`);
  return seconds;
}

export interface OpenedSession {
  config: AwsConfig | undefined;
  resolution: Resolution;
}

const warned = new WeakMap<CommandContext, Set<string>>();

/** Writes a warning to stderr once per command: the cache that could not take the session is named once, not per write. */
export function warner(ctx: CommandContext): (text: string) => void {
  return (text) => {
    let seen = warned.get(ctx);
    if (!seen) warned.set(ctx, (seen = new Set()));
    if (seen.has(text)) return;
    seen.add(text);
    ctx.stderr.write(`awsguard: warning: ${text}\n`);
  };
}

/** `defaults` are awsguard's settings `[defaults]`: used when neither the flags nor the profile decide. */
export function resolveOptions(ctx: CommandContext, flags: SessionFlagValues, defaults: GuardSettings['defaults'] = {}): ResolveOptions {
  const terminal = hasTerminal();
  const duration = durationFrom(flags, defaults.durationSeconds);
  const scope = scopeFrom(flags);
  return {
    env: ctx.env,
    now: ctx.now,
    cacheDir: xdgPaths(ctx.env).cacheDir,
    mfa: {
      ...(flags['mfa-code'] ? { code: flags['mfa-code'] } : {}),
      ...(terminal ? { prompt: (serial: string) => askOnTerminal(`MFA code for ${serial}: `, { echo: false }) } : {}),
      ...(defaults.ykmanAccount ? { ykmanAccount: defaults.ykmanAccount } : {}),
      notice: (text: string) => ctx.stderr.write(`awsguard: ${text}\n`),
    },
    ...(flags.region ? { region: flags.region } : {}),
    ...(defaults.region ? { defaultRegion: defaults.region } : {}),
    ...(scope ? { scope } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    ...(flags.refresh ? { refresh: true } : {}),
    keyStore: keyStoreAccess(ctx.env, defaults),
    warn: warner(ctx),
  };
}

/**
 * The profile's session. With no -p and credentials in the environment, botocore would use
 * those, and so do we; otherwise $AWS_DEFAULT_PROFILE, $AWS_PROFILE, then "default".
 */
/** `config`: the AWS config when the caller has read it already (the guard looks before it resolves). */
export async function openSession(ctx: CommandContext, flags: SessionFlagValues, defaults: GuardSettings['defaults'] = {}, config?: AwsConfig): Promise<OpenedSession> {
  return openSessionWith(ctx, flags, resolveOptions(ctx, flags, defaults), config);
}

/**
 * botocore's order when no profile is named: the environment's keys, then the profile's role
 * settings, then web identity (AWS_WEB_IDENTITY_TOKEN_FILE & co., each winning over the
 * profile's key), then the profile's other sources. A named profile (-p) ignores all of the
 * environment, as `aws --profile` does. Renewals (exec --server) come through here too, so they
 * take the same road as the first session.
 */
export async function openSessionWith(ctx: CommandContext, flags: Pick<SessionFlagValues, 'profile'>, options: ResolveOptions, known?: AwsConfig): Promise<OpenedSession> {
  if (flags.profile === undefined && hasEnvironmentCredentials(ctx.env)) {
    return { config: undefined, resolution: await resolveEnvironment(options) };
  }
  const config = known ?? loadAwsConfig({ env: ctx.env });
  const profile = flags.profile ?? defaultProfileName(ctx.env);
  try {
    return { config, resolution: await resolveProfile(config, profile, { ...options, ambient: flags.profile === undefined }) };
  } catch (err) {
    throw flags.profile === undefined && !ctx.env.AWS_PROFILE && !ctx.env.AWS_DEFAULT_PROFILE ? noProfileGiven(err) : err;
  }
}

/**
 * Nobody named a profile and "default" has no credentials (often a [default] with only a
 * region in it), or there is none: what is missing is a profile, so say that, and how to give
 * one, rather than what "default" lacks.
 */
function noProfileGiven(err: unknown): unknown {
  const missing =
    err instanceof ProfileNotFoundError && err.profile === 'default'
      ? 'there is no [default] profile'
      : err instanceof CredentialError && err.profile === 'default' && err.code === 'NoCredentials' && err.step === 'find credentials'
        ? '[default] has no credentials'
        : undefined;
  if (!missing) return err;
  return new AwsguardError(
    `no profile given (no -p, no AWS_PROFILE) and ${missing}: name one with -p PROFILE or AWS_PROFILE=PROFILE, or choose one in the picker in a terminal: -p "$(awsguard pick)"`,
    (err as AwsguardError).exitCode,
  );
}
