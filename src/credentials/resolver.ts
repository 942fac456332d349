/**
 * Turns a profile's chain into short-lived credentials, hop by hop, caching every stage so
 * profiles that share a source (and its MFA session) share the work. Long-term keys are only
 * ever used to make a session: what comes out always has a session token.
 */
import { userInfo } from 'node:os';
import { CredentialError } from '../errors.js';
import { resolveAmbientChain, resolveChain, roleName, type BaseSource, type Chain, type RoleHop, type WebIdentityBase } from '../config/chain.js';
import { str, type AwsConfig } from '../config/model.js';
import { SessionCache, type CacheEntry, type CachedIdentity } from './session-cache.js';
import { runCredentialProcess } from './process.js';
import { containerCredentials } from './container.js';
import { helperFor, isRefusedCode, MfaCodes, type MfaCode, type MfaSource } from './mfa.js';
import { checkNotExpired, readWebIdentityToken } from './web-identity.js';
import { sha256Hex } from './sha256.js';
import { ssoRoleCredentials } from './sso.js';
import { readStoredKey, storedKeyId, type KeyStoreAccess } from './stored-keys.js';
import { assumeRole, assumeRoleWithWebIdentity, getFederationToken, getSessionToken, type MfaToken, type StepContext } from './sts.js';
import { isLongTerm, scopeIsEmpty, type Credentials, type Scope } from './types.js';

export type { MfaSource } from './mfa.js';

export interface ResolveOptions {
  env: NodeJS.ProcessEnv;
  now: () => number;
  cacheDir: string;
  /** Overrides the profile's region (the child's region and the STS endpoint region). */
  region?: string;
  /** The region when neither the profile nor AWS_REGION/AWS_DEFAULT_REGION names one (awsguard's settings). */
  defaultRegion?: string;
  scope?: Scope;
  durationSeconds?: number;
  mfa: MfaSource;
  /** Skips reading the cache (results are still written). */
  refresh?: boolean;
  /** Cached stages with less than this left are fetched again (default: the cache's 5 minutes). */
  cacheMarginSeconds?: number;
  processTimeoutMs?: number;
  /**
   * No profile was named (no -p): the environment's web identity settings (AWS_ROLE_ARN,
   * AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_SESSION_NAME) apply the way botocore applies them.
   */
  ambient?: boolean;
  /** awsguard's key store, for profiles whose keys `keys import` or `keys add` put there. */
  keyStore?: KeyStoreAccess;
  /** Told what went wrong but did not stop the run, e.g. a session cache on a full disk. */
  warn?: (message: string) => void;
}

/** Short-lived credentials for a child: always a session token; the end may be unknown only for a session the person pasted in. */
export interface SessionCredentials extends Credentials {
  sessionToken: string;
}

export interface Resolution {
  profile: string;
  chain: Chain;
  credentials: SessionCredentials;
  region: string | undefined;
  scoped: boolean;
  fromCache: boolean;
  /** Where identity learned later is stored with the session; absent when not cached. */
  cacheKey: string | undefined;
  identity: CachedIdentity | undefined;
  /** Things the person should know about this session, e.g. what a federation token cannot do. */
  notes: string[];
  /**
   * Credentials of the same account without the session policy, for learning its alias: a scope
   * rarely allows iam:ListAccountAliases, and a GetSessionToken session without MFA may not call
   * IAM at all, but the keys or the unscoped role it came from may. Absent when `credentials`
   * themselves are the best there is.
   */
  aliasCredentials?: () => Promise<Credentials>;
}

/** API limits, so a bad --duration fails before any call with a message that says the range. */
export const DURATION_LIMITS = {
  assumeRole: [900, 43_200],
  chainedRole: [900, 3_600],
  sessionToken: [900, 129_600],
  federation: [900, 129_600],
} as const;

/** The MFA-backed session made from long-term keys before a role hop, cached like aws-vault's. */
const MFA_SESSION_SECONDS = 8 * 3600;

/** The profile botocore would use when none is given: AWS_DEFAULT_PROFILE, AWS_PROFILE, then default. */
export function defaultProfileName(env: NodeJS.ProcessEnv): string {
  return env.AWS_DEFAULT_PROFILE || env.AWS_PROFILE || 'default';
}

export function defaultSessionName(env: NodeJS.ProcessEnv): string {
  let user = env.USER || env.LOGNAME || '';
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'user';
    }
  }
  // RoleSessionName allows [\w+=,.@-], 2 to 64 characters.
  return `awsguard-${user}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

export async function resolveProfile(config: AwsConfig, profile: string, opts: ResolveOptions): Promise<Resolution> {
  const chain = (opts.ambient ? resolveAmbientChain(config, profile, opts.env) : undefined) ?? resolveChain(config, profile);
  const region = opts.region ?? str(config.profiles.get(profile), 'region') ?? environmentRegion(opts);
  return new ChainRun(chain, region, opts, config).run();
}

/** Credentials from AWS_ACCESS_KEY_ID & co., where botocore would use them (no profile given). */
export async function resolveEnvironment(opts: ResolveOptions): Promise<Resolution> {
  // Inside an awsguard child the environment's session is that profile's.
  const name = opts.env.AWSGUARD_PROFILE || 'environment';
  const chain: Chain = { profile: name, base: { kind: 'credential-source', profile: name, source: 'Environment' }, roles: [] };
  const region = opts.region ?? environmentRegion(opts);
  return new ChainRun(chain, region, opts, undefined).run();
}

function environmentRegion(opts: ResolveOptions): string | undefined {
  return opts.env.AWS_REGION || opts.env.AWS_DEFAULT_REGION || opts.defaultRegion;
}

export function hasEnvironmentCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
}

interface Stage {
  credentials: Credentials;
  /** What identifies this stage's result in the cache. */
  material: unknown[];
  /** The credentials carry MFA (so a role that requires it accepts them). */
  mfaSerial?: string;
  /** The credentials are a role session: assuming another role from them is role chaining (1 hour at most). */
  roleSession: boolean;
  fromCache: boolean;
  cacheKey?: string;
  identity?: CachedIdentity;
  /**
   * Stored keys not read yet: `credentials` then holds only the key id, and the next hop reads
   * the secret only if it has to call AWS (a cached role session needs no key at all).
   */
  deferred?: () => Promise<Credentials>;
}

class ChainRun {
  private readonly cache: SessionCache;
  private readonly ctx: StepContext;
  private readonly notes: string[] = [];
  private readonly scope: Scope | undefined;
  private aliasCredentials: (() => Promise<Credentials>) | undefined;
  private readonly mfa: MfaCodes;
  /** The long-term key the chain starts from, recorded with every stage cached after it. */
  private sourceKeyId: string | undefined;

  constructor(
    private readonly chain: Chain,
    private readonly region: string | undefined,
    private readonly opts: ResolveOptions,
    private readonly config: AwsConfig | undefined,
  ) {
    this.cache = new SessionCache(opts.cacheDir, opts.now, opts.cacheMarginSeconds, opts.warn);
    this.ctx = { env: opts.env, region: region ?? 'us-east-1', profile: chain.profile };
    this.scope = scopeIsEmpty(opts.scope) ? undefined : opts.scope;
    this.mfa = new MfaCodes(opts.mfa, { profile: chain.profile, env: opts.env, now: opts.now, cacheDir: opts.cacheDir });
  }

  async run(): Promise<Resolution> {
    this.checkScopeApplies();
    let stage = await this.base();
    const roles = this.chain.roles;
    for (let i = 0; i < roles.length; i++) {
      const via = i === 0 ? this.chain.base.profile : roles[i - 1]!.profile;
      stage = await this.assume(stage, roles[i]!, via, i === roles.length - 1);
    }
    if (isLongTerm(stage.credentials)) {
      // Unreachable by construction; a guard against ever handing long-term keys on.
      throw new CredentialError(this.chain.profile, 'session', 'refusing to hand long-term keys to a child');
    }
    return {
      profile: this.chain.profile,
      chain: this.chain,
      credentials: stage.credentials as SessionCredentials,
      region: this.region,
      scoped: this.scope !== undefined,
      fromCache: stage.fromCache,
      cacheKey: stage.cacheKey,
      identity: stage.identity,
      notes: this.notes,
      ...(this.aliasCredentials ? { aliasCredentials: this.aliasCredentials } : {}),
    };
  }

  private checkScopeApplies(): void {
    if (!this.scope || this.chain.roles.length) return;
    const base = this.chain.base;
    if (base.kind === 'sso') {
      throw new CredentialError(
        this.chain.profile,
        'scope',
        `a session policy cannot be applied to the SSO role ${base.roleName} itself (AWS applies session policies only on AssumeRole or GetFederationToken); ` +
          `add a profile with role_arn and source_profile = ${this.chain.profile} and scope that one, or run without --policy/--policy-arn/--read-only`,
        'ScopeNotApplicable',
      );
    }
  }

  private durationFor(kind: keyof typeof DURATION_LIMITS, requested: number | undefined, what: string): number | undefined {
    if (requested === undefined) return undefined;
    const [min, max] = DURATION_LIMITS[kind];
    if (kind === 'chainedRole' && requested > max) {
      this.notes.push(`${what} is role chaining, which AWS limits to ${max / 3600} hour; the session lasts 1h`);
      return max;
    }
    if (requested < min || requested > max) {
      throw new CredentialError(this.chain.profile, what, `a duration of ${requested}s is outside what AWS allows here (${min}s to ${max}s)`, 'InvalidDuration');
    }
    return requested;
  }

  /**
   * Makes `call` with an MFA code for `serial`. A helper's code that AWS refuses is most likely
   * one already used in its 30-second step (by another tool): wait for the next step, once.
   */
  private async withMfa<T>(serial: string, purpose: string, declaredBy: string, call: (mfa: MfaToken) => Promise<T>): Promise<T> {
    const helper = this.helper(declaredBy);
    let mfa: MfaCode = await this.mfa.get(serial, purpose, helper);
    let result: T;
    try {
      result = await call({ serial, code: mfa.code });
    } catch (err) {
      if (!mfa.via || !isRefusedCode(err)) throw err;
      await this.mfa.afterRefusal(serial);
      mfa = await this.mfa.get(serial, purpose, helper);
      result = await call({ serial, code: mfa.code });
    }
    this.mfa.accepted(serial);
    if (mfa.via) this.notes.push(`the MFA code for ${serial} came from ${mfa.via}`);
    return result;
  }

  /** The profile that declares mfa_serial names the helper; the profile asked for is the fallback. */
  private helper(declaredBy: string) {
    const settingsOf = (name: string) => {
      const p = this.config?.profiles.get(name);
      const mfaProcess = str(p, 'mfa_process');
      const ykmanAccount = str(p, 'mfa_ykman_account');
      return { profile: name, ...(mfaProcess ? { mfaProcess } : {}), ...(ykmanAccount ? { ykmanAccount } : {}) };
    };
    const own = settingsOf(declaredBy);
    const top = settingsOf(this.chain.profile);
    return helperFor(own.mfaProcess || own.ykmanAccount ? own : top, this.opts.mfa.ykmanAccount);
  }

  /** `owner` is the profile whose stage this is (for `logout -p`), not the one asked for. */
  private async cached(material: unknown[], owner: string, label: string, fetch: () => Promise<Omit<CacheEntry, 'profile' | 'label'>>): Promise<Stage & { entry: CacheEntry }> {
    const key = SessionCache.key(material);
    const source = this.sourceKeyId ? { sourceKeyId: this.sourceKeyId } : {};
    const { entry, fromCache } = await this.cache.getOrFetch(key, async () => ({ profile: owner, label, ...source, ...(await fetch()) }), this.opts.refresh);
    const stage: Stage & { entry: CacheEntry } = { entry, credentials: entry.credentials, material, roleSession: false, fromCache, cacheKey: key };
    if (entry.identity) stage.identity = entry.identity;
    return stage;
  }

  private async base(): Promise<Stage> {
    const base = this.chain.base;
    const last = this.chain.roles.length === 0;
    switch (base.kind) {
      case 'static':
      case 'process':
      case 'credential-source': {
        const creds = await this.sourceCredentials(base);
        const material = [1, 'base', base.kind, base.profile, creds.accessKeyId];
        // A container's credentials are its task role's session: a role assumed from them is chained.
        const roleSession = base.kind === 'credential-source' && base.source === 'EcsContainer';
        if (!isLongTerm(creds)) return { credentials: creds, material, roleSession, fromCache: false };
        return this.fromLongTerm(base, async () => creds, creds, material, last);
      }
      case 'stored':
        return this.stored(base, last);
      case 'sso': {
        const material = [1, 'sso', base.startUrl, base.session ?? null, base.accountId, base.roleName];
        const stage = await this.cached(material, base.profile, `sso ${base.roleName}`, async () => ({
          credentials: await ssoRoleCredentials(this.ctx, { startUrl: base.startUrl, region: base.region, ...(base.session ? { session: base.session } : {}) }, base.accountId, base.roleName, this.opts.now),
        }));
        return { ...stage, roleSession: true };
      }
      case 'web-identity':
        return this.webIdentity(base, last);
      case 'none':
        throw new CredentialError(
          this.chain.profile,
          'find credentials',
          `profile "${base.profile}" has no credentials: no keys, role_arn, SSO settings or credential_process`,
          'NoCredentials',
        );
    }
  }

  /**
   * The token file is read on every run and renewal (its issuer rotates it in place). The
   * session is keyed by the role, the file and whose token it is (iss, sub, aud), not by the
   * token itself: a rotated token of the same identity reuses the session until it runs out,
   * and a different identity behind the same path (another job on a reused runner) never gets
   * the previous one's session. An expired token is refused only when STS would be asked.
   */
  private async webIdentity(base: WebIdentityBase, last: boolean): Promise<Stage> {
    const step = `assume role with web identity ${base.roleArn}${base.profile !== this.chain.profile ? ` (via ${base.profile})` : ''}`;
    const token = readWebIdentityToken(this.chain.profile, step, base.tokenFile);
    const sessionName = base.roleSessionName ?? defaultSessionName(this.opts.env);
    const duration = this.durationFor('assumeRole', base.durationSeconds ?? (last ? this.opts.durationSeconds : undefined), step);
    const scope = last ? this.scope : undefined;
    // A token that is not a JWT says nothing of whose it is: then the token itself keys the session.
    const whose = token.subject ? [token.subject.iss, token.subject.sub, token.subject.aud] : [sha256Hex(token.token)];
    const material = [1, 'web-identity', base.roleArn, base.tokenFile, ...whose, sessionName, duration ?? null, scope ?? null];
    const stage = await this.cached(material, base.profile, `web identity ${roleName(base.roleArn)}`, async () => {
      checkNotExpired(this.chain.profile, step, base.tokenFile, token, this.opts.now());
      return {
        credentials: await assumeRoleWithWebIdentity(
          this.ctx,
          { roleArn: base.roleArn, sessionName, token: token.token, ...(duration !== undefined ? { durationSeconds: duration } : {}), ...(scope ? { scope } : {}) },
          `${step} (token from ${base.tokenFile})`,
        ),
      };
    });
    if (base.fromEnvironment?.length) this.notes.push(`web identity from the environment (${base.fromEnvironment.join(', ')})`);
    return { ...stage, roleSession: true };
  }

  private async sourceCredentials(base: Extract<BaseSource, { kind: 'static' | 'process' | 'credential-source' }>): Promise<Credentials> {
    if (base.kind === 'process') {
      return runCredentialProcess(this.chain.profile, base.command, { env: this.opts.env, timeoutMs: this.opts.processTimeoutMs ?? 60_000 });
    }
    if (base.kind === 'credential-source') {
      if (base.source === 'EcsContainer') return containerCredentials(this.chain.profile, this.opts.env);
      if (base.source !== 'Environment') {
        throw new CredentialError(
          this.chain.profile,
          `credential_source ${base.source}`,
          `awsguard does not read the EC2 instance metadata service (an instance's role belongs to the machine, not to a person or a pipeline job); use source_profile, or credential_source = Environment or EcsContainer`,
          'Unsupported',
        );
      }
      const env = this.opts.env;
      if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
        // botocore's Environment source is its EnvProvider: the keys only, not a web identity token.
        const hint = env.AWS_WEB_IDENTITY_TOKEN_FILE
          ? ` (credential_source = Environment means those keys, as in botocore; for the token in AWS_WEB_IDENTITY_TOKEN_FILE, point source_profile at a profile with role_arn and web_identity_token_file)`
          : '';
        throw new CredentialError(this.chain.profile, 'credential_source Environment', `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set${hint}`, 'NoCredentials');
      }
      const c: Credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
      const token = env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN;
      if (token) c.sessionToken = token;
      const expiry = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
      if (expiry && !Number.isNaN(expiry.getTime())) c.expiration = expiry;
      return c;
    }
    // botocore takes the keys from the one file its provider reads (credentials before config).
    const profile = this.config?.profiles.get(base.profile);
    const file = base.file === 'credentials' ? profile?.fromCredentials : profile?.fromConfig;
    const get = (key: string) => {
      const v = file?.get(key)?.value;
      return typeof v === 'string' ? v : undefined;
    };
    const c: Credentials = { accessKeyId: get('aws_access_key_id') ?? '', secretAccessKey: get('aws_secret_access_key') ?? '' };
    const token = get('aws_session_token') ?? get('aws_security_token');
    if (token) c.sessionToken = token;
    return c;
  }

  /** Keys in awsguard's store: cached under the key id from the index; the secret is read only to make a session. */
  private async stored(base: Extract<BaseSource, { kind: 'stored' }>, last: boolean): Promise<Stage> {
    const access = this.opts.keyStore;
    if (!access) throw new CredentialError(this.chain.profile, 'read the key store', 'this command cannot read the key store', 'NoCredentials');
    let loaded: Promise<Credentials> | undefined;
    const load = () => (loaded ??= readStoredKey(base.profile, access, this.opts.env));
    // No id in the index (an index lost or written by another version): read the store for it.
    const keyId = storedKeyId(base.profile, access) ?? (await load()).accessKeyId;
    // The same material as the key in the credentials file: `keys import` keeps the sessions it made.
    const material = [1, 'base', 'static', base.profile, keyId];
    return this.fromLongTerm(base, load, { accessKeyId: keyId, secretAccessKey: '' }, material, last);
  }

  /** `known`: the keys when already read, or only their id (stored keys, `load` reads them). */
  private async fromLongTerm(base: BaseSource, load: () => Promise<Credentials>, known: Credentials, material: unknown[], last: boolean): Promise<Stage> {
    const mfaSerial = base.kind === 'static' || base.kind === 'stored' ? base.mfaSerial : undefined;
    this.sourceKeyId = known.accessKeyId;
    // The keys' own account is the session's: they may list its alias where the session may not.
    if (last) this.aliasCredentials = load;
    if (last && this.scope) {
      if (mfaSerial) this.notes.push('a federation token cannot carry MFA: this scoped session has no MFA context');
      this.notes.push('a federation token session cannot call IAM, nor STS other than GetCallerIdentity');
      const duration = this.durationFor('federation', this.opts.durationSeconds, 'get federation token');
      return this.cached([...material, 'federation', this.scope, duration ?? null], base.profile, 'federation token', async () => ({
        credentials: await getFederationToken(this.ctx, await load(), { name: federationName(this.opts.env), durationSeconds: duration, scope: this.scope! }, `get federation token (${base.profile})`),
      }));
    }
    if (!last && !mfaSerial) {
      // botocore assumes the first role straight from the keys; nothing to cache yet.
      return { credentials: known, material, roleSession: false, fromCache: false, ...(known.secretAccessKey ? {} : { deferred: load }) };
    }
    const duration = last ? this.durationFor('sessionToken', this.opts.durationSeconds, 'get session token') : MFA_SESSION_SECONDS;
    const step = `get session token${mfaSerial ? ' with MFA' : ''} (${base.profile})`;
    const stage = await this.cached([...material, 'session-token', mfaSerial ?? null, duration ?? null], base.profile, 'session token', async () => ({
      credentials: mfaSerial
        ? await this.withMfa(mfaSerial, step, base.profile, async (mfa) => getSessionToken(this.ctx, await load(), { durationSeconds: duration, mfa }, step))
        : await getSessionToken(this.ctx, await load(), { durationSeconds: duration }, step),
      ...(mfaSerial ? { mfa: true } : {}),
    }));
    return { ...stage, ...(mfaSerial ? { mfaSerial } : {}) };
  }

  private async assume(prev: Stage, hop: RoleHop, via: string, last: boolean): Promise<Stage> {
    const step = `assume role ${hop.roleArn}${via !== hop.profile ? ` (via ${via})` : ''}`;
    const requested = hop.durationSeconds ?? (last ? this.opts.durationSeconds : undefined);
    const duration = this.durationFor(prev.roleSession ? 'chainedRole' : 'assumeRole', requested, step);
    const scope = last ? this.scope : undefined;
    const sessionName = hop.roleSessionName ?? defaultSessionName(this.opts.env);
    const needsMfa = hop.mfaSerial !== undefined && hop.mfaSerial !== prev.mfaSerial;
    const material = [...prev.material, 'role', hop.roleArn, hop.externalId ?? null, sessionName, duration ?? null, scope ?? null, hop.mfaSerial ?? null];
    const label = `role ${hop.roleArn.slice(hop.roleArn.lastIndexOf('/') + 1)}`;
    const assumeWith = async (withScope: Scope | undefined, mfa?: MfaToken) =>
      assumeRole(
        this.ctx,
        prev.deferred ? await prev.deferred() : prev.credentials,
        {
          roleArn: hop.roleArn,
          sessionName,
          ...(hop.externalId !== undefined ? { externalId: hop.externalId } : {}),
          ...(duration !== undefined ? { durationSeconds: duration } : {}),
          ...(mfa ? { mfa } : {}),
          ...(withScope ? { scope: withScope } : {}),
        },
        step,
      );
    const stage = await this.cached(material, hop.profile, label, async () => ({
      credentials: needsMfa ? await this.withMfa(hop.mfaSerial!, step, hop.profile, (mfa) => assumeWith(scope, mfa)) : await assumeWith(scope),
      ...(hop.mfaSerial || prev.mfaSerial ? { mfa: true } : {}),
    }));
    if (scope && !needsMfa) {
      // The same role without the scope, cached as the unscoped run would cache it. A hop that
      // needs a fresh MFA code cannot be repeated without asking again: its alias stays unknown.
      const unscoped = [...prev.material, 'role', hop.roleArn, hop.externalId ?? null, sessionName, duration ?? null, null, hop.mfaSerial ?? null];
      this.aliasCredentials = async () =>
        (
          await this.cached(unscoped, hop.profile, label, async () => ({
            credentials: await assumeWith(undefined, undefined),
            ...(hop.mfaSerial || prev.mfaSerial ? { mfa: true } : {}),
          }))
        ).credentials;
    }
    return { ...stage, roleSession: true, ...(hop.mfaSerial || prev.mfaSerial ? { mfaSerial: hop.mfaSerial ?? prev.mfaSerial! } : {}) };
  }
}

function federationName(env: NodeJS.ProcessEnv): string {
  // GetFederationToken's Name: [\w+=,.@-], 2 to 32 characters.
  return defaultSessionName(env).slice(0, 32);
}
