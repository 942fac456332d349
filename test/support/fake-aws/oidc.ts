import { jsonBody } from './rest-json.js';
import type { RestRequest } from './rest-json.js';
import type { RecordDraft } from './recorder.js';
import { oidcError } from './sso-store.js';
import type { SsoStore } from './sso-store.js';
import type { FakeState } from './state.js';

/**
 * SSO-OIDC (`oidc.<region>.amazonaws.com`): RegisterClient,
 * StartDeviceAuthorization and CreateToken with the device-code and
 * refresh-token grants, answering with the OAuth error codes of RFC 8628.
 */

export const OIDC_ROUTES: Record<string, { method: string; action: string }> = {
  '/client/register': { method: 'POST', action: 'RegisterClient' },
  '/device_authorization': { method: 'POST', action: 'StartDeviceAuthorization' },
  '/token': { method: 'POST', action: 'CreateToken' },
};

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REFRESH_GRANT = 'refresh_token';

const invalidRequest = (description: string) => oidcError(400, 'InvalidRequestException', 'invalid_request', description);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export class OidcService {
  constructor(
    private readonly state: FakeState,
    private readonly store: SsoStore,
  ) {}

  handle(action: string, req: RestRequest, rec: RecordDraft): unknown {
    const body = jsonBody(req.body, () => invalidRequest('Request body is not valid JSON'));
    switch (action) {
      case 'RegisterClient':
        return this.registerClient(body);
      case 'StartDeviceAuthorization':
        return this.startDeviceAuthorization(body, rec);
      case 'CreateToken':
        return this.createToken(body, rec);
      default:
        throw invalidRequest(`Unknown operation ${action}`);
    }
  }

  private registerClient(body: Record<string, unknown>): unknown {
    const clientName = str(body.clientName);
    const clientType = str(body.clientType);
    if (!clientName || !clientType) throw invalidRequest('clientName and clientType are required');
    if (clientType !== 'public') {
      throw oidcError(400, 'InvalidClientMetadataException', 'invalid_client_metadata', `Invalid client type: ${clientType}`);
    }
    const scopes = Array.isArray(body.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : [];
    const bad = scopes.find((s) => !/^sso:account:access$|^codewhisperer:|^sso-portal:|^openid$/.test(s));
    if (bad) throw oidcError(400, 'InvalidScopeException', 'invalid_scope', `Invalid scope: ${bad}`);
    const client = this.store.registerClient(clientName, scopes);
    return {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: Math.floor(client.issuedAt / 1000),
      clientSecretExpiresAt: Math.floor(client.secretExpiresAt / 1000),
    };
  }

  private startDeviceAuthorization(body: Record<string, unknown>, rec: RecordDraft): unknown {
    const startUrl = str(body.startUrl);
    if (startUrl) rec.startUrl = startUrl;
    const client = this.store.client(body.clientId, body.clientSecret);
    if (!startUrl) throw invalidRequest('startUrl is required');
    // Like AWS, an unknown start URL is accepted here; only the browser step would fail.
    const auth = this.store.startDeviceAuthorization(client, startUrl);
    const region = this.state.ssoInstance(startUrl)?.region ?? 'us-east-1';
    const verificationUri = `https://device.sso.${region}.amazonaws.com/`;
    return {
      deviceCode: auth.deviceCode,
      userCode: auth.userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${auth.userCode}`,
      expiresIn: Math.round((auth.expiresAt - this.state.clock.now()) / 1000),
      interval: auth.interval,
    };
  }

  private createToken(body: Record<string, unknown>, rec: RecordDraft): unknown {
    const grantType = str(body.grantType);
    if (grantType) rec.grantType = grantType;
    const client = this.store.client(body.clientId, body.clientSecret);
    if (grantType === DEVICE_GRANT) return this.deviceGrant(client.clientId, client.scopes, body.deviceCode);
    if (grantType === REFRESH_GRANT) return this.refreshGrant(client.clientId, body.refreshToken);
    if (!grantType) throw invalidRequest('grantType is required');
    throw oidcError(400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
  }

  private deviceGrant(clientId: string, scopes: string[], deviceCode: unknown): unknown {
    const auth = typeof deviceCode === 'string' ? this.store.devices.get(deviceCode) : undefined;
    if (!auth || auth.clientId !== clientId || auth.status === 'consumed') {
      throw oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid device code provided');
    }
    const now = this.state.clock.now();
    if (now >= auth.expiresAt) throw oidcError(400, 'ExpiredTokenException', 'expired_token', 'Device code has expired');
    if (auth.status === 'denied') throw oidcError(400, 'AccessDeniedException', 'access_denied', 'Access denied by user');
    // RFC 8628 §3.5: polling faster than the advertised interval earns slow_down.
    if (auth.lastPollAt !== undefined && now - auth.lastPollAt < auth.interval * 1000) {
      auth.lastPollAt = now;
      throw oidcError(400, 'SlowDownException', 'slow_down', 'Client is polling too quickly');
    }
    auth.lastPollAt = now;
    this.store.maybeAutoApprove(auth);
    if (auth.status === 'pending' || !auth.username) {
      auth.pendingPolls += 1;
      throw oidcError(400, 'AuthorizationPendingException', 'authorization_pending', 'Authorization is still pending');
    }
    const instance = this.state.ssoInstance(auth.startUrl);
    if (!instance) throw oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid device code provided');
    auth.status = 'consumed';
    const { accessToken, expiresIn } = this.store.mintAccessToken(instance, auth.username, clientId);
    // Refresh tokens are only issued to clients registered with scopes (the sso-session flow).
    const refreshToken = scopes.length > 0 ? this.store.mintRefreshToken(instance, auth.username, clientId) : undefined;
    return { accessToken, tokenType: 'Bearer', expiresIn, ...(refreshToken ? { refreshToken } : {}) };
  }

  private refreshGrant(clientId: string, refreshToken: unknown): unknown {
    const grant = this.store.useRefreshToken(refreshToken, clientId);
    const { accessToken, expiresIn } = this.store.mintAccessToken(grant.instance, grant.username, clientId);
    let next = grant.token;
    if (grant.instance.rotateRefreshTokens !== false) {
      grant.revoke();
      next = this.store.mintRefreshToken(grant.instance, grant.username, clientId);
    }
    return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken: next };
  }
}
