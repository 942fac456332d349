/**
 * The guard's decision, as one pure function for every door to credentials (exec, use,
 * export, console, the credentials server): settings, the account really reached, the profile,
 * the environment's markers and the flags in; a verdict out. No I/O: the command layer shows
 * the identity line, asks on the terminal and writes the audit record around it.
 *
 * The same rules run twice. `preDecide` runs before any credentials are fetched, on what the
 * config claims (a role_arn's or sso_account_id's account), so that a refusal that can be known
 * then comes before an MFA prompt. `decide` runs on the account STS reported for the
 * credentials (GetCallerIdentity, or the AssumeRole answer that made them), and only its answer
 * lets credentials out.
 *
 * Failing closed: an account whose alias could not be learned (IAM throttled, a scope or a
 * permission set that may not list aliases) is protected, unless the settings name it.
 */
import { protection, type ProtectionVerdict } from './protection.js';
import type { GuardSettings } from './settings.js';

/** The ways out of awsguard with credentials. */
export type Door = 'exec' | 'use' | 'export' | 'console' | 'server';

export type AliasSource = 'settings' | 'iam' | 'sso-portal' | 'none' | 'unknown';

export interface ReachedAccount {
  accountId: string;
  /** The alias (or, for an SSO account whose alias IAM would not give, the portal's account name). */
  alias?: string;
  /** `none`: IAM answered that the account has no alias. `unknown`: nobody could say. */
  aliasSource: AliasSource;
  /** Why the alias is unknown, in words (`AccessDenied from iam:ListAccountAliases`). */
  aliasError?: string;
}

/** What an outer awsguard session left in the environment (see exec/env-vars.ts MARKERS). */
export interface OuterSession {
  accountId: string;
  alias?: string;
  /** `exec`: we run inside an awsguard child; `use`: in a shell that switched itself. */
  kind: 'exec' | 'use';
}

export interface GuardFlags {
  nest?: boolean;
  /** `--confirm VALUE`. */
  confirm?: string;
}

export type GuardSettingsView = Pick<GuardSettings, 'protectedAccounts' | 'patterns' | 'pins' | 'aliases' | 'unprotectedAccounts'>;

export interface GuardInput {
  settings: GuardSettingsView;
  door: Door;
  profile: string;
  /** `awsguard_account` in the profile's AWS config section. */
  profilePin?: string;
  outer?: OuterSession;
  flags: GuardFlags;
  /** A typed confirmation for this account that still holds (export's short window). */
  heldConfirmation?: boolean;
  /** The credentials server's renewals: the account the session was granted for, which a renewal must reach again. */
  grantedAccount?: string;
}

export interface Refusal {
  reason: 'pin-mismatch' | 'nested-account' | 'wrong-confirm-flag' | 'account-changed';
  message: string;
  /** For `pin-mismatch`. */
  pinned?: string;
}

/** What must be typed for a protected account, and whether something already stands for it. */
export interface ConfirmationNeed {
  expected: string;
  /** What `expected` is, for the question: `its alias` or `its account id`. */
  what: 'alias' | 'account id';
  /** Already satisfied: by `--confirm`, or by a confirmation still held. */
  satisfiedBy?: 'flag' | 'window';
}

export interface Verdict {
  protected: boolean;
  /** Why, in words, for the prompt, the identity line and doctor. */
  reasons: string[];
  refusal?: Refusal;
  /** Present exactly when the account is protected and nothing refused it. */
  confirm?: ConfirmationNeed;
  /** A line for the person when protection comes only from an unknown alias: how to settle it. */
  hint?: string;
}

/**
 * Reads an outer session from the markers. A marker set without its kind was left by an older
 * awsguard, which only ever set it for exec children and `use` alike: treat it as exec, the
 * stricter of the two.
 */
export function outerSession(env: NodeJS.ProcessEnv): OuterSession | undefined {
  const accountId = env.AWSGUARD_ACCOUNT_ID;
  if (!accountId) return undefined;
  const alias = env.AWSGUARD_ACCOUNT_ALIAS;
  return { accountId, ...(alias ? { alias } : {}), kind: env.AWSGUARD_SESSION === 'use' ? 'use' : 'exec' };
}

/**
 * The nesting rule is about mistakes inside an awsguard child: a script run as dev that reaches
 * for another account. A shell that switched with `use` is the person's own: `use` replaces its
 * session, and an `exec -p prod` typed there names its account on purpose.
 */
function nestingApplies(door: Door, outer: OuterSession | undefined): outer is OuterSession {
  return outer !== undefined && outer.kind === 'exec' && door !== 'server';
}

function pins(input: GuardInput): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const fromSettings = input.settings.pins.get(input.profile);
  if (fromSettings !== undefined) out.push([fromSettings, '[pins] in the awsguard settings']);
  const fromConfig = input.profilePin?.trim();
  if (fromConfig) out.push([fromConfig, 'awsguard_account in the AWS config']);
  return out;
}

function pinRefusal(input: GuardInput, accountId: string, claimed: boolean): Refusal | undefined {
  for (const [pinned, where] of pins(input)) {
    if (pinned === accountId) continue;
    const reached = claimed ? `its config points at account ${accountId}` : `its credentials reached account ${accountId}`;
    return {
      reason: 'pin-mismatch',
      pinned,
      message: `profile ${input.profile} is pinned to account ${pinned} (${where}), but ${reached}; nothing was run. Check the profile's role_arn or sso_account_id, or the pin`,
    };
  }
  return undefined;
}

function nestingRefusal(input: GuardInput, accountId: string, alias: string | undefined): Refusal | undefined {
  if (!nestingApplies(input.door, input.outer) || input.outer.accountId === accountId || input.flags.nest) return undefined;
  return {
    reason: 'nested-account',
    message: `refusing to switch from account ${input.outer.alias || input.outer.accountId} to ${alias ?? accountId} inside an awsguard session; pass --nest if you mean it`,
  };
}

/** A renewal that lands elsewhere (the config was edited mid-run) is not what was confirmed. */
function changedRefusal(input: GuardInput, accountId: string): Refusal | undefined {
  if (input.grantedAccount === undefined || input.grantedAccount === accountId) return undefined;
  return {
    reason: 'account-changed',
    message: `renewed credentials of ${input.profile} reached account ${accountId}, not ${input.grantedAccount} that this run was granted; not served`,
  };
}

function protectionOf(settings: GuardSettingsView, profile: string, account: ReachedAccount): ProtectionVerdict & { hint?: string } {
  const verdict = protection(settings, { accountId: account.accountId, profile, ...(account.alias ? { alias: account.alias } : {}) });
  if (account.aliasSource !== 'unknown' || settings.unprotectedAccounts.has(account.accountId)) return verdict;
  const why = account.aliasError ? ` (${account.aliasError})` : '';
  return {
    protected: true,
    reasons: [...verdict.reasons, `the alias of account ${account.accountId} could not be learned${why}, so it is treated as protected`],
    hint:
      `name it in the awsguard settings to decide by its name ([aliases] ${account.accountId} = ALIAS), ` +
      `or mark it unprotected ([protect] unprotected = ${account.accountId})`,
  };
}

/** The decision on the account the credentials really reached. */
export function decide(input: GuardInput, account: ReachedAccount): Verdict {
  const verdict = protectionOf(input.settings, input.profile, account);
  const base: Verdict = { protected: verdict.protected, reasons: verdict.reasons, ...(verdict.hint ? { hint: verdict.hint } : {}) };
  const refusal = pinRefusal(input, account.accountId, false) ?? nestingRefusal(input, account.accountId, account.alias) ?? changedRefusal(input, account.accountId);
  if (refusal) return { ...base, refusal };
  if (!verdict.protected) return base;
  // An alias that came from IAM or the settings is what people know the account by; an account
  // without one (or whose alias is unknown) is confirmed by its id.
  const named = account.alias !== undefined && account.aliasSource !== 'unknown';
  const need: ConfirmationNeed = { expected: named ? account.alias! : account.accountId, what: named ? 'alias' : 'account id' };
  if (input.flags.confirm !== undefined) {
    if (input.flags.confirm !== need.expected) {
      return {
        ...base,
        refusal: { reason: 'wrong-confirm-flag', message: `--confirm ${input.flags.confirm} does not name the account reached (${need.expected}); nothing was run` },
      };
    }
    need.satisfiedBy = 'flag';
  } else if (input.heldConfirmation) {
    need.satisfiedBy = 'window';
  }
  return { ...base, confirm: need };
}

export interface Claimed {
  /** The account the config says the profile reaches, when it says (role_arn, sso_account_id). */
  accountId?: string;
}

export interface PreVerdict {
  refusal?: Refusal;
  /** Protected whatever the alias turns out to be: by the profile's name or the claimed account. */
  protectedForSure: boolean;
  reasons: string[];
}

/**
 * What can be decided before any credentials are fetched. Only refusals that the real identity
 * could not overturn are final here; everything else waits for `decide`.
 */
export function preDecide(input: GuardInput, claimed: Claimed): PreVerdict {
  const verdict = protection(input.settings, { accountId: claimed.accountId ?? '', profile: input.profile });
  const out: PreVerdict = { protectedForSure: verdict.protected, reasons: verdict.reasons };
  if (claimed.accountId === undefined) return out;
  const refusal = pinRefusal(input, claimed.accountId, true) ?? nestingRefusal(input, claimed.accountId, input.settings.aliases.get(claimed.accountId));
  return refusal ? { ...out, refusal } : out;
}
