/**
 * The guard's sequence, shared by `exec` and `use`: credentials, the real identity, pins,
 * protection, the identity line, and the typed confirmation. Every refusal is audited.
 */
import { hostname, userInfo } from 'node:os';
import { GuardRefusal } from '../errors.js';
import { str } from '../config/model.js';
import type { Resolution } from '../credentials/resolver.js';
import { appendAudit, type AuditRecord } from '../guard/audit.js';
import { formatBanner } from '../guard/banner.js';
import { confirmTyped } from '../guard/confirm.js';
import { identify, type Identity } from '../guard/identity.js';
import { checkPin, protection } from '../guard/protection.js';
import { loadSettings, type GuardSettings } from '../guard/settings.js';
import { xdgPaths } from '../paths.js';
import { useColor, type CommandContext } from './context.js';
import { openSession, scopeFrom } from './session.js';
import { childEnv } from '../exec/child-env.js';
import { MARKERS } from '../exec/env-vars.js';
import type { FlagValues } from '../args.js';
import type { sessionFlags } from './session-flags.js';


/** `scopeLabel`: the identity line's word for the scope when the command knows better (console: an allow-all federation token). */
type Flags = FlagValues<typeof sessionFlags> & { confirm?: string; quiet?: boolean; nest?: boolean; scopeLabel?: string };

export interface GuardedSession {
  resolution: Resolution;
  identity: Identity;
  settings: GuardSettings;
  protected: boolean;
  confirmation: 'typed' | 'flag' | 'not-needed';
  /** What the audit record starts with; the caller adds the outcome. */
  audit: AuditRecord;
}

export async function guardSession(ctx: CommandContext, flags: Flags, argv: string[]): Promise<GuardedSession> {
  const settings = loadSettings(ctx.env);
  const { config, resolution } = await openSession(ctx, flags, settings.defaults);
  const identity = await identify(resolution, {
    env: ctx.env,
    now: ctx.now,
    cacheDir: xdgPaths(ctx.env).cacheDir,
    settingsAliases: settings.aliases,
  });
  const verdict = protection(settings, { accountId: identity.accountId, profile: resolution.profile, ...(identity.alias ? { alias: identity.alias } : {}) });
  const audit: AuditRecord = {
    time: new Date(ctx.now()).toISOString(),
    user: safeUser(),
    host: hostname(),
    profile: resolution.profile,
    account_id: identity.accountId,
    account_alias: identity.alias ?? null,
    role_arn: identity.arn,
    protected: verdict.protected,
    confirmation: null,
    refused: null,
    argv,
    policy: resolution.scoped ? { arns: scopeFrom(flags)?.policyArns ?? [], inline: flags.policy !== undefined, read_only: Boolean(flags['read-only']) } : null,
    exit_code: null,
    duration_ms: null,
  };
  const refuse = (err: GuardRefusal): never => {
    appendAudit(ctx.env, { ...audit, refused: err.reason });
    throw err;
  };
  try {
    const profile = config?.profiles.get(resolution.profile);
    checkPin(settings, resolution.profile, str(profile, 'awsguard_account'), identity.accountId);
    const outer = ctx.env.AWSGUARD_ACCOUNT_ID;
    if (outer && outer !== identity.accountId && !flags.nest) {
      throw new GuardRefusal(
        `refusing to switch from account ${ctx.env.AWSGUARD_ACCOUNT_ALIAS || outer} to ${identity.alias ?? identity.accountId} inside an awsguard session; pass --nest if you mean it`,
        'nested-account',
      );
    }
  } catch (err) {
    if (err instanceof GuardRefusal) refuse(err);
    throw err;
  }
  if (verdict.protected || !flags.quiet) {
    ctx.stderr.write(
      formatBanner(
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
        { color: useColor(ctx.stderr, ctx.env) },
      ) + '\n',
    );
    for (const note of resolution.notes) ctx.stderr.write(`awsguard: note: ${note}\n`);
  }
  let confirmation: GuardedSession['confirmation'] = 'not-needed';
  if (verdict.protected) {
    const expected = identity.alias ?? identity.accountId;
    try {
      confirmation = await confirmTyped(expected, {
        prompt: `${resolution.profile} reaches ${expected}, a protected account (${verdict.reasons.join('; ')}). Type ${identity.alias ? 'its alias' : 'its account id'} to continue: `,
        ...(flags.confirm !== undefined ? { confirmFlag: flags.confirm } : {}),
      });
    } catch (err) {
      if (err instanceof GuardRefusal) refuse(err);
      throw err;
    }
  }
  return { resolution, identity, settings, protected: verdict.protected, confirmation, audit: { ...audit, confirmation } };
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
export function sessionEnv(parent: NodeJS.ProcessEnv, session: GuardedSession, now: number): Record<string, string> {
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
  // A session token pasted into a profile has no known end: say nothing rather than guess.
  if (!known) {
    delete env.AWS_CREDENTIAL_EXPIRATION;
    delete env[MARKERS.expires];
  }
  return env;
}
