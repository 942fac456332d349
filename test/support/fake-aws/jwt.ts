import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Just enough JWT (RS256, compact form) for OIDC web identity tokens: the fake mints them the
 * way GitHub Actions, GitLab or an EKS service account would, and verifies them the way STS
 * does, against the provider's public key.
 */
export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  [claim: string]: unknown;
}

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwt(claims: JwtClaims, privateKey: KeyObject, kid = 'fake-aws-1'): string {
  const head = b64(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), privateKey);
  return `${head}.${body}.${b64(signature)}`;
}

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; reason: 'malformed' | 'signature' };

export function verifyJwt(token: string, publicKeyPem: string): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  let header: { alg?: string };
  let claims: JwtClaims;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string };
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims !== 'object' || claims === null) return { ok: false, reason: 'malformed' };
  if (header.alg !== 'RS256') return { ok: false, reason: 'signature' };
  const good = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey(publicKeyPem), Buffer.from(parts[2]!, 'base64url'));
  return good ? { ok: true, claims } : { ok: false, reason: 'signature' };
}

/** The claims of a token, unverified (what a test or a client may read). */
export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

let shared: { publicKeyPem: string; privateKey: KeyObject } | undefined;

/**
 * One RSA key pair per process for the default seed's providers: generating one costs tens of
 * milliseconds, and every test world would pay it.
 */
export function sharedOidcKey(): { publicKeyPem: string; privateKey: KeyObject } {
  if (!shared) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    shared = { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
  }
  return shared;
}
