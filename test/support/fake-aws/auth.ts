import { amzDate } from './clock.js';
import {
  ApiError,
  expiredToken,
  incompleteSignature,
  invalidClientTokenId,
  missingAuthenticationToken,
  signatureDoesNotMatch,
} from './errors.js';
import { computeSignature, headerValues, parseAmzDate, parseAuthorization, sha256Hex, constantTimeEqual } from './sigv4.js';
import type { AuthorizationHeader, WireRequest } from './sigv4.js';
import type { Caller, FakeState } from './state.js';

/**
 * Authenticates a SigV4-signed request against the fake's credentials, choosing
 * the error AWS would send. Checks run in this order: header shape, credential
 * (unknown key, session token, expiry), clock window, then the signature itself.
 */

/** AWS tolerates 15 minutes of skew between the signer and the service. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

export interface SignedRequest extends WireRequest {
  body: Buffer;
}

/** The Authorization header, or undefined if the request is not signed. */
export function readAuthorization(req: WireRequest): AuthorizationHeader | undefined {
  const value = headerValues(req.rawHeaders).get('authorization');
  return value === undefined ? undefined : parseAuthorization(value);
}

export function authenticate(state: FakeState, req: SignedRequest, auth: AuthorizationHeader | undefined): Caller {
  if (!auth) throw missingAuthenticationToken();
  const headers = headerValues(req.rawHeaders);

  const xAmzDate = headers.get('x-amz-date');
  const httpDate = headers.get('date');
  let requestTime: number | undefined;
  let requestAmzDate: string;
  if (xAmzDate !== undefined) {
    requestTime = parseAmzDate(xAmzDate);
    requestAmzDate = xAmzDate;
  } else if (httpDate !== undefined) {
    const parsed = Date.parse(httpDate);
    requestTime = Number.isNaN(parsed) ? undefined : parsed;
    requestAmzDate = requestTime === undefined ? httpDate : amzDate(requestTime);
  } else {
    throw incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (requestTime === undefined) {
    throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${requestAmzDate}'.`);
  }
  if (auth.date !== requestAmzDate.slice(0, 8)) {
    throw signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${requestAmzDate.slice(0, 8)}', from '${requestAmzDate}'.`,
    );
  }

  const tokenHeader = headers.get('x-amz-security-token');
  const { caller, secret } = lookupCredential(state, auth.accessKeyId, tokenHeader, auth.service);

  const now = state.clock.now();
  if (requestTime < now - MAX_SKEW_MS) {
    throw signatureDoesNotMatch(
      `Signature expired: ${requestAmzDate} is now earlier than ${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 15 min.)`,
    );
  }
  if (requestTime > now + MAX_SKEW_MS) {
    throw signatureDoesNotMatch(
      `Signature not yet current: ${requestAmzDate} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 15 min.)`,
    );
  }

  // The signature must cover the body that arrived, whatever the client claims.
  const bodyHash = sha256Hex(req.body);
  const claimed = headers.get('x-amz-content-sha256');
  if (claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== bodyHash) {
    throw signatureDoesNotMatch();
  }
  const payloadHash = claimed ?? bodyHash;
  const expected = computeSignature(req, auth, secret, requestAmzDate, payloadHash);
  if (!constantTimeEqual(expected, auth.signature)) throw signatureDoesNotMatch();
  return caller;
}

function lookupCredential(
  state: FakeState,
  accessKeyId: string,
  tokenHeader: string | undefined,
  service: string,
): { caller: Caller; secret: string } {
  // IAM words this error without the final period; STS with it.
  const invalid = (): ApiError =>
    service === 'iam'
      ? new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid')
      : invalidClientTokenId();

  const longTerm = state.findAccessKey(accessKeyId);
  if (longTerm) {
    if (longTerm.key.active === false) throw invalid();
    // A key just made is not known everywhere yet: IAM's eventual consistency.
    if (longTerm.key.usableAt !== undefined && state.clock.now() < longTerm.key.usableAt) throw invalid();
    // A session token sent with a long-term key does not belong to it.
    if (tokenHeader !== undefined) throw invalid();
    return { caller: state.userCaller(longTerm.user, accessKeyId), secret: longTerm.key.secretAccessKey };
  }

  const session = state.sessions.get(accessKeyId);
  if (!session) throw invalid();
  // The token is bound to this temporary key: a missing or foreign token is invalid.
  if (tokenHeader === undefined || !constantTimeEqual(session.sessionToken, tokenHeader)) throw invalid();
  if (state.clock.now() >= session.expiresAt) throw expiredToken();
  return { caller: session, secret: session.secretAccessKey };
}
