import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from './sigv4.js';
import type { RecordDraft } from './recorder.js';
import type { FakeState, Session } from './state.js';

/**
 * The console federation endpoint (`/federation`), with the rules AWS applies:
 *
 * - `Action=getSigninToken&Session={"sessionId","sessionKey","sessionToken"}` accepts only
 *   temporary credentials of a role session (AssumeRole, SSO role credentials) or a federation
 *   token; an IAM user's keys and GetSessionToken sessions are refused (HTTP 400).
 * - `SessionDuration` is an integer from 900 to 43200, and is refused for federation-token
 *   sessions and for role-chained sessions (a role assumed from a role session).
 * - The console session lasts `SessionDuration` when given, else as long as the credentials.
 * - The sign-in token is single-use and valid 15 minutes; `Action=login&SigninToken&Destination`
 *   answers 302 to the Destination (an https AWS console page only) and sets a cookie naming the
 *   console session, which tests look up with `FakeAws.signin.session(id)`.
 *
 * Only GET, as AWS documents. Error bodies are plain text: AWS's are an HTML page that says
 * little, so clients must not depend on them.
 */

export const SIGNIN_TOKEN_TTL_MS = 15 * 60 * 1000;
export const CONSOLE_COOKIE = 'fake-aws-console-session';

export interface ConsoleSession {
  id: string;
  /** The principal as GetCallerIdentity reports it. */
  arn: string;
  account: string;
  /** The temporary key the token was made from (never its secret). */
  accessKeyId: string;
  kind: Session['kind'];
  /** When the console session ends (fake clock, ms). */
  expiresAt: number;
  /** SessionDuration as sent, if it was. */
  sessionDuration?: number;
  destination: string;
  issuer?: string;
  /** Whether the credentials carried a session policy (scoped). */
  scoped: boolean;
  createdAt: number;
}

interface SigninToken {
  session: Session;
  issuedAt: number;
  consoleExpiresAt: number;
  sessionDuration?: number;
  used: boolean;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const CONSOLE_HOSTS = ['console.aws.amazon.com', 'console.amazonaws.cn', 'console.amazonaws-us-gov.com'];

export class SigninService {
  private readonly tokens = new Map<string, SigninToken>();
  readonly sessions: ConsoleSession[] = [];

  constructor(private readonly state: FakeState) {}

  handle(method: string, query: URLSearchParams, rec: RecordDraft): Reply {
    const action = query.get('Action') ?? '';
    rec.action = action;
    if (method !== 'GET') return bad(405, `${method} is not supported here`);
    if (action === 'getSigninToken') return this.getSigninToken(query, rec);
    if (action === 'login') return this.login(query, rec);
    return bad(400, 'unknown Action');
  }

  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  private getSigninToken(query: URLSearchParams, rec: RecordDraft): Reply {
    const rawDuration = query.get('SessionDuration');
    if (rawDuration !== null) rec.sessionDuration = Number(rawDuration);
    const raw = query.get('Session');
    if (raw === null) return bad(400, 'Session is required');
    let parsed: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown };
    try {
      parsed = JSON.parse(raw) as typeof parsed;
    } catch {
      return bad(400, 'Invalid credentials parameter');
    }
    const { sessionId, sessionKey, sessionToken } = parsed;
    if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') return bad(400, 'Invalid credentials parameter');
    rec.accessKeyId = sessionId;
    // An IAM user's own keys never reach the console this way.
    if (this.state.findAccessKey(sessionId)) return bad(400, 'Invalid credentials parameter');
    const session = this.state.sessions.get(sessionId);
    if (!session || !constantTimeEqual(session.secretAccessKey, sessionKey) || !constantTimeEqual(session.sessionToken, sessionToken)) {
      return bad(400, 'Invalid credentials parameter');
    }
    const now = this.state.clock.now();
    if (now >= session.expiresAt) return bad(400, 'The credentials have expired');
    rec.callerArn = session.arn;
    rec.account = session.account;
    if (session.kind === 'session-token') return bad(400, 'GetSessionToken credentials cannot be used to sign in to the console');
    let consoleExpiresAt = session.expiresAt;
    let sessionDuration: number | undefined;
    if (rawDuration !== null) {
      if (!/^\d+$/.test(rawDuration)) return bad(400, 'SessionDuration must be a number of seconds');
      sessionDuration = Number(rawDuration);
      if (sessionDuration < 900 || sessionDuration > 43_200) return bad(400, 'SessionDuration must be from 900 to 43200');
      if (session.kind === 'federated-user') return bad(400, 'SessionDuration cannot be used with GetFederationToken credentials');
      if (session.roleChained) return bad(400, 'SessionDuration cannot be used with credentials from role chaining');
      consoleExpiresAt = now + sessionDuration * 1000;
    }
    // A Base64 alphabet (with + and /), so that clients must encode it in the login URL.
    const token = `FAKESIGNIN${randomBytes(240).toString('base64').replace(/=+$/, '')}`;
    this.tokens.set(token, { session, issuedAt: now, consoleExpiresAt, used: false, ...(sessionDuration !== undefined ? { sessionDuration } : {}) });
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ SigninToken: token }) };
  }

  private login(query: URLSearchParams, rec: RecordDraft): Reply {
    const token = query.get('SigninToken');
    const destination = query.get('Destination');
    const issuer = query.get('Issuer');
    if (destination !== null) rec.destination = destination;
    if (token === null || destination === null) return bad(400, 'SigninToken and Destination are required');
    let url: URL;
    try {
      url = new URL(destination);
    } catch {
      return bad(400, 'Destination is not a URL');
    }
    const host = url.hostname;
    if (url.protocol !== 'https:' || !CONSOLE_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))) return bad(400, 'Destination must be an AWS console page');
    const entry = this.tokens.get(token);
    const now = this.state.clock.now();
    if (!entry || entry.used || now - entry.issuedAt >= SIGNIN_TOKEN_TTL_MS) return bad(400, 'The sign-in token is invalid or has expired');
    entry.used = true;
    rec.callerArn = entry.session.arn;
    rec.account = entry.session.account;
    const id = randomBytes(12).toString('hex');
    this.sessions.push({
      id,
      arn: entry.session.arn,
      account: entry.session.account,
      accessKeyId: entry.session.accessKeyId,
      kind: entry.session.kind,
      // SessionDuration counts from the sign-in; otherwise the credentials' own end.
      expiresAt: entry.sessionDuration !== undefined ? now + entry.sessionDuration * 1000 : entry.consoleExpiresAt,
      ...(entry.sessionDuration !== undefined ? { sessionDuration: entry.sessionDuration } : {}),
      destination,
      ...(issuer !== null ? { issuer } : {}),
      scoped: entry.session.sessionPolicies !== undefined,
      createdAt: now,
    });
    return { status: 302, headers: { location: destination, 'set-cookie': `${CONSOLE_COOKIE}=${id}; Path=/; Secure; HttpOnly` }, body: '' };
  }
}

function bad(status: number, message: string): Reply {
  return { status, headers: { 'content-type': 'text/plain' }, body: `${message}\n` };
}
