/**
 * Which accounts need a typed confirmation, and which profiles may reach which account.
 *
 * Both are decided on the account the credentials REALLY reached: the caller passes the account
 * id STS reported (GetCallerIdentity, or the AssumeRole answer; and the alias found for it), never the account a profile's role_arn
 * or sso_account_id claims. So a profile named `sandbox` that lands in production is protected,
 * and two profiles that reach the same account are treated alike.
 */
import { GuardRefusal } from '../errors.js';
import type { GuardSettings } from './settings.js';

export interface ProtectionVerdict {
  protected: boolean;
  /** Why, in words for the prompt and `doctor`; empty when not protected. */
  reasons: string[];
}

export interface Reached {
  /** The account the credentials reached, as STS reported it. */
  accountId: string;
  /** That account's alias, when known. */
  alias?: string;
  /** The profile the person asked for. */
  profile: string;
}

/** Lower-cased words: runs of letters and digits. ASCII text, the usual case, avoids compiling a Unicode regex at start-up. */
function words(text: string): string[] {
  const lower = text.toLowerCase();
  const parts = /^[\x00-\x7f]*$/.test(lower) ? lower.split(/[^a-z0-9]+/) : lower.split(/[^\p{L}\p{N}]+/u);
  return parts.filter(Boolean);
}

/**
 * Whether `pattern` appears in `text` as whole words, ignoring case. Anything that is not a letter
 * or a digit separates words: `acme-prod`, `prod.admin` and `PROD_eu` contain `prod`; `product`,
 * `prodigy` and `prod2` do not. A pattern of several words (`pre-prod`) matches that sequence
 * with any separators (`pre_prod`, `pre.prod`).
 */
export function matchesPattern(text: string, pattern: string): boolean {
  return containsWords(words(text), words(pattern));
}

function containsWords(have: readonly string[], want: readonly string[]): boolean {
  if (!want.length) return false;
  for (let i = 0; i + want.length <= have.length; i++) {
    if (want.every((w, k) => have[i + k] === w)) return true;
  }
  return false;
}

/** Each pattern's words, split once per settings: the picker asks about thousands of rows. */
const patternWords = new WeakMap<readonly string[], ReadonlyArray<readonly string[]>>();

/** The first pattern found in `text` as whole words. */
function findPattern(text: string, patterns: readonly string[]): string | undefined {
  let split = patternWords.get(patterns);
  if (!split) patternWords.set(patterns, (split = patterns.map(words)));
  // Most texts hold no pattern even as a substring: no need to split them into words.
  const lower = text.toLowerCase();
  if (!split.some((want) => want.length > 0 && lower.includes(want[0]!))) return undefined;
  const have = words(text);
  const at = split.findIndex((want) => containsWords(have, want));
  return at === -1 ? undefined : patterns[at];
}

export function protection(settings: Pick<GuardSettings, 'protectedAccounts' | 'patterns'>, who: Reached): ProtectionVerdict {
  const reasons: string[] = [];
  if (settings.protectedAccounts.has(who.accountId)) reasons.push(`account ${who.accountId} is listed under [protect] accounts`);
  const inAlias = who.alias ? findPattern(who.alias, settings.patterns) : undefined;
  if (inAlias) reasons.push(`alias ${who.alias} has the word "${inAlias}"`);
  const inProfile = findPattern(who.profile, settings.patterns);
  if (inProfile) reasons.push(`profile ${who.profile} has the word "${inProfile}"`);
  return { protected: reasons.length > 0, reasons };
}

/** A GuardRefusal with reason `pin-mismatch` that also carries the accounts, for `--json`. */
export class PinMismatch extends GuardRefusal {
  override name = 'PinMismatch';
  readonly profile: string;
  readonly pinned: string;
  readonly reached: string;
  constructor(profile: string, pinned: string, reached: string, message: string) {
    super(message, 'pin-mismatch');
    this.profile = profile;
    this.pinned = pinned;
    this.reached = reached;
  }
  override toJSON(): Record<string, unknown> {
    return { type: this.name, reason: this.reason, profile: this.profile, pinned: this.pinned, reached: this.reached, message: this.message };
  }
}
