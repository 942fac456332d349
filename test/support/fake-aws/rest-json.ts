import type { ApiError } from './errors.js';

/**
 * REST-JSON framing shared by the SSO portal and SSO-OIDC: JSON bodies, and
 * errors identified by the `x-amzn-errortype` header (which the SDK and
 * botocore read first) plus a JSON body.
 */

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Map<string, string>;
  body: string;
}

export interface JsonReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const CORAL_NAMESPACE = {
  sso: 'http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/',
  'sso-oidc': 'http://internal.amazon.com/coral/com.amazonaws.switchboard.oidc/',
} as const;

export function jsonOk(payload: unknown): JsonReply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) };
}

export function jsonError(service: 'sso' | 'sso-oidc', err: ApiError): JsonReply {
  const body = err.body ?? { message: err.message };
  return {
    status: err.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': `${err.code}:${CORAL_NAMESPACE[service]}`,
    },
    body: JSON.stringify(body),
  };
}

/** Parses a JSON request body into an object (empty body → `{}`). */
export function jsonBody(body: string, onError: () => ApiError): Record<string, unknown> {
  if (body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw onError();
}
