/**
 * Which credentials a profile resolves to, decided the way botocore's provider chain decides:
 * assume role first (role_arn with source_profile or credential_source), then web identity,
 * SSO, keys in the credentials file, credential_process, keys in the config file.
 * Pure: it reads the model and returns the hops; the credential engine executes them.
 */
import { ConfigError, ProfileNotFoundError } from '../errors.js';
import { closestKey } from '../suggest.js';
import { ephemeralProfile } from './ephemeral.js';
import { isOwnExportLine } from './own-export-line.js';
import { has, str, whereIs, type AwsConfig, type FileKind, type Profile, type Section } from './model.js';

export type BaseSource =
  | { kind: 'static'; profile: string; file: FileKind; sessionToken: boolean; mfaSerial?: string }
  /** Long-term keys in awsguard's store, named by the profile's own `awsguard export` line (config/own-export-line.ts). */
  | { kind: 'stored'; profile: string; mfaSerial?: string }
  | { kind: 'sso'; profile: string; session?: string; startUrl: string; region: string; accountId: string; roleName: string }
  | { kind: 'process'; profile: string; command: string }
  | WebIdentityBase
  | { kind: 'credential-source'; profile: string; source: CredentialSourceName }
  | { kind: 'none'; profile: string };

/**
 * AssumeRoleWithWebIdentity with the token in a file (EKS, CI). `fromEnvironment` lists the
 * settings taken from AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_SESSION_NAME.
 */
export interface WebIdentityBase {
  kind: 'web-identity';
  profile: string;
  roleArn: string;
  tokenFile: string;
  roleSessionName?: string;
  durationSeconds?: number;
  fromEnvironment?: string[];
}

export const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;
export type CredentialSourceName = (typeof CREDENTIAL_SOURCES)[number];

export interface RoleHop {
  /** The profile that declares this role. */
  profile: string;
  roleArn: string;
  externalId?: string;
  mfaSerial?: string;
  roleSessionName?: string;
  durationSeconds?: number;
}

export interface Chain {
  profile: string;
  base: BaseSource;
  /** Roles to assume in order, starting from the base's credentials. */
  roles: RoleHop[];
}

/** A broken chain: still a config error, but tied to a profile and a setting rather than a parse. */
export class ChainError extends ConfigError {
  override name = 'ChainError';
  readonly profile: string;
  constructor(profile: string, detail: string, file?: string, line?: number) {
    super(detail, file, line);
    this.profile = profile;
  }
}

export function getProfile(config: AwsConfig, name: string): Profile {
  const profile = config.profiles.get(name) ?? ephemeralProfile(config, name);
  if (!profile) throw new ProfileNotFoundError(name, closestKey(name, config.profiles));
  return profile;
}

const hasStatic = (p: Profile) => has(p, 'aws_access_key_id') || has(p, 'aws_secret_access_key');
const hasRoleConfig = (p: Profile) => has(p, 'role_arn') && !has(p, 'web_identity_token_file');

export function resolveChain(config: AwsConfig, name: string): Chain {
  const top = getProfile(config, name);
  if (!hasRoleConfig(top)) return { profile: name, base: profileBase(config, top), roles: [] };
  return roleChain(config, top, name);
}

/** The web identity settings botocore reads from the environment when no profile is named. */
export const WEB_IDENTITY_ENV = { role_arn: 'AWS_ROLE_ARN', web_identity_token_file: 'AWS_WEB_IDENTITY_TOKEN_FILE', role_session_name: 'AWS_ROLE_SESSION_NAME' } as const;

/**
 * The chain when no profile was named (no -p): botocore's default chain after the environment
 * keys. The profile's assume-role settings come first; then web identity, where each of
 * AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_SESSION_NAME wins over the profile's
 * own key, one by one (botocore's AssumeRoleWithWebIdentityProvider._get_config); then the rest
 * of the profile's providers. `undefined` when the environment has no say: resolve the profile
 * as usual (and fail as usual when it does not exist).
 */
export function resolveAmbientChain(config: AwsConfig, name: string, env: NodeJS.ProcessEnv): Chain | undefined {
  if (!Object.values(WEB_IDENTITY_ENV).some((v) => env[v] !== undefined)) return undefined;
  const top = config.profiles.get(name) ?? ephemeralProfile(config, name);
  if (top && hasRoleConfig(top)) return undefined;
  // As botocore: an empty token path means no web identity; an empty role or name is passed on.
  if (!(env.AWS_WEB_IDENTITY_TOKEN_FILE ?? str(top, 'web_identity_token_file'))) return undefined;
  const fromEnvironment: string[] = [];
  const pick = (key: keyof typeof WEB_IDENTITY_ENV): string | undefined => {
    const v = env[WEB_IDENTITY_ENV[key]];
    if (v !== undefined) {
      fromEnvironment.push(WEB_IDENTITY_ENV[key]);
      return v;
    }
    return str(top, key);
  };
  const tokenFile = pick('web_identity_token_file')!;
  const roleArn = pick('role_arn');
  const sessionName = pick('role_session_name');
  const profile = top ? name : 'environment';
  if (!roleArn) {
    throw new ChainError(profile, `a web identity token file is set but no role ARN: set AWS_ROLE_ARN${top ? ` or role_arn in profile "${name}"` : ''}`);
  }
  const base: WebIdentityBase = { kind: 'web-identity', profile, roleArn, tokenFile, fromEnvironment };
  if (sessionName) base.roleSessionName = sessionName;
  const duration = top ? durationOf(top) : undefined;
  if (duration !== undefined) base.durationSeconds = duration;
  return { profile, base, roles: [] };
}

function roleChain(config: AwsConfig, top: Profile, name: string): Chain {
  const visited = [name];
  const { base, roles } = viaAssumeRole(config, top, visited);
  return { profile: name, base, roles };
}

function viaAssumeRole(config: AwsConfig, p: Profile, visited: string[]): { base: BaseSource; roles: RoleHop[] } {
  const sourceProfile = str(p, 'source_profile');
  const credentialSource = str(p, 'credential_source');
  const hop = roleHop(p);
  if (sourceProfile !== undefined && credentialSource !== undefined) {
    throw new ChainError(p.name, `profile "${p.name}" sets both source_profile and credential_source; keep one`, ...whereIs(p, 'credential_source'));
  }
  if (credentialSource !== undefined) {
    if (!(CREDENTIAL_SOURCES as readonly string[]).includes(credentialSource)) {
      throw new ChainError(
        p.name,
        `credential_source "${credentialSource}" in profile "${p.name}" is not valid (use ${CREDENTIAL_SOURCES.join(', ')})`,
        ...whereIs(p, 'credential_source'),
      );
    }
    return { base: { kind: 'credential-source', profile: p.name, source: credentialSource as CredentialSourceName }, roles: [hop] };
  }
  if (sourceProfile === undefined) {
    throw new ChainError(p.name, `profile "${p.name}" has role_arn but neither source_profile nor credential_source`, ...whereIs(p, 'role_arn'));
  }
  const source = config.profiles.get(sourceProfile);
  if (!source) {
    const near = closestKey(sourceProfile, config.profiles);
    throw new ChainError(
      p.name,
      `source_profile "${sourceProfile}" in profile "${p.name}" does not exist${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
      ...whereIs(p, 'source_profile'),
    );
  }
  if (visited.includes(sourceProfile) && (sourceProfile !== p.name || !hasStatic(source))) {
    const cycle = [...visited.slice(visited.indexOf(sourceProfile)), sourceProfile].join(' -> ');
    throw new ChainError(p.name, `source_profile cycle: ${cycle}`, ...whereIs(p, 'source_profile'));
  }
  visited.push(sourceProfile);
  if (hasStatic(source) || !hasRoleConfig(source)) {
    const base = profileBase(config, source);
    if (base.kind === 'none') {
      throw new ChainError(p.name, `source_profile "${sourceProfile}" of profile "${p.name}" has no credentials`, ...whereIs(p, 'source_profile'));
    }
    return { base, roles: [hop] };
  }
  const inner = viaAssumeRole(config, source, visited);
  return { base: inner.base, roles: [...inner.roles, hop] };
}

function roleHop(p: Profile): RoleHop {
  const hop: RoleHop = { profile: p.name, roleArn: str(p, 'role_arn') ?? '' };
  const externalId = str(p, 'external_id');
  const mfaSerial = str(p, 'mfa_serial');
  const roleSessionName = str(p, 'role_session_name');
  const duration = durationOf(p);
  if (externalId !== undefined) hop.externalId = externalId;
  if (mfaSerial !== undefined) hop.mfaSerial = mfaSerial;
  if (roleSessionName !== undefined) hop.roleSessionName = roleSessionName;
  if (duration !== undefined) hop.durationSeconds = duration;
  return hop;
}

function durationOf(p: Profile): number | undefined {
  const duration = str(p, 'duration_seconds');
  // botocore ignores a duration_seconds that is not an integer.
  return duration !== undefined && /^\s*[+-]?\d+\s*$/.test(duration) ? Number.parseInt(duration, 10) : undefined;
}

/** The profile providers, in botocore's order, with environment variables out of the picture. */
function profileBase(config: AwsConfig, p: Profile): BaseSource {
  const tokenFile = str(p, 'web_identity_token_file');
  if (tokenFile) return webIdentityBase(p, tokenFile);
  if (has(p, 'sso_account_id') || has(p, 'sso_role_name')) return ssoBase(config, p);
  if (p.fromCredentials?.has('aws_access_key_id')) return staticBase(p, 'credentials');
  const command = str(p, 'credential_process');
  if (command !== undefined) {
    if (!isOwnExportLine(command, p.name)) return { kind: 'process', profile: p.name, command };
    const mfaSerial = str(p, 'mfa_serial');
    return { kind: 'stored', profile: p.name, ...(mfaSerial !== undefined ? { mfaSerial } : {}) };
  }
  if (p.fromConfig?.has('aws_access_key_id')) return staticBase(p, 'config');
  return { kind: 'none', profile: p.name };
}

function webIdentityBase(p: Profile, tokenFile: string): WebIdentityBase {
  const roleArn = str(p, 'role_arn');
  // botocore refuses a token file without a role (InvalidConfigError) rather than moving on.
  if (!roleArn) throw new ChainError(p.name, `profile "${p.name}" has web_identity_token_file but no role_arn`, ...whereIs(p, 'web_identity_token_file'));
  const base: WebIdentityBase = { kind: 'web-identity', profile: p.name, roleArn, tokenFile };
  const sessionName = str(p, 'role_session_name');
  if (sessionName) base.roleSessionName = sessionName;
  const duration = durationOf(p);
  if (duration !== undefined) base.durationSeconds = duration;
  return base;
}

function staticBase(p: Profile, file: FileKind): BaseSource {
  const keys = (file === 'credentials' ? p.fromCredentials : p.fromConfig)!;
  if (!keys.has('aws_secret_access_key')) {
    throw new ChainError(p.name, `profile "${p.name}" has aws_access_key_id but no aws_secret_access_key`, ...whereIs(p, 'aws_access_key_id'));
  }
  const base: BaseSource = { kind: 'static', profile: p.name, file, sessionToken: keys.has('aws_session_token') || keys.has('aws_security_token') };
  const mfaSerial = str(p, 'mfa_serial');
  if (mfaSerial !== undefined) base.mfaSerial = mfaSerial;
  return base;
}

function ssoBase(config: AwsConfig, p: Profile): BaseSource {
  const sessionName = str(p, 'sso_session');
  let startUrl = str(p, 'sso_start_url');
  let region = str(p, 'sso_region');
  const accountId = str(p, 'sso_account_id');
  const roleName = str(p, 'sso_role_name');
  if (sessionName !== undefined) {
    const session = config.ssoSessions.get(sessionName);
    if (!session) {
      const near = closestKey(sessionName, config.ssoSessions);
      throw new ChainError(
        p.name,
        `sso_session "${sessionName}" of profile "${p.name}" has no [sso-session ${sessionName}] section${near.length ? ` (did you mean ${near[0]}?)` : ''}`,
        ...whereIs(p, 'sso_session'),
      );
    }
    startUrl = fromSession(p, session, sessionName, 'sso_start_url', startUrl);
    region = fromSession(p, session, sessionName, 'sso_region', region);
  }
  if (startUrl === undefined || region === undefined || accountId === undefined || roleName === undefined) {
    const missing = Object.entries({ sso_start_url: startUrl, sso_region: region, sso_account_id: accountId, sso_role_name: roleName }).filter(([, v]) => v === undefined);
    throw new ChainError(p.name, `profile "${p.name}" is configured for SSO but is missing ${missing.map(([k]) => k).join(', ')}`, ...whereIs(p));
  }
  const base: BaseSource = { kind: 'sso', profile: p.name, startUrl, region, accountId, roleName };
  if (sessionName !== undefined) base.session = sessionName;
  return base;
}

/** A setting the [sso-session] section gives, which the profile may repeat but not contradict. */
function fromSession(p: Profile, session: Section, sessionName: string, key: string, fromProfile: string | undefined): string | undefined {
  const value = str(session, key);
  if (fromProfile !== undefined && value !== undefined && fromProfile !== value) {
    throw new ChainError(p.name, `${key} of profile "${p.name}" differs from the one in [sso-session ${sessionName}]`, ...whereIs(p, key));
  }
  return value ?? fromProfile;
}

/** The account a chain lands in, when the config says so (the last role's ARN, or the SSO account). */
export function chainAccountId(chain: Chain): string | undefined {
  const last = chain.roles[chain.roles.length - 1];
  if (last) return /^arn:[^:]+:iam::(\d{12}):/.exec(last.roleArn)?.[1];
  return chain.base.kind === 'sso' ? chain.base.accountId : undefined;
}

export function roleName(arn: string): string {
  const i = arn.lastIndexOf('/');
  return i === -1 ? arn : arn.slice(i + 1);
}

/** `prod-admin <- role Admin <- sso my-sso`: how a chain reads in the profiles table. */
export function describeChain(chain: Chain): string {
  // Concatenated rather than joined: the table and --json describe every profile, and a join
  // of two or three parts costs more than the parts.
  let out = '';
  for (let i = chain.roles.length - 1; i >= 0; i--) out += `role ${roleName(chain.roles[i]!.roleArn)} <- `;
  return out + describeBase(chain.base, chain.profile);
}

export function describeBase(base: BaseSource, top: string): string {
  const via = base.profile !== top ? ` (${base.profile})` : '';
  switch (base.kind) {
    case 'static':
      return `${base.sessionToken ? 'session' : 'keys'}${via}`;
    case 'sso':
      return `sso ${base.session ?? base.startUrl}${base.roleName ? ` ${base.roleName}` : ''}`;
    case 'process':
      return `process${via}`;
    case 'stored':
      return `stored keys${via}`;
    case 'web-identity':
      return `web-identity${via}`;
    case 'credential-source':
      return base.source;
    case 'none':
      return 'none';
  }
}

/** One word for how a profile gets credentials: the picker and the table's short column. */
export function sourceKind(chain: Chain): 'role' | 'sso' | 'keys' | 'session' | 'process' | 'web-identity' | 'external' | 'none' {
  if (chain.roles.length) return 'role';
  switch (chain.base.kind) {
    case 'static':
      return chain.base.sessionToken ? 'session' : 'keys';
    case 'stored':
      return 'keys';
    case 'credential-source':
      return 'external';
    default:
      return chain.base.kind;
  }
}
