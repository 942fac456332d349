/**
 * The environment a child gets (and, through `use`, the calling shell): the parent's, minus every
 * inherited credential and profile selector, plus the session's credentials and awsguard's
 * markers. Which names are which lives in env-vars.ts; this module only applies the lists.
 */
import { principalName } from '../guard/identity.js';
import { INJECTED, MARKERS, SCRUBBED, isScrubbed, regionFor } from './env-vars.js';

export interface ChildSession {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date };
  profile: string;
  /** The profile's region, when it has one; the person's own region is kept otherwise. */
  region?: string;
  /** The account the credentials really reached. */
  accountId: string;
  alias?: string;
  roleArn?: string;
  protected: boolean;
  scoped: boolean;
}

/** ISO 8601 to the second, `2026-11-23T20:00:00Z`: what the SDKs and the AWS CLI write and read. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function childEnv(parent: NodeJS.ProcessEnv, s: ChildSession): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && !isScrubbed(name)) env[name] = value;
  }
  env.AWS_ACCESS_KEY_ID = s.credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = s.credentials.secretAccessKey;
  env.AWS_SESSION_TOKEN = s.credentials.sessionToken;
  env.AWS_CREDENTIAL_EXPIRATION = isoSeconds(s.credentials.expiration);
  const region = regionFor(parent, s.region);
  if (region) env.AWS_REGION = env.AWS_DEFAULT_REGION = env[MARKERS.region] = region;

  env[MARKERS.profile] = s.profile;
  env[MARKERS.accountId] = s.accountId;
  // Absent rather than empty when unknown: a prompt can write ${AWSGUARD_ACCOUNT_ALIAS:-$AWSGUARD_ACCOUNT_ID}.
  if (s.alias) env[MARKERS.accountAlias] = s.alias;
  if (s.roleArn) env[MARKERS.role] = principalName(s.roleArn);
  env[MARKERS.protected] = s.protected ? '1' : '0';
  env[MARKERS.expires] = String(Math.floor(s.credentials.expiration.getTime() / 1000));
  env[MARKERS.scoped] = s.scoped ? '1' : '0';
  return env;
}

/**
 * The names a shell must unset to end up with `child`: every name awsguard scrubs, injects or
 * marks that `child` does not set, plus whatever the parent holds that the prefix and
 * credential-shape rules scrub (those cannot be listed in advance). With no arguments: every
 * fixed name, which is what `use --off` clears.
 */
export function unsetList(parent: NodeJS.ProcessEnv = {}, child: Record<string, string> = {}): string[] {
  const names = new Set([...SCRUBBED, ...INJECTED, ...Object.values(MARKERS)]);
  for (const name of Object.keys(parent).sort()) if (parent[name] !== undefined && isScrubbed(name)) names.add(name);
  return [...names].filter((name) => !Object.hasOwn(child, name));
}

export type ShellKind = 'sh' | 'fish';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** sh, bash and zsh read everything in single quotes literally; a quote itself is `'\''`. */
export function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** fish reads `\\` and `\'` inside single quotes as escapes, and nothing else. */
export function fishQuote(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * The lines that set `vars` and unset `unset` in the calling shell, safe to `eval` (sh, bash,
 * zsh) or `source` (fish). Unsets come first so a name in both lists ends up set. A name that
 * is not a plain variable name is a bug in the caller and throws: it would be shell syntax.
 */
export function shellExports(kind: ShellKind, vars: Readonly<Record<string, string>>, unset: readonly string[]): string {
  const lines: string[] = [];
  for (const name of [...unset, ...Object.keys(vars)]) {
    if (!VARIABLE_NAME.test(name)) throw new Error(`shellExports: not a variable name: ${JSON.stringify(name)}`);
  }
  for (const name of unset) lines.push(kind === 'fish' ? `set -e ${name}` : `unset ${name}`);
  for (const [name, value] of Object.entries(vars)) {
    lines.push(kind === 'fish' ? `set -gx ${name} ${fishQuote(value)}` : `export ${name}=${shQuote(value)}`);
  }
  // fish's `set -e` of a variable that is not set fails with 4, and every later `set` keeps the
  // status it found: without a last `true`, `awsguard use dev; and aws ...` would stop after
  // `use` worked. (sh's unset of an unset name is 0.)
  if (kind === 'fish' && unset.length) lines.push('true');
  return lines.length ? lines.join('\n') + '\n' : '';
}
