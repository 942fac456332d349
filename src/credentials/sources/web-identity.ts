/**
 * The web identity token file (EKS service accounts, GitHub Actions, GitLab `id_tokens`): read
 * fresh every time it is needed, since its issuer rotates it in place. The token is a credential:
 * it is never shown, logged or cached; only the claims that say whose it is (iss, sub, aud) are
 * used, to key the session made from it.
 */
import { readFileSync } from 'node:fs';
import type { BaseSource, WebIdentityBase } from '../../config/chain.js';
import { CredentialError, displayPath } from '../../errors.js';
import { sha256Hex } from '../sha256.js';
import { assumeRoleWithWebIdentity, type StepContext } from '../sts.js';
import type { Scope } from '../types.js';
import type { NewSession } from './source.js';

export function isWebIdentity(base: BaseSource): base is WebIdentityBase {
  return base.kind === 'web-identity';
}

/** `asked`: the profile asked for; the step names the profile that declares the role when it is another. */
export function webIdentityStep(base: WebIdentityBase, asked: string): string {
  return `assume role with web identity ${base.roleArn}${base.profile !== asked ? ` (via ${base.profile})` : ''}`;
}

/**
 * What keys the session in the cache: the role, the file and whose token it is (iss, sub, aud),
 * not the token itself, so a rotated token of the same identity reuses the session until it runs
 * out, and a different identity behind the same path (another job on a reused runner) never gets
 * the previous one's session. A token that is not a JWT says nothing of whose it is: then the
 * token itself (hashed) keys the session.
 */
export function webIdentityMaterial(base: WebIdentityBase, token: WebIdentityToken, sessionName: string, durationSeconds: number | undefined, scope: Scope | undefined): unknown[] {
  const whose = token.subject ? [token.subject.iss, token.subject.sub, token.subject.aud] : [sha256Hex(token.token)];
  return [1, 'web-identity', base.roleArn, base.tokenFile, ...whose, sessionName, durationSeconds ?? null, scope ?? null];
}

export interface WebIdentityRequest {
  token: WebIdentityToken;
  sessionName: string;
  durationSeconds?: number;
  scope?: Scope;
  step: string;
}

/** An expired token is refused here, when STS would be asked, not when a cached session serves. */
export async function resolveWebIdentity(ctx: StepContext, base: WebIdentityBase, req: WebIdentityRequest, now: number): Promise<NewSession> {
  checkNotExpired(ctx.profile, req.step, base.tokenFile, req.token, now);
  return assumeRoleWithWebIdentity(
    ctx,
    {
      roleArn: base.roleArn,
      sessionName: req.sessionName,
      token: req.token.token,
      ...(req.durationSeconds !== undefined ? { durationSeconds: req.durationSeconds } : {}),
      ...(req.scope ? { scope: req.scope } : {}),
    },
    `${req.step} (token from ${base.tokenFile})`,
  );
}

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
function checkNotExpired(profile: string, step: string, file: string, token: WebIdentityToken, now: number): void {
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
