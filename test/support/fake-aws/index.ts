import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBotocoreData } from './botocore-data.js';
import { createClock } from './clock.js';
import type { Clock } from './clock.js';
import { Faults } from './faults.js';
import { ServiceModels } from './model-check.js';
import type { InjectedFault } from './faults.js';
import { OidcService } from './oidc.js';
import type { RecordedRequest } from './recorder.js';
import { defaultSeed } from './seed.js';
import type { Seed } from './seed.js';
import { createFakeServer } from './server.js';
import { SigninService } from './signin.js';
import type { ConsoleSession } from './signin.js';
import { SsoPortal } from './sso.js';
import { SsoStore } from './sso-store.js';
import type { IssueTokenOptions, IssuedToken } from './sso-store.js';
import { FakeState } from './state.js';
import { signJwt } from './jwt.js';
import { GITHUB_ISSUER } from './seed.js';

/**
 * A loopback fake of STS, IAM, the SSO portal and SSO-OIDC on one endpoint,
 * speaking the real wire protocols (awsQuery + SigV4, REST-JSON), so real
 * clients (SDK v3, botocore, the AWS CLI) can be pointed at it.
 */

export interface FakeAwsOptions {
  /** The world to serve. Default: `defaultSeed()`. Used live, not copied. */
  seed?: Seed;
  /** Default: a random free port. */
  port?: number;
  /** Starting time of the fake clock (ms since epoch). Default: real time. */
  now?: number;
  /** Server clock skew: the fake clock starts this many seconds ahead (negative: behind). */
  skewSeconds?: number;
  /** Approve each device authorization (as the instance's first user) after this many pending polls. */
  autoApprove?: number;
}

export interface FakeAws {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** AWS_ENDPOINT_URL(+_STS/_IAM/_SSO/_SSO_OIDC/_SIGNIN) = url, AWS_EC2_METADATA_DISABLED=true. */
  env(): Record<string, string>;
  /** A directory for AWS_DATA_PATH that points botocore 1.29 / AWS CLI 2.9 at this server. */
  botocoreDataPath(): string;
  clock: Clock;
  /** Every request, oldest first. Never contains secrets. */
  requests: RecordedRequest[];
  /** How many requests were made for `action` (e.g. `AssumeRole`). */
  calls(action: string): number;
  /** Clears the request log (not the state). */
  reset(): void;
  sso: {
    /** The user approves the device authorization with this user code, signed in as `username`. */
    approve(userCode: string, username: string): void;
    /** The user denies it. */
    deny(userCode: string): void;
    /** Mints an SSO access token (and optionally a refresh token) as if the user had logged in. */
    issueToken(username: string, opts?: IssueTokenOptions): IssuedToken;
    /** Pending device authorizations (user codes), e.g. to approve the latest one. */
    pending(): Array<{ userCode: string; startUrl: string }>;
    /** Revokes refresh tokens (all, or a user's): the next refresh grant gets invalid_grant. */
    revokeRefreshTokens(username?: string): void;
  };
  /** The next `times` requests for `action` (`'*'` for any) fail with this error. */
  failNext(action: string, fault: InjectedFault, times?: number): void;
  /** Fail every `every`-th request for `action` until `clearFaults`. */
  failEvery(action: string, every: number, fault: InjectedFault): void;
  /** Drops every fault still queued. */
  clearFaults(): void;
  /**
   * Revokes a role: it can no longer be assumed, and its existing sessions are
   * denied every action except GetCallerIdentity (what "Revoke active sessions" does).
   */
  revokeRole(arn: string): void;
  /**
   * TEST HOOK, not AWS behaviour: ListAccountAliases answers `alias` for `accountId` byte for
   * byte, even one IAM's CreateAccountAlias would refuse (escape codes, capitals, 100 characters).
   * It models a compromised or hostile answer, so tests can show awsguard refuses to use it.
   * `undefined` goes back to the seed's alias.
   */
  answerAliasAs(accountId: string, alias: string | undefined): void;
  /** Delay every response by `ms`. */
  setLatency(ms: number): void;
  /** Every session issued from now on lasts `seconds` (undefined: as requested), to test renewal in real time. */
  setSessionLifetime(seconds: number | undefined): void;
  /** Keys made by CreateAccessKey from now on are refused for this long (fake clock), as IAM's propagation delay. */
  setKeyPropagationDelay(ms: number): void;
  /** The console federation endpoint (`/federation`). */
  signin: {
    /** Console sessions made by `Action=login`, oldest first: who, until when, where. */
    sessions(): ConsoleSession[];
    /** The console session a login's cookie (`fake-aws-console-session=ID`) names. */
    session(id: string): ConsoleSession | undefined;
  };
  /** Temporary secrets minted so far (secret keys, session tokens, OIDC secrets and tokens), for leak checks. */
  issuedSecrets(): string[];
  /**
   * A web identity token (RS256 JWT) from a seeded OIDC provider, as a pipeline's issuer would
   * hand one out: `iat` is the fake clock's now, `exp` an hour later unless told otherwise.
   */
  webIdentityToken(claims: WebIdentityClaims): string;
  /** The live seed. */
  seed: Seed;
  close(): Promise<void>;
}

export interface WebIdentityClaims {
  sub: string;
  /** Default: the provider's first audience. */
  aud?: string | string[];
  /** Default: GitHub Actions' issuer. */
  iss?: string;
  /** Default 3600; negative for a token that has already expired. */
  expiresInSeconds?: number;
  [claim: string]: unknown;
}

/** Read once per process: the models do not change, and IAM's is large. */
let sharedModels: ServiceModels | undefined;

export async function startFakeAws(opts: FakeAwsOptions = {}): Promise<FakeAws> {
  const seed = opts.seed ?? defaultSeed();
  const start = opts.now ?? Date.now();
  const clock = createClock(start + (opts.skewSeconds ?? 0) * 1000);
  const state = new FakeState(seed, clock);
  const store = new SsoStore(state, opts.autoApprove);
  const faults = new Faults();
  const signin = new SigninService(state);
  const requests: RecordedRequest[] = [];
  const mintedTokens: string[] = [];
  const server = createFakeServer({
    state,
    portal: new SsoPortal(state, store),
    oidc: new OidcService(state, store),
    signin,
    faults,
    models: (sharedModels ??= new ServiceModels()),
    record: (entry) => requests.push(entry),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let dataDir: string | undefined;

  return {
    url,
    port,
    env: () => ({
      AWS_ENDPOINT_URL: url,
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_IAM: url,
      AWS_ENDPOINT_URL_SSO: url,
      AWS_ENDPOINT_URL_SSO_OIDC: url,
      AWS_ENDPOINT_URL_SIGNIN: url,
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    botocoreDataPath: () => {
      dataDir ??= writeBotocoreData(mkdtempSync(join(tmpdir(), 'fake-aws-botocore-')), url);
      return dataDir;
    },
    clock,
    requests,
    calls: (action) => requests.filter((r) => r.action === action).length,
    reset: () => {
      requests.length = 0;
    },
    sso: {
      approve: (userCode, username) => store.approve(userCode, username),
      deny: (userCode) => store.deny(userCode),
      issueToken: (username, o) => store.issueToken(username, o),
      pending: () => store.pending(),
      revokeRefreshTokens: (username) => store.revokeRefreshTokens(username === undefined ? {} : { username }),
    },
    failNext: (action, fault, times) => faults.failNext(action, fault, times),
    failEvery: (action, every, fault) => faults.failEvery(action, every, fault),
    clearFaults: () => faults.clear(),
    revokeRole: (arn) => {
      state.revokedRoles.set(arn, clock.now());
    },
    answerAliasAs: (accountId, alias) => {
      if (alias === undefined) state.hostileAliases.delete(accountId);
      else state.hostileAliases.set(accountId, alias);
    },
    setLatency: (ms) => {
      faults.latencyMs = ms;
    },
    setSessionLifetime: (seconds) => {
      state.sessionLifetimeSeconds = seconds;
    },
    setKeyPropagationDelay: (ms) => {
      state.keyPropagationMs = ms;
    },
    signin: {
      sessions: () => [...signin.sessions],
      session: (id) => signin.sessions.find((s) => s.id === id),
    },
    issuedSecrets: () => [...state.issuedSecrets(), ...store.issuedSecrets(), ...signin.issuedTokens(), ...mintedTokens],
    webIdentityToken: ({ sub, aud, iss = GITHUB_ISSUER, expiresInSeconds = 3600, ...extra }) => {
      const provider = (seed.oidcProviders ?? []).find((p) => p.url === iss);
      if (!provider?.privateKey) throw new Error(`fake-aws: no seeded OIDC provider with a private key for ${iss}`);
      const now = Math.floor(clock.now() / 1000);
      const token = signJwt({ ...extra, iss, sub, aud: aud ?? provider.audiences[0]!, iat: now, exp: now + expiresInSeconds }, provider.privateKey);
      mintedTokens.push(token);
      return token;
    },
    seed,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      });
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { defaultSeed, allSecrets, fakeSecret, GITHUB_ISSUER } from './seed.js';
export { totpAt, totpStep, TOTP_STEP_SECONDS } from './totp.js';
export { signJwt, decodeJwt } from './jwt.js';
export type {
  Seed,
  SeedAccount,
  SeedUser,
  SeedAccessKey,
  SeedMfa,
  SeedOidcProvider,
  SeedRole,
  SeedTrust,
  SeedSsoInstance,
  SeedSsoUser,
  SeedPermissionSet,
  SeedAssignment,
} from './seed.js';
export type { RecordedRequest } from './recorder.js';
export type { ConsoleSession } from './signin.js';
export { CONSOLE_COOKIE, SIGNIN_TOKEN_TTL_MS } from './signin.js';
export type { Clock } from './clock.js';
export type { InjectedFault } from './faults.js';
export type { IssuedToken, IssueTokenOptions } from './sso-store.js';
export type { PolicyDocument, PolicyStatement } from './policy.js';
export { ssoRoleArn, ssoRoleName } from './sso.js';
