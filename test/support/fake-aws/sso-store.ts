import { ApiError } from './errors.js';
import * as ids from './ids.js';
import type { SeedSsoInstance } from './seed.js';
import type { FakeState } from './state.js';

/**
 * IAM Identity Center's token side: OIDC clients, pending device
 * authorizations, access tokens and refresh tokens. Shared by the OIDC
 * endpoints (which mint tokens) and the portal (which accepts them).
 */

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  issuedAt: number;
  secretExpiresAt: number;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  expiresAt: number;
  interval: number;
  lastPollAt?: number;
  /** Polls answered authorization_pending so far (for autoApprove). */
  pendingPolls: number;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  username?: string;
}

export interface AccessToken {
  username: string;
  startUrl: string;
  clientId?: string;
  expiresAt: number;
  revoked: boolean;
}

interface RefreshToken {
  username: string;
  startUrl: string;
  clientId: string;
  revoked: boolean;
}

export interface IssuedToken {
  accessToken: string;
  refreshToken?: string;
  expiresAt: Date;
  /** Present with a refresh token: the OIDC client it is bound to (what an SSO cache file holds). */
  clientId?: string;
  clientSecret?: string;
  clientSecretExpiresAt?: Date;
  startUrl: string;
  region: string;
}

export interface IssueTokenOptions {
  /** Defaults to the first SSO instance that has the user. */
  startUrl?: string;
  /** Defaults to the instance's access token lifetime. */
  expiresInSeconds?: number;
  /** Also mint a refresh token, bound to a freshly registered client. */
  refresh?: boolean;
}

const CLIENT_SECRET_TTL_MS = 90 * 24 * 3600 * 1000;
const DEVICE_CODE_TTL_S = 600;
const POLL_INTERVAL_S = 1;

export class SsoStore {
  readonly clients = new Map<string, OidcClient>();
  /** By device code. */
  readonly devices = new Map<string, DeviceAuthorization>();
  readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  constructor(
    private readonly state: FakeState,
    /** Approve a pending authorization after this many pending polls (undefined: never). */
    public autoApprove?: number,
  ) {}

  private now(): number {
    return this.state.clock.now();
  }

  registerClient(clientName: string, scopes: string[]): OidcClient {
    const now = this.now();
    const client: OidcClient = {
      clientId: ids.opaque(16),
      clientSecret: `eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.FAKE.${ids.opaque(96)}`,
      clientName,
      scopes,
      issuedAt: now,
      secretExpiresAt: now + CLIENT_SECRET_TTL_MS,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  /** Validates client credentials the way CreateToken/StartDeviceAuthorization do. */
  client(clientId: unknown, clientSecret: unknown): OidcClient {
    const client = typeof clientId === 'string' ? this.clients.get(clientId) : undefined;
    if (!client || typeof clientSecret !== 'string' || client.clientSecret !== clientSecret) {
      throw oidcError(401, 'InvalidClientException', 'invalid_client', 'Invalid client provided');
    }
    if (this.now() >= client.secretExpiresAt) {
      throw oidcError(401, 'InvalidClientException', 'invalid_client', 'Client secret has expired');
    }
    return client;
  }

  startDeviceAuthorization(client: OidcClient, startUrl: string): DeviceAuthorization {
    const auth: DeviceAuthorization = {
      deviceCode: ids.opaque(48),
      userCode: ids.userCode(),
      clientId: client.clientId,
      startUrl,
      expiresAt: this.now() + DEVICE_CODE_TTL_S * 1000,
      interval: POLL_INTERVAL_S,
      pendingPolls: 0,
      status: 'pending',
    };
    this.devices.set(auth.deviceCode, auth);
    return auth;
  }

  private byUserCode(userCode: string): DeviceAuthorization {
    for (const d of this.devices.values()) {
      if (d.userCode === userCode && d.status === 'pending' && this.now() < d.expiresAt) return d;
    }
    throw new Error(`fake-aws: no pending device authorization with user code ${userCode}`);
  }

  /** What the user does in the browser: sign in as `username` and allow access. */
  approve(userCode: string, username: string): void {
    const auth = this.byUserCode(userCode);
    const instance = this.state.ssoInstance(auth.startUrl);
    if (!instance) throw new Error(`fake-aws: start URL ${auth.startUrl} is not a seeded SSO instance`);
    if (!instance.users.some((u) => u.username === username)) {
      throw new Error(`fake-aws: ${username} is not a user of ${instance.startUrl}`);
    }
    auth.status = 'approved';
    auth.username = username;
  }

  /** The user clicks "Deny" in the browser. */
  deny(userCode: string): void {
    this.byUserCode(userCode).status = 'denied';
  }

  /** Pending device authorizations, for tests and demos that approve them. */
  pending(): Array<{ userCode: string; startUrl: string }> {
    return [...this.devices.values()]
      .filter((d) => d.status === 'pending' && this.now() < d.expiresAt)
      .map((d) => ({ userCode: d.userCode, startUrl: d.startUrl }));
  }

  /** Approve through `autoApprove` once enough polls were answered "pending". */
  maybeAutoApprove(auth: DeviceAuthorization): void {
    if (this.autoApprove === undefined || auth.status !== 'pending' || auth.pendingPolls < this.autoApprove) return;
    const user = this.state.ssoInstance(auth.startUrl)?.users[0];
    if (!user) return; // Unknown start URL: like AWS, the browser step can never complete.
    auth.status = 'approved';
    auth.username = user.username;
  }

  mintAccessToken(instance: SeedSsoInstance, username: string, clientId: string | undefined, ttlSeconds?: number): {
    accessToken: string;
    expiresIn: number;
    expiresAt: number;
  } {
    const expiresIn = ttlSeconds ?? instance.accessTokenTtlSeconds ?? 28800;
    const accessToken = `aoaFAKE${ids.opaque(96)}`;
    const expiresAt = this.now() + expiresIn * 1000;
    this.accessTokens.set(accessToken, {
      username,
      startUrl: instance.startUrl,
      ...(clientId ? { clientId } : {}),
      expiresAt,
      revoked: false,
    });
    return { accessToken, expiresIn, expiresAt };
  }

  mintRefreshToken(instance: SeedSsoInstance, username: string, clientId: string): string {
    const token = `aorFAKE${ids.opaque(96)}`;
    this.refreshTokens.set(token, { username, startUrl: instance.startUrl, clientId, revoked: false });
    return token;
  }

  /** Looks up a refresh token for `clientId`; throws invalid_grant when unknown, revoked or foreign. */
  useRefreshToken(token: unknown, clientId: string): { token: string; username: string; instance: SeedSsoInstance; revoke(): void } {
    const entry = typeof token === 'string' ? this.refreshTokens.get(token) : undefined;
    const instance = entry ? this.state.ssoInstance(entry.startUrl) : undefined;
    if (typeof token !== 'string' || !entry || entry.revoked || entry.clientId !== clientId || !instance) {
      throw oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
    }
    return {
      token,
      username: entry.username,
      instance,
      revoke: () => {
        entry.revoked = true;
      },
    };
  }

  /** Revokes refresh tokens (a test fault, or the effect of a portal logout). */
  revokeRefreshTokens(filter: { username?: string; clientId?: string } = {}): void {
    for (const t of this.refreshTokens.values()) {
      if ((filter.username === undefined || t.username === filter.username) && (filter.clientId === undefined || t.clientId === filter.clientId)) {
        t.revoked = true;
      }
    }
  }

  /** Portal side: the bearer token must be known, unrevoked and unexpired. */
  resolveBearer(token: string | undefined): AccessToken & { instance: SeedSsoInstance } {
    const entry = token === undefined ? undefined : this.accessTokens.get(token);
    const instance = entry ? this.state.ssoInstance(entry.startUrl) : undefined;
    if (!entry || !instance || entry.revoked || this.now() >= entry.expiresAt) {
      throw new ApiError(401, 'UnauthorizedException', 'Session token not found or invalid');
    }
    return { ...entry, instance };
  }

  /** Portal Logout: ends the sign-in session, i.e. this access token and the refresh tokens behind it. */
  logout(accessToken: string): void {
    const entry = this.accessTokens.get(accessToken);
    if (!entry) return;
    entry.revoked = true;
    if (entry.clientId) this.revokeRefreshTokens({ username: entry.username, clientId: entry.clientId });
  }

  /** Test helper: a token as if the user had completed `aws sso login`. */
  issueToken(username: string, opts: IssueTokenOptions = {}): IssuedToken {
    const instance = opts.startUrl
      ? this.state.ssoInstance(opts.startUrl)
      : this.state.seed.sso.find((i) => i.users.some((u) => u.username === username));
    if (!instance) throw new Error(`fake-aws: no SSO instance ${opts.startUrl ?? `with user ${username}`}`);
    if (!instance.users.some((u) => u.username === username)) {
      throw new Error(`fake-aws: ${username} is not a user of ${instance.startUrl}`);
    }
    const client = opts.refresh ? this.registerClient('fake-aws-issued', ['sso:account:access']) : undefined;
    const { accessToken, expiresAt } = this.mintAccessToken(instance, username, client?.clientId, opts.expiresInSeconds);
    const out: IssuedToken = {
      accessToken,
      expiresAt: new Date(expiresAt),
      startUrl: instance.startUrl,
      region: instance.region,
    };
    if (client) {
      out.refreshToken = this.mintRefreshToken(instance, username, client.clientId);
      out.clientId = client.clientId;
      out.clientSecret = client.clientSecret;
      out.clientSecretExpiresAt = new Date(client.secretExpiresAt);
    }
    return out;
  }

  /** Every secret minted so far (client secrets, device codes, tokens), for leak checks. */
  issuedSecrets(): string[] {
    return [
      ...[...this.clients.values()].map((c) => c.clientSecret),
      ...this.devices.keys(),
      ...this.accessTokens.keys(),
      ...this.refreshTokens.keys(),
    ];
  }
}

/** OIDC errors carry OAuth-style `error`/`error_description` in the JSON body. */
export function oidcError(status: number, code: string, error: string, description: string): ApiError {
  return new ApiError(status, code, description, { error, error_description: description });
}
