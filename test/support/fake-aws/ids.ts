import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Identifier shapes copied from AWS so that code parsing them (prefix checks,
 * length checks, regexes in the CLI) sees realistic values.
 */
/** AWS key and role ids use the base32 alphabet. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** Temporary access key id: `ASIA` + 16 characters. */
export const tempAccessKeyId = (): string => `ASIA${randomFrom(BASE32, 16)}`;

/** Long-term access key id of an IAM user: `AKIA` + 16 characters. */
export const userAccessKeyId = (): string => `AKIA${randomFrom(BASE32, 16)}`;

/** 40-character secret, like a real one (base64 alphabet incl. `/` and `+`). */
export const secretAccessKey = (): string => randomBytes(30).toString('base64');

/**
 * Session tokens are opaque and long on AWS; the fake keeps them in its session
 * table (bound to one temp key), so the content only needs to be unguessable.
 */
export const sessionToken = (): string => `FwoGZXIvYXdzEFAKE${randomBytes(192).toString('base64')}`;

export const requestId = (): string => randomUUID();

/** A stable 17-character id suffix (role ids, user ids) derived from a name. */
export function stableId(prefix: 'AROA' | 'AIDA', name: string): string {
  const digest = createHash('sha256').update(name).digest();
  let out = '';
  for (let i = 0; i < 17; i++) out += BASE32[(digest[i] ?? 0) % BASE32.length];
  return prefix + out;
}

/** Lowercase hex of a sha256, shortened: the AWSReservedSSO_<ps>_<hex16> suffix. */
export const shortHex = (input: string, length = 16): string =>
  createHash('sha256').update(input).digest('hex').slice(0, length);

/** URL-safe opaque token (OIDC client ids, device codes, access/refresh tokens). */
export const opaque = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Device-flow user code: `ABCD-EFGH`, no ambiguous characters. */
export function userCode(): string {
  const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
  return `${randomFrom(alphabet, 4)}-${randomFrom(alphabet, 4)}`;
}
