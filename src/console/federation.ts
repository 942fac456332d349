/**
 * AWS's federation sign-in (https://signin.aws.amazon.com/federation): temporary credentials
 * are exchanged for a sign-in token (`Action=getSigninToken`), and the token goes into a
 * console URL (`Action=login`) that signs its holder in for the next 15 minutes. Both are
 * bearer secrets: nothing here ever puts a request URL, the token or a credential into an
 * error message; errors name the step, the host and AWS's status, nothing more.
 */
import { readFileSync } from 'node:fs';
import { currentNetworkPolicy, timeoutMessage } from '../credentials/network.js';
import { CredentialError, UsageError } from '../errors.js';
import type { Credentials } from '../credentials/types.js';

/** What AWS lets `SessionDuration` be, in seconds. */
export const SESSION_DURATION_LIMITS = [900, 43_200] as const;
/** How long a sign-in token (and so the login URL) lasts. */
export const SIGNIN_TOKEN_SECONDS = 15 * 60;
/** Where the console sends the person back when the session ends. */
export const ISSUER = 'awsguard';

export interface SigninTokenRequest {
  /** `https://…/federation` (see destinations.federationEndpoint). */
  endpoint: string;
  credentials: Credentials & { sessionToken: string };
  /** Only where AWS accepts it: role sessions that are not role-chained. */
  sessionDuration?: number;
  env: NodeJS.ProcessEnv;
  /** The profile, first in every error message. */
  profile: string;
}

const STEP = 'get console sign-in token';

export async function getSigninToken(req: SigninTokenRequest): Promise<string> {
  const url = new URL(req.endpoint);
  const session = JSON.stringify({ sessionId: req.credentials.accessKeyId, sessionKey: req.credentials.secretAccessKey, sessionToken: req.credentials.sessionToken });
  const query = new URLSearchParams({ Action: 'getSigninToken' });
  if (req.sessionDuration !== undefined) {
    const [min, max] = SESSION_DURATION_LIMITS;
    if (!Number.isInteger(req.sessionDuration) || req.sessionDuration < min || req.sessionDuration > max) {
      throw new UsageError(`console: a console session lasts ${min}s to ${max}s (15m to 12h), not ${req.sessionDuration}s`);
    }
    query.set('SessionDuration', String(req.sessionDuration));
  }
  query.set('Session', session);
  const { status, body } = await get(url, query.toString(), req);
  if (status !== 200) {
    throw new CredentialError(req.profile, STEP, `${url.host} answered HTTP ${status}${refusalHint(status, req.sessionDuration !== undefined)}`, 'SigninRefused');
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') throw new CredentialError(req.profile, STEP, `${url.host} answered without a sign-in token`, 'SigninRefused');
  return token;
}

function refusalHint(status: number, sentDuration: boolean): string {
  if (status >= 500) return ' (a fault on AWS\'s side; try again)';
  if (sentDuration) return ': AWS refuses SessionDuration for role-chained and federation-token sessions; without --duration the console session lasts as long as the credentials';
  return ': AWS accepts only role, IAM Identity Center and federation-token credentials here, not an IAM user\'s own keys or a GetSessionToken session';
}

/** The URL that signs its holder in: a secret until it is used or 15 minutes have passed. */
export function loginUrl(endpoint: string, token: string, destination: string, issuer = ISSUER): string {
  const query = new URLSearchParams({ Action: 'login', Issuer: issuer, Destination: destination, SigninToken: token });
  return `${endpoint}?${query.toString()}`;
}

async function get(url: URL, query: string, req: SigninTokenRequest): Promise<{ status: number; body: string }> {
  // Loaded here: only a console sign-in needs them.
  const mod = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const ca = caBundle(req.env, req.profile);
  const policy = currentNetworkPolicy();
  const origin = `${url.protocol}//${url.host}`;
  // The same [network] bounds as the SDK clients: a connection in connect_timeout, the whole
  // answer in request_timeout. A timed-out request is destroyed with the message to show.
  const timedOut = (kind: 'connect' | 'request') =>
    new CredentialError(req.profile, STEP, timeoutMessage(kind, origin, kind === 'connect' ? policy.connectTimeoutMs : policy.requestTimeoutMs));
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(err instanceof CredentialError ? err : unreachable(req.profile, url, err));
    const request = mod.request(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port || undefined,
        path: `${url.pathname}?${query}`,
        method: 'GET',
        headers: { accept: 'application/json', 'user-agent': 'awsguard' },
        ...(ca ? { ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      },
    );
    const whole = setTimeout(() => request.destroy(timedOut('request')), policy.requestTimeoutMs);
    request.once('close', () => clearTimeout(whole));
    request.once('socket', (socket) => {
      if (!socket.connecting) return;
      const connecting = setTimeout(() => request.destroy(timedOut('connect')), policy.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(connecting));
      request.once('close', () => clearTimeout(connecting));
    });
    // Node's errors name the address, never the path (which holds the credentials).
    request.on('error', fail);
    request.end();
  });
}

function unreachable(profile: string, url: URL, err: Error): CredentialError {
  const code = (err as NodeJS.ErrnoException).code;
  return new CredentialError(profile, STEP, `cannot reach ${url.host} (${code ?? 'network error'})`, code);
}

function caBundle(env: NodeJS.ProcessEnv, profile: string): Buffer | undefined {
  if (!env.AWS_CA_BUNDLE) return undefined;
  try {
    return readFileSync(env.AWS_CA_BUNDLE);
  } catch (err) {
    throw new CredentialError(profile, STEP, `cannot read AWS_CA_BUNDLE ${env.AWS_CA_BUNDLE}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
