/**
 * The one list of environment variable names awsguard cares about, shared by `exec`, `export`,
 * `use` and the shell scripts' tests. Every other module asks here instead of spelling names.
 *
 * A child's environment is the parent's, minus what is SCRUBBED, plus what is INJECTED and the
 * MARKERS. Names in none of the lists (PATH, LANG, AWS_LAMBDA_*, ...) pass through unchanged: the
 * scrub list is about credentials and account selection, not about hiding configuration.
 *
 * Region (AWS_REGION, AWS_DEFAULT_REGION) is neither scrubbed nor passed through blindly: when the
 * profile names a region it wins, since the person chose the profile and a region left over in
 * the shell usually belongs to another account. When the profile has none, the person's own region
 * stays, and is copied so both names agree (AWS_REGION first, as the AWS CLI v2 reads it): the JS
 * and Go SDKs read AWS_REGION while older tools read only AWS_DEFAULT_REGION, and a child where
 * they disagree talks to two regions. See regionFor() below.
 */

/** Exact names that are always removed: inherited credentials, profile selectors, role sources. */
export const SCRUBBED: readonly string[] = [
  // Credentials, current and legacy spellings.
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_SESSION_EXPIRATION',
  'AWS_CREDENTIAL_FILE',
  'AWS_BEARER_TOKEN_BEDROCK',
  // The SDKs' env provider reads it as the credentials' account (account-based endpoints):
  // an inherited one would point at the account of the shell, not of the session.
  'AWS_ACCOUNT_ID',
  // Profile selectors: env credentials win over them in the SDKs, but tools that print or use
  // "the current profile" would name the wrong one.
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SSO_PROFILE',
  'AWS_EB_PROFILE',
  // Other tools' session markers: a prompt or nested tool would describe another account.
  'AWS_VAULT',
  'AWS_OKTA_PROFILE',
  'AWSUME_PROFILE',
  // Role sources that make an SDK assume something other than what awsguard resolved.
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/**
 * Prefixes removed as a family. `AWSGUARD_` covers the markers of an outer session and any marker
 * added later: a stale marker describes the wrong account, so the safe default is to drop it.
 * awsguard's own settings variables are kept through PASSTHROUGH.
 */
export const SCRUBBED_PREFIXES: readonly string[] = ['AWS_CONTAINER_CREDENTIALS_', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWSGUARD_'];

/**
 * A variable nobody listed yet but named like a credential (AWS_..._SECRET..., ..._TOKEN, ...) is
 * scrubbed too: a new credential variable is far likelier to be named like one than to be added
 * here in time. PASSTHROUGH wins over this rule (AWS_SHARED_CREDENTIALS_FILE is a path).
 */
const CREDENTIAL_LIKE = /^AWS_[A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|ACCESS_KEY|CREDENTIAL)/;

/** Kept on purpose: where and how to reach AWS, not who you are. */
export const PASSTHROUGH: readonly string[] = [
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_CA_BUNDLE',
  'AWS_DATA_PATH',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_SDK_LOAD_CONFIG',
  'AWS_RETRY_MODE',
  'AWS_MAX_ATTEMPTS',
  'AWS_DEFAULTS_MODE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_METADATA_SERVICE_TIMEOUT',
  'AWS_METADATA_SERVICE_NUM_ATTEMPTS',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_S3_US_EAST_1_REGIONAL_ENDPOINT',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_ACCOUNT_ID_ENDPOINT_MODE',
  'AWS_REQUEST_CHECKSUM_CALCULATION',
  'AWS_RESPONSE_CHECKSUM_VALIDATION',
  'AWS_DISABLE_REQUEST_COMPRESSION',
  'AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES',
  'AWS_SDK_UA_APP_ID',
  'AWS_NODEJS_CONNECTION_REUSE_ENABLED',
  'AWS_PAGER',
  'AWS_DEFAULT_OUTPUT',
  'AWS_CLI_AUTO_PROMPT',
  'AWS_CLI_FILE_ENCODING',
  // awsguard's own settings: a nested awsguard must read the same settings file.
  'AWSGUARD_CONFIG',
  'AWSGUARD_DEBUG',
  'AWSGUARD_SHELL',
];

/** Per-service endpoints: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB, ... */
export const PASSTHROUGH_PREFIXES: readonly string[] = ['AWS_ENDPOINT_URL_'];

/** What awsguard sets for the child (and `use` sets in the shell). */
export const INJECTED: readonly string[] = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_CREDENTIAL_EXPIRATION',
];

export type MarkerKey = 'profile' | 'accountId' | 'accountAlias' | 'role' | 'protected' | 'expires' | 'region' | 'scoped' | 'session';

/**
 * What the session is, for prompts, scripts and a nested awsguard. Values are plain: `1`/`0`
 * flags, epoch seconds for the expiry, so a shell prompt can use them without parsing.
 */
export const MARKERS: Readonly<Record<MarkerKey, string>> = {
  /** The profile name awsguard resolved. */
  profile: 'AWSGUARD_PROFILE',
  /** The account the credentials really reached (GetCallerIdentity), not the one the profile claims. */
  accountId: 'AWSGUARD_ACCOUNT_ID',
  /** Its alias, when known; absent otherwise. */
  accountAlias: 'AWSGUARD_ACCOUNT_ALIAS',
  /** The role's (or user's) short name, `Admin` for `...:assumed-role/Admin/me`, when known. */
  role: 'AWSGUARD_ROLE',
  /** `1` for a protected account, `0` otherwise. */
  protected: 'AWSGUARD_PROTECTED',
  /** When the credentials expire, in epoch seconds. */
  expires: 'AWSGUARD_EXPIRES',
  /** The region the child was given, when there is one. */
  region: 'AWSGUARD_REGION',
  /** `1` when a session policy narrows the credentials, `0` otherwise. */
  scoped: 'AWSGUARD_SCOPED',
  /**
   * `exec` in an awsguard child, `use` in a shell that switched itself: the nesting rule holds
   * inside a child (a script reaching for another account), not in the person's own shell.
   */
  session: 'AWSGUARD_SESSION',
};

const scrubbedExact = new Set(SCRUBBED);
const passthroughExact = new Set(PASSTHROUGH);

/** Whether a name is kept on purpose (exact or by prefix). */
export function isPassthrough(name: string): boolean {
  return passthroughExact.has(name) || PASSTHROUGH_PREFIXES.some((p) => name.startsWith(p));
}

/** Whether an inherited variable of this name must not reach the child. */
export function isScrubbed(name: string): boolean {
  if (scrubbedExact.has(name)) return true;
  if (isPassthrough(name)) return false;
  return SCRUBBED_PREFIXES.some((p) => name.startsWith(p)) || CREDENTIAL_LIKE.test(name);
}

/** The region the child gets: the profile's when known, else the person's own (see the header). */
export function regionFor(parent: NodeJS.ProcessEnv, profileRegion: string | undefined): string | undefined {
  return profileRegion || parent.AWS_REGION || parent.AWS_DEFAULT_REGION || undefined;
}
