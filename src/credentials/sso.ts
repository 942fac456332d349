/**
 * IAM Identity Center: the cached access token (refreshed with its refresh token before the
 * person is asked to log in again), role credentials, and the device-authorization login.
 */
import { CredentialError } from '../errors.js';
import { describeAwsError, oidcClient, ssoClient, type ClientContext } from './aws-clients.js';
import { fail, type StepContext } from './sts.js';
import {
  cliTimestamp,
  parseCliTime,
  readRegistration,
  readToken,
  registrationFile,
  ssoCacheDir,
  writeRegistration,
  writeToken,
  type SsoRegistration,
  type SsoToken,
} from './sso-token.js';
import type { TemporaryCredentials } from './types.js';

/** Refresh this long before the access token ends, as botocore does. */
const REFRESH_WINDOW_MS = 15 * 60_000;

export interface SsoSessionRef {
  startUrl: string;
  region: string;
  /** The [sso-session NAME]; absent for the legacy inline form. */
  session?: string;
  scopes?: string[];
}

export function loginHint(ref: SsoSessionRef, profile: string): string {
  return ref.session ? `run: awsguard login --sso-session ${ref.session}` : `run: awsguard login -p ${profile}`;
}

/** A usable access token: from the cache, refreshed if it is about to end, or an error that says to log in. */
export async function ssoAccessToken(ctx: StepContext, ref: SsoSessionRef, now: () => number): Promise<SsoToken> {
  const dir = ssoCacheDir(ctx.env);
  const step = `sso token for ${ref.session ?? ref.startUrl}`;
  const token = readToken(dir, ref.startUrl, ref.session);
  if (!token) throw new CredentialError(ctx.profile, step, `not logged in; ${loginHint(ref, ctx.profile)}`, 'NotLoggedIn');
  const expires = parseCliTime(token.expiresAt)?.getTime() ?? 0;
  if (expires - now() > REFRESH_WINDOW_MS) return token;
  const refreshed = await refreshToken(ctx, ref, token, now);
  if (refreshed) {
    writeToken(dir, refreshed, ref.session);
    return refreshed;
  }
  if (expires > now()) return token;
  throw new CredentialError(ctx.profile, step, `the SSO session has expired; ${loginHint(ref, ctx.profile)}`, 'TokenExpired');
}

async function refreshToken(ctx: StepContext, ref: SsoSessionRef, token: SsoToken, now: () => number): Promise<SsoToken | undefined> {
  if (!token.refreshToken || !token.clientId || !token.clientSecret) return undefined;
  const registrationEnd = parseCliTime(token.registrationExpiresAt)?.getTime() ?? 0;
  if (registrationEnd <= now()) return undefined;
  try {
    const { CreateTokenCommand } = await import('./sdk/client-sso-oidc.js');
    const client = await oidcClient({ ...ctx, region: ref.region });
    const out = await client.send(
      new CreateTokenCommand({ grantType: 'refresh_token', clientId: token.clientId, clientSecret: token.clientSecret, refreshToken: token.refreshToken }),
    );
    if (!out.accessToken || !out.expiresIn) return undefined;
    const next: SsoToken = {
      ...token,
      accessToken: out.accessToken,
      expiresAt: cliTimestamp(new Date(now() + out.expiresIn * 1000)),
    };
    if (out.refreshToken) next.refreshToken = out.refreshToken;
    return next;
  } catch (err) {
    const f = describeAwsError(err);
    // A revoked or expired refresh token means logging in again; anything else is worth saying.
    if (['InvalidGrantException', 'ExpiredTokenException', 'UnauthorizedClientException', 'InvalidClientException'].includes(f.code)) return undefined;
    fail(ctx, `refresh sso token for ${ref.session ?? ref.startUrl}`, err);
  }
}

export async function ssoRoleCredentials(
  ctx: StepContext,
  ref: SsoSessionRef,
  accountId: string,
  roleName: string,
  now: () => number,
): Promise<TemporaryCredentials> {
  const token = await ssoAccessToken(ctx, ref, now);
  const step = `sso role ${roleName} in ${accountId}`;
  try {
    const { GetRoleCredentialsCommand } = await import('./sdk/client-sso.js');
    const client = await ssoClient({ ...ctx, region: ref.region });
    const out = await client.send(new GetRoleCredentialsCommand({ accessToken: token.accessToken, accountId, roleName }));
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || !c.expiration) {
      throw new CredentialError(ctx.profile, step, 'the response held no complete credentials');
    }
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
  } catch (err) {
    const f = describeAwsError(err);
    if (f.code === 'UnauthorizedException') {
      throw new CredentialError(ctx.profile, step, `the SSO session is no longer valid; ${loginHint(ref, ctx.profile)}`, f.code);
    }
    fail(ctx, step, err);
  }
}

export interface SsoAccount {
  accountId: string;
  accountName: string;
  emailAddress?: string;
}

/** The most ListAccounts and ListAccountRoles return in one page (their `maxResults` is 1–100). */
export const SSO_PAGE_SIZE = 100;

type SsoModule = typeof import('./sdk/client-sso.js');
type SsoPortalClient = InstanceType<SsoModule['SSOClient']>;

/**
 * Every page of one portal listing, followed by nextToken within AWS's page limit. Throttling
 * (TooManyRequestsException) is waited out by the client's retry strategy (network.ts).
 */
async function allPages<T>(ctx: StepContext, ref: SsoSessionRef, step: string, now: () => number, page: (sso: SsoModule, client: SsoPortalClient, accessToken: string, nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string | undefined }>): Promise<T[]> {
  const token = await ssoAccessToken(ctx, ref, now);
  const sso = await import('./sdk/client-sso.js');
  const client = await ssoClient({ ...ctx, region: ref.region });
  const out: T[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const got = await page(sso, client, token.accessToken, nextToken);
      out.push(...got.items);
      nextToken = got.nextToken;
    } while (nextToken);
  } catch (err) {
    fail(ctx, step, err);
  }
  return out;
}

/** Every account the person can reach through the portal, all pages. */
export async function listSsoAccounts(ctx: StepContext, ref: SsoSessionRef, now: () => number): Promise<SsoAccount[]> {
  return allPages(ctx, ref, 'sso list accounts', now, async (sso, client, accessToken, nextToken) => {
    const page = await client.send(new sso.ListAccountsCommand({ accessToken, nextToken, maxResults: SSO_PAGE_SIZE }));
    const items = (page.accountList ?? []).flatMap((a) => (a.accountId ? [{ accountId: a.accountId, accountName: a.accountName ?? a.accountId, ...(a.emailAddress ? { emailAddress: a.emailAddress } : {}) }] : []));
    return { items, nextToken: page.nextToken };
  });
}

export async function listSsoRoles(ctx: StepContext, ref: SsoSessionRef, accountId: string, now: () => number): Promise<string[]> {
  return allPages(ctx, ref, `sso list roles in ${accountId}`, now, async (sso, client, accessToken, nextToken) => {
    const page = await client.send(new sso.ListAccountRolesCommand({ accessToken, accountId, nextToken, maxResults: SSO_PAGE_SIZE }));
    return { items: (page.roleList ?? []).flatMap((r) => (r.roleName ? [r.roleName] : [])), nextToken: page.nextToken };
  });
}

export interface DeviceAuthorization {
  verificationUri: string;
  verificationUriComplete: string | undefined;
  userCode: string;
  expiresAt: Date;
}

export interface LoginOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Shows the URL and code (and opens a browser when it can). */
  onAuthorization: (auth: DeviceAuthorization) => void;
}

/** The device-authorization flow; the token is written to the CLI's cache and returned. */
export async function ssoLogin(ctx: StepContext, ref: SsoSessionRef, opts: LoginOptions): Promise<SsoToken> {
  const dir = ssoCacheDir(ctx.env);
  const step = `sso login to ${ref.session ?? ref.startUrl}`;
  const client = await oidcClient({ ...ctx, region: ref.region } satisfies ClientContext);
  const oidc = await import('./sdk/client-sso-oidc.js');
  const registration = await register(ctx, ref, dir, opts.now, client, oidc, step);
  let auth;
  try {
    auth = await client.send(
      new oidc.StartDeviceAuthorizationCommand({ clientId: registration.clientId, clientSecret: registration.clientSecret, startUrl: ref.startUrl }),
    );
  } catch (err) {
    fail(ctx, step, err);
  }
  if (!auth.deviceCode || !auth.userCode || !auth.verificationUri) throw new CredentialError(ctx.profile, step, 'incomplete device authorization');
  const deadline = opts.now() + (auth.expiresIn ?? 600) * 1000;
  opts.onAuthorization({
    verificationUri: auth.verificationUri,
    verificationUriComplete: auth.verificationUriComplete,
    userCode: auth.userCode,
    expiresAt: new Date(deadline),
  });
  let interval = (auth.interval ?? 5) * 1000;
  for (;;) {
    try {
      const out = await client.send(
        new oidc.CreateTokenCommand({
          grantType: 'urn:ietf:params:oauth:grant-type:device_code',
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          deviceCode: auth.deviceCode,
        }),
      );
      if (!out.accessToken || !out.expiresIn) throw new CredentialError(ctx.profile, step, 'incomplete token');
      const token: SsoToken = {
        startUrl: ref.startUrl,
        region: ref.region,
        accessToken: out.accessToken,
        expiresAt: cliTimestamp(new Date(opts.now() + out.expiresIn * 1000)),
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        registrationExpiresAt: registration.expiresAt,
      };
      if (out.refreshToken) token.refreshToken = out.refreshToken;
      writeToken(dir, token, ref.session);
      return token;
    } catch (err) {
      const code = describeAwsError(err).code;
      if (code === 'AuthorizationPendingException') {
        // keep polling
      } else if (code === 'SlowDownException') {
        interval += 5000;
      } else if (code === 'ExpiredTokenException') {
        throw new CredentialError(ctx.profile, step, 'the code expired before it was approved; run login again', code);
      } else if (code === 'AccessDeniedException') {
        throw new CredentialError(ctx.profile, step, 'the request was denied in the browser', code);
      } else {
        fail(ctx, step, err);
      }
    }
    if (opts.now() > deadline) throw new CredentialError(ctx.profile, step, 'the code expired before it was approved; run login again', 'ExpiredToken');
    await opts.sleep(interval);
  }
}

type OidcModule = typeof import('./sdk/client-sso-oidc.js');

async function register(
  ctx: StepContext,
  ref: SsoSessionRef,
  dir: string,
  now: () => number,
  client: InstanceType<OidcModule['SSOOIDCClient']>,
  oidc: OidcModule,
  step: string,
): Promise<SsoRegistration> {
  const path = registrationFile(dir, ref.region, ref.startUrl, ref.session, ref.scopes);
  const cached = readRegistration(path);
  // botocore re-registers 15 minutes before the client registration ends.
  if (cached && (parseCliTime(cached.expiresAt)?.getTime() ?? 0) - now() > REFRESH_WINDOW_MS) return cached;
  try {
    const out = await client.send(
      new oidc.RegisterClientCommand({
        clientName: `botocore-client-${ref.session ?? Math.floor(now() / 1000)}`,
        clientType: 'public',
        scopes: ref.scopes?.length ? ref.scopes : undefined,
      }),
    );
    if (!out.clientId || !out.clientSecret || !out.clientSecretExpiresAt) throw new CredentialError(ctx.profile, step, 'incomplete client registration');
    const reg: SsoRegistration = { clientId: out.clientId, clientSecret: out.clientSecret, expiresAt: cliTimestamp(new Date(out.clientSecretExpiresAt * 1000)) };
    if (ref.scopes?.length) reg.scopes = ref.scopes;
    writeRegistration(dir, path, reg);
    return reg;
  } catch (err) {
    fail(ctx, step, err);
  }
}
