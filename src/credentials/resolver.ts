/**
 * Turns a profile's chain into short-lived credentials, hop by hop, caching every stage so
 * profiles that share a source (and its MFA session) share the work. Long-term keys are only
 * ever used to make a session: what comes out always has a session token. Each hop's
 * credentials come from its source (sources/, one file each); the run here only composes them:
 * the plan from config/chain.ts, the cache, the MFA codes, durations and notes.
 */
import { CredentialError } from '../errors.js';
import { resolveAmbientChain, resolveChain, roleName, type BaseSource, type Chain, type RoleHop, type WebIdentityBase } from '../config/chain.js';
import { str, type AwsConfig } from '../config/model.js';
import { SessionCache, type CacheEntry, type CachedIdentity } from './session-cache.js';
import { helperFor, isRefusedCode, MfaCodes, type MfaCode, type MfaSource } from './mfa.js';
import type { MfaToken, StepContext } from './sts.js';
import { isLongTerm, scopeIsEmpty, type Credentials, type Scope } from './types.js';
import { defaultSessionName, type NewSession } from './sources/source.js';
import { isStaticKeys, resolveStaticKeys } from './sources/static-keys.js';
import { isEnvironment, resolveEnvironmentCredentials } from './sources/environment.js';
import { isProcess, resolveProcessCredentials } from './sources/process.js';
import { isContainer, resolveContainerCredentials } from './sources/container.js';
import { isStoredKeys, resolveStoredKeys, type KeyStoreAccess, type StoredKeysBase } from './sources/stored-keys.js';
import { isSso, resolveSso, ssoMaterial, ssoScopeRefusal } from './sources/sso.js';
import { isWebIdentity, readWebIdentityToken, resolveWebIdentity, webIdentityMaterial, webIdentityStep } from './sources/web-identity.js';
import { isSessionToken, resolveSessionToken, sessionTokenMaterial } from './sources/session-token.js';
import { federationTokenMaterial, federationTokenNotes, isFederationToken, resolveFederationToken } from './sources/federation-token.js';
import { assumeRoleLabel, assumeRoleMaterial, assumeRoleNeedsMfa, assumeRoleStep, resolveAssumeRole } from './sources/assume-role.js';

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
    if (isSso(this.chain.base)) throw ssoScopeRefusal(this.chain.profile, this.chain.base);
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
   * An arrow: the sources are handed it as it is.
   */
  private readonly withMfa = async <T>(serial: string, purpose: string, declaredBy: string, call: (mfa: MfaToken) => Promise<T>): Promise<T> => {
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
  };

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
  private async cached(material: unknown[], owner: string, label: string, fetch: () => Promise<NewSession>): Promise<Stage & { entry: CacheEntry }> {
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
    if (isStoredKeys(base)) return this.stored(base, last);
    if (isWebIdentity(base)) return this.webIdentity(base, last);
    if (isSso(base)) {
      const stage = await this.cached(ssoMaterial(base), base.profile, `sso ${base.roleName}`, () => resolveSso(this.ctx, base, this.opts.now));
      return { ...stage, roleSession: true };
    }
    if (base.kind === 'none') {
      throw new CredentialError(
        this.chain.profile,
        'find credentials',
        `profile "${base.profile}" has no credentials: no keys, role_arn, SSO settings or credential_process`,
        'NoCredentials',
      );
    }
    const creds = await this.keys(base);
    const material = keysMaterial(base.kind, base.profile, creds.accessKeyId);
    // A container's credentials are its task role's session: a role assumed from them is chained.
    const roleSession = isContainer(base);
    if (!isLongTerm(creds)) return { credentials: creds, material, roleSession, fromCache: false };
    return this.fromLongTerm(base, async () => creds, creds, material, last);
  }

  /** The sources that hand over keys as they are (long-term, or a session made elsewhere). */
  private async keys(base: Extract<BaseSource, { kind: 'static' | 'process' | 'credential-source' }>): Promise<Credentials> {
    if (isStaticKeys(base)) return resolveStaticKeys(base, this.config);
    if (isProcess(base)) return resolveProcessCredentials(this.chain.profile, base, { env: this.opts.env, timeoutMs: this.opts.processTimeoutMs ?? 60_000 });
    if (isContainer(base)) return resolveContainerCredentials(this.chain.profile, this.opts.env);
    if (isEnvironment(base)) return resolveEnvironmentCredentials(this.chain.profile, this.opts.env);
    throw new CredentialError(
      this.chain.profile,
      `credential_source ${base.source}`,
      `awsguard does not read the EC2 instance metadata service (an instance's role belongs to the machine, not to a person or a pipeline job); use source_profile, or credential_source = Environment or EcsContainer`,
      'Unsupported',
    );
  }

  /** The token file is read on every run and renewal (its issuer rotates it in place). */
  private async webIdentity(base: WebIdentityBase, last: boolean): Promise<Stage> {
    const step = webIdentityStep(base, this.chain.profile);
    const token = readWebIdentityToken(this.chain.profile, step, base.tokenFile);
    const sessionName = base.roleSessionName ?? defaultSessionName(this.opts.env);
    const duration = this.durationFor('assumeRole', base.durationSeconds ?? (last ? this.opts.durationSeconds : undefined), step);
    const scope = last ? this.scope : undefined;
    const material = webIdentityMaterial(base, token, sessionName, duration, scope);
    const stage = await this.cached(material, base.profile, `web identity ${roleName(base.roleArn)}`, () =>
      resolveWebIdentity(this.ctx, base, { token, sessionName, step, ...(duration !== undefined ? { durationSeconds: duration } : {}), ...(scope ? { scope } : {}) }, this.opts.now()),
    );
    if (base.fromEnvironment?.length) this.notes.push(`web identity from the environment (${base.fromEnvironment.join(', ')})`);
    return { ...stage, roleSession: true };
  }

  /** Keys in awsguard's store: cached under the key id from the index; the secret is read only to make a session. */
  private async stored(base: StoredKeysBase, last: boolean): Promise<Stage> {
    const keys = await resolveStoredKeys(this.chain.profile, base, this.opts.keyStore, this.opts.env);
    // The same material as the key in the credentials file: `keys import` keeps the sessions it made.
    const material = keysMaterial('static', base.profile, keys.accessKeyId);
    return this.fromLongTerm(base, keys.load, { accessKeyId: keys.accessKeyId, secretAccessKey: '' }, material, last);
  }

  /** `known`: the keys when already read, or only their id (stored keys, `load` reads them). */
  private async fromLongTerm(base: BaseSource, load: () => Promise<Credentials>, known: Credentials, material: unknown[], last: boolean): Promise<Stage> {
    const mfaSerial = isStaticKeys(base) || isStoredKeys(base) ? base.mfaSerial : undefined;
    this.sourceKeyId = known.accessKeyId;
    // The keys' own account is the session's: they may list its alias where the session may not.
    if (last) this.aliasCredentials = load;
    const scope = this.scope;
    if (isFederationToken(last, scope)) {
      this.notes.push(...federationTokenNotes(mfaSerial));
      const duration = this.durationFor('federation', this.opts.durationSeconds, 'get federation token');
      return this.cached(federationTokenMaterial(material, scope, duration), base.profile, 'federation token', () =>
        resolveFederationToken(this.ctx, load, { profile: base.profile, scope, ...(duration !== undefined ? { durationSeconds: duration } : {}) }),
      );
    }
    if (!isSessionToken(last, mfaSerial)) {
      // botocore assumes the first role straight from the keys; nothing to cache yet.
      return { credentials: known, material, roleSession: false, fromCache: false, ...(known.secretAccessKey ? {} : { deferred: load }) };
    }
    const duration = last ? this.durationFor('sessionToken', this.opts.durationSeconds, 'get session token') : MFA_SESSION_SECONDS;
    const stage = await this.cached(sessionTokenMaterial(material, mfaSerial, duration), base.profile, 'session token', () =>
      resolveSessionToken(this.ctx, load, { profile: base.profile, ...(mfaSerial ? { mfaSerial } : {}), ...(duration !== undefined ? { durationSeconds: duration } : {}) }, this.withMfa),
    );
    return { ...stage, ...(mfaSerial ? { mfaSerial } : {}) };
  }

  private async assume(prev: Stage, hop: RoleHop, via: string, last: boolean): Promise<Stage> {
    const step = assumeRoleStep(hop, via);
    const requested = hop.durationSeconds ?? (last ? this.opts.durationSeconds : undefined);
    const duration = this.durationFor(prev.roleSession ? 'chainedRole' : 'assumeRole', requested, step);
    const scope = last ? this.scope : undefined;
    const sessionName = hop.roleSessionName ?? defaultSessionName(this.opts.env);
    const label = assumeRoleLabel(hop);
    const request = (withScope: Scope | undefined) => ({
      from: async () => (prev.deferred ? prev.deferred() : prev.credentials),
      ...(prev.mfaSerial ? { fromMfaSerial: prev.mfaSerial } : {}),
      sessionName,
      step,
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
      ...(withScope ? { scope: withScope } : {}),
    });
    const stage = await this.cached(assumeRoleMaterial(prev.material, hop, sessionName, duration, scope), hop.profile, label, () =>
      resolveAssumeRole(this.ctx, hop, request(scope), this.withMfa),
    );
    if (scope && !assumeRoleNeedsMfa(hop, prev.mfaSerial)) {
      // The same role without the scope, cached as the unscoped run would cache it. A hop that
      // needs a fresh MFA code cannot be repeated without asking again: its alias stays unknown.
      const unscoped = assumeRoleMaterial(prev.material, hop, sessionName, duration, undefined);
      this.aliasCredentials = async () => (await this.cached(unscoped, hop.profile, label, () => resolveAssumeRole(this.ctx, hop, request(undefined), this.withMfa))).credentials;
    }
    return { ...stage, roleSession: true, ...(hop.mfaSerial || prev.mfaSerial ? { mfaSerial: hop.mfaSerial ?? prev.mfaSerial! } : {}) };
  }
}

/** Keys handed over as they are, identified by where they come from and their id (never the secret). */
function keysMaterial(kind: BaseSource['kind'], profile: string, accessKeyId: string): unknown[] {
  return [1, 'base', kind, profile, accessKeyId];
}
