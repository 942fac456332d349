/**
 * Ephemeral profiles: an account and role from the SSO portal, used without writing a profile.
 * The name says everything a profile would (`sso:SESSION/ACCOUNT_ID/ROLE`), so it can travel
 * through `$(awsguard pick --sso)`, `-p`, the shell's switch command and the session cache like
 * any profile name. A profile of the same name in the person's config still wins.
 */
import { ConfigError, displayPath } from '../errors.js';
import { closest } from '../suggest.js';
import type { AwsConfig, Profile, Setting } from './model.js';

const PREFIX = 'sso:';
const ACCOUNT_ID = /^\d{12}$/;

export interface EphemeralRef {
  session: string;
  accountId: string;
  role: string;
}

export function ephemeralName(ref: EphemeralRef): string {
  return `${PREFIX}${ref.session}/${ref.accountId}/${ref.role}`;
}

/**
 * The parts of an ephemeral name, read from the right: permission set names cannot hold a `/`
 * and account ids are digits, but a session name is any shell word.
 */
export function parseEphemeral(name: string): EphemeralRef | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const rest = name.slice(PREFIX.length);
  const roleAt = rest.lastIndexOf('/');
  const accountAt = roleAt > 0 ? rest.lastIndexOf('/', roleAt - 1) : -1;
  if (accountAt <= 0) return undefined;
  const ref = { session: rest.slice(0, accountAt), accountId: rest.slice(accountAt + 1, roleAt), role: rest.slice(roleAt + 1) };
  return ref.role ? ref : undefined;
}

/**
 * The profile an ephemeral name stands for, added to `config.profiles` so that every later
 * lookup (the chain, the region, the guard) finds it like a written one; `undefined` when the
 * name is not an ephemeral one. Its settings point at the `[sso-session]` they come from.
 */
export function ephemeralProfile(config: AwsConfig, name: string): Profile | undefined {
  const ref = parseEphemeral(name);
  if (!ref) return undefined;
  const session = config.ssoSessions.get(ref.session);
  if (!session) {
    const near = closest(ref.session, config.ssoSessions.keys());
    const hint = near.length ? ` (did you mean ${near[0]}?)` : config.ssoSessions.size ? '' : ` (${displayPath(config.configFile)} has no [sso-session] at all)`;
    throw new ConfigError(`"${name}" names SSO session "${ref.session}", which has no [sso-session ${ref.session}] section${hint}`);
  }
  if (!ACCOUNT_ID.test(ref.accountId)) {
    throw new ConfigError(`"${name}": "${ref.accountId}" is not an account id (12 digits); the form is sso:SESSION/ACCOUNT_ID/ROLE`);
  }
  const where = { file: { path: session.origin.file, kind: session.origin.kind }, line: session.origin.line };
  const setting = (value: string): Setting => ({ value, ...where });
  const settings = new Map<string, Setting>([
    ['sso_session', setting(ref.session)],
    ['sso_account_id', setting(ref.accountId)],
    ['sso_role_name', setting(ref.role)],
  ]);
  const profile: Profile = { name, settings, origin: session.origin, fromConfig: settings, fromCredentials: undefined };
  config.profiles.set(name, profile);
  return profile;
}
