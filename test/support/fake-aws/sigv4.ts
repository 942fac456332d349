import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { incompleteSignature } from './errors.js';

/**
 * AWS Signature Version 4, server side: parse the Authorization header, rebuild
 * the canonical request from what actually arrived on the wire, and compare
 * signatures in constant time. Pure functions; the credential lookup and the
 * AWS error choice live in auth.ts.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface AuthorizationHeader {
  accessKeyId: string;
  /** YYYYMMDD from the credential scope. */
  date: string;
  region: string;
  service: string;
  /** `date/region/service/aws4_request` */
  scope: string;
  signedHeaders: string[];
  signature: string;
}

/** The parts of an HTTP request that SigV4 covers, as received. */
export interface WireRequest {
  method: string;
  /** Path as sent on the request line, still percent-encoded, without the query. */
  rawPath: string;
  /** Query string as sent, without the `?`. */
  rawQuery: string;
  /** Node's `req.rawHeaders`: alternating names and values, duplicates kept. */
  rawHeaders: string[];
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export function parseAuthorization(value: string): AuthorizationHeader {
  const space = value.indexOf(' ');
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'`);
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    throw incompleteSignature(
      `${missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ')} Authorization=${algorithm}`,
    );
  }
  const credential = fields.get('Credential') ?? '';
  const scopeParts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = scopeParts;
  if (scopeParts.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    throw incompleteSignature(
      `Credential should be scoped to a valid region, service and terminator 'aws4_request'. Credential=${credential}`,
    );
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    scope: `${date}/${region}/${service}/aws4_request`,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';'),
    signature: fields.get('Signature') ?? '',
  };
}

/** RFC 3986 encoding as SigV4 defines it: only A-Z a-z 0-9 - _ . ~ stay literal. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Non-S3 services normalise the path (drop `.`, resolve `..`, collapse empty
 * segments) and encode the already-encoded path once more.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `/${segments.join('/')}${trailing}`;
  return uriEncode(normalized).replace(/%2F/g, '/');
}

export function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
    if (key === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(key), uriEncode(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Header values as SigV4 sees them: trimmed, inner whitespace collapsed, repeats joined by `,`. */
export function headerValues(rawHeaders: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = (rawHeaders[i + 1] ?? '').trim().replace(/\s+/g, ' ');
    const prev = out.get(name);
    out.set(name, prev === undefined ? value : `${prev},${value}`);
  }
  return out;
}

export function canonicalRequest(req: WireRequest, signedHeaders: string[], payloadHash: string): string {
  const headers = headerValues(req.rawHeaders);
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${headers.get(h) ?? ''}\n`).join('');
  return [
    req.method.toUpperCase(),
    canonicalUri(req.rawPath),
    canonicalQuery(req.rawQuery),
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function computeSignature(
  req: WireRequest,
  auth: Pick<AuthorizationHeader, 'date' | 'region' | 'service' | 'scope' | 'signedHeaders'>,
  secret: string,
  amzDate: string,
  payloadHash: string,
): string {
  const sts = stringToSign(amzDate, auth.scope, canonicalRequest(req, auth.signedHeaders, payloadHash));
  return createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service)).update(sts, 'utf8').digest('hex');
}

/** Constant-time comparison (signatures, session tokens), so the fake is no timing oracle. */
export function constantTimeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Parses `20240102T030405Z`; undefined if malformed. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/**
 * Client-side signing, for tests that need to hand-craft or tamper with a
 * request (the SDK would always sign what it sends). Returns the headers to add.
 */
export function signRequest(
  req: { method: string; url: URL; headers: Record<string, string>; body: string },
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  opts: { region: string; service: string; timeMs: number },
): Record<string, string> {
  const date = new Date(opts.timeMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const headers: Record<string, string> = {
    ...req.headers,
    host: req.url.host,
    'x-amz-date': date,
    'x-amz-content-sha256': sha256Hex(req.body),
  };
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const signedHeaders = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lowered: string[] = [];
  for (const [k, v] of Object.entries(headers)) lowered.push(k.toLowerCase(), v);
  const scope = `${date.slice(0, 8)}/${opts.region}/${opts.service}/aws4_request`;
  const wire: WireRequest = {
    method: req.method,
    rawPath: req.url.pathname,
    rawQuery: req.url.search.replace(/^\?/, ''),
    rawHeaders: lowered,
  };
  const signature = computeSignature(
    wire,
    { date: date.slice(0, 8), region: opts.region, service: opts.service, scope, signedHeaders },
    creds.secretAccessKey,
    date,
    headers['x-amz-content-sha256'] ?? '',
  );
  return {
    ...headers,
    authorization: `${ALGORITHM} Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
}
