/**
 * The credentials endpoint for long-running children (`exec --server`): an HTTP server on
 * 127.0.0.1 speaking the container-credentials protocol every SDK and the AWS CLI read
 * (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN). It answers with the
 * current session and renews it through the credential engine before it ends.
 *
 * Only the child may use it: a random token per run, compared in constant time; loopback only;
 * and no route takes a profile or role from the request (aws-vault's has one, and it lets any
 * local process that finds the port become any profile).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

export interface ServerStats {
  requests: number;
  renewals: number;
  refused: number;
  failures: number;
}

export interface CredentialServerOptions {
  /** Fresh credentials from the engine (skipping its cache); called when the current ones near their end. */
  renew: () => Promise<ServedCredentials>;
  initial: ServedCredentials;
  now: () => number;
  /** Told about failed renewals, so awsguard can say so on stderr. */
  onRenewFailure?: (err: Error) => void;
  onRenewed?: (c: ServedCredentials) => void;
}

export interface CredentialServer {
  url: string;
  token: string;
  stats: ServerStats;
  /** The environment that points a child at this server. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/**
 * Renew this long before the end: fifteen minutes (when botocore and the SDKs start asking for
 * fresh container credentials), or a third of a short session.
 */
export function renewalMargin(lifetimeMs: number): number {
  return Math.min(RENEWAL_MARGIN_MS, Math.max(1000, lifetimeMs / 3));
}

export const RENEWAL_MARGIN_MS = 15 * 60_000;

function tokensEqual(given: string | undefined, token: Buffer): boolean {
  if (!given) return false;
  const g = Buffer.from(given);
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time flat.
  return g.length === token.length ? timingSafeEqual(g, token) : (timingSafeEqual(token, token), false);
}

export async function startCredentialServer(opts: CredentialServerOptions): Promise<CredentialServer> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const stats: ServerStats = { requests: 0, renewals: 0, refused: 0, failures: 0 };
  let current = opts.initial;
  let issuedAt = opts.now();
  let renewing: Promise<ServedCredentials> | undefined;

  const due = () => {
    if (!current.expiration) return false;
    const end = current.expiration.getTime();
    return end - opts.now() <= renewalMargin(end - issuedAt);
  };

  const fresh = async (): Promise<ServedCredentials> => {
    if (!due()) return current;
    renewing ??= opts
      .renew()
      .then((c) => {
        current = c;
        issuedAt = opts.now();
        stats.renewals++;
        opts.onRenewed?.(c);
        return c;
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    if (!tokensEqual(req.headers.authorization, tokenBytes)) {
      stats.refused++;
      return send(res, 403, { Code: 'AccessDenied', Message: 'missing or wrong authorization token' });
    }
    if (req.method !== 'GET' || (req.url !== '/' && req.url !== '/credentials')) {
      return send(res, 404, { Code: 'NotFound', Message: 'the only route is GET /' });
    }
    try {
      const c = await fresh();
      send(res, 200, {
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Token: c.sessionToken,
        ...(c.expiration ? { Expiration: c.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
      });
    } catch (err) {
      stats.failures++;
      opts.onRenewFailure?.(err as Error);
      // The SDKs surface this message; the child decides what to do and is not killed.
      send(res, 500, { Code: 'RenewalFailed', Message: `awsguard could not renew the credentials: ${(err as Error).message}` });
    }
  };

  // Renew in the background too: requests stay fast, and a renewal that cannot happen (an MFA
  // session that ended) is reported while the current credentials still work.
  const lifetime = current.expiration ? current.expiration.getTime() - issuedAt : 0;
  const timer = current.expiration
    ? setInterval(() => {
        if (due()) fresh().catch((err: Error) => {
          stats.failures++;
          opts.onRenewFailure?.(err);
        });
      }, Math.max(250, Math.min(60_000, renewalMargin(lifetime) / 2)))
    : undefined;
  timer?.unref();

  // Loaded here: every exec would otherwise pay for node:http at start-up.
  const { createServer } = await import('node:http');
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    token,
    stats,
    env: () => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: url, AWS_CONTAINER_AUTHORIZATION_TOKEN: token }),
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
