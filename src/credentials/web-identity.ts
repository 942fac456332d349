/**
 * The web identity token file (EKS service accounts, GitHub Actions, GitLab `id_tokens`): read
 * fresh every time it is needed, since its issuer rotates it in place. The token is a credential:
 * it is never shown, logged or cached; only the claims that say whose it is (iss, sub, aud) are
 * used, to key the session made from it.
 */
import { readFileSync } from 'node:fs';
import { CredentialError, displayPath } from '../errors.js';

export interface WebIdentityToken {
  token: string;
  /** Whose token it is, when it is a JWT (an OIDC ID token always is). */
  subject?: { iss: string; sub: string; aud: string };
  /** `exp`, in ms, when the token carries one. */
  expiresAt?: number;
}

export function readWebIdentityToken(profile: string, step: string, file: string): WebIdentityToken {
  let token: string;
  try {
    // As botocore: the path is used as written (no ~ expansion), the content as it is.
    token = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? (err as Error).message);
    throw new CredentialError(profile, step, `cannot read the web identity token file ${displayPath(file)}: ${why}`, 'WebIdentityTokenMissing');
  }
  // A trailing newline (echo "$TOKEN" > file) is not part of the token; anything else is left to STS.
  token = token.replace(/\r?\n$/, '');
  if (token.trim() === '') throw new CredentialError(profile, step, `the web identity token file ${displayPath(file)} is empty`, 'WebIdentityTokenMissing');
  const out: WebIdentityToken = { token };
  const claims = jwtClaims(token);
  if (claims) {
    const aud = Array.isArray(claims.aud) ? claims.aud.join(' ') : claims.aud;
    if (typeof claims.iss === 'string' && typeof claims.sub === 'string') out.subject = { iss: claims.iss, sub: claims.sub, aud: typeof aud === 'string' ? aud : '' };
    if (typeof claims.exp === 'number' && Number.isFinite(claims.exp)) out.expiresAt = claims.exp * 1000;
  }
  return out;
}

/** Refuses a token whose `exp` has passed, before STS is asked (its answer would not name the file). */
export function checkNotExpired(profile: string, step: string, file: string, token: WebIdentityToken, now: number): void {
  if (token.expiresAt === undefined || token.expiresAt > now) return;
  const ago = Math.max(1, Math.round((now - token.expiresAt) / 60_000));
  throw new CredentialError(
    profile,
    step,
    `the web identity token in ${displayPath(file)} expired at ${new Date(token.expiresAt).toISOString()} (${ago} minute${ago === 1 ? '' : 's'} ago); its issuer must write a fresh one`,
    'WebIdentityTokenExpired',
  );
}

/** The payload of a compact JWT, not verified (STS verifies it); undefined when it is not one. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const v = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
