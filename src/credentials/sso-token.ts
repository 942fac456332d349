/**
 * The AWS CLI's SSO token cache (~/.aws/sso/cache/<sha1>.json), read and written in its own
 * format so that a login by either tool serves both: the file name is the SHA-1 of the
 * sso-session name (or, for the legacy inline form, of the start URL), the fields are the CLI's.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expandUser } from '../config/aws-file-paths.js';
import { InsecureFileError, readPrivateFile, removeFile, writePrivateFile } from './secure-files.js';
import { builtin } from '../builtin.js';

export interface SsoToken {
  startUrl: string;
  region: string;
  accessToken: string;
  /** `2026-11-23T20:00:00Z`, as the CLI writes it. */
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

export interface SsoRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: string;
  scopes?: string[];
}

export function ssoCacheDir(env: NodeJS.ProcessEnv): string {
  return expandUser('~/.aws/sso/cache', env);
}

/** node:crypto only on the SSO paths that read a token: a cached session should not load it. */
function sha1(s: string): string {
  const { createHash } = builtin<typeof import('node:crypto')>('node:crypto');
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

export function tokenFile(dir: string, startUrl: string, sessionName?: string): string {
  return join(dir, `${sha1(sessionName ?? startUrl)}.json`);
}

/** Python's `json.dumps(obj, sort_keys=True)` for the flat shape botocore hashes. */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  if (Array.isArray(value)) return '[' + value.map(pyJsonDumps).join(', ') + ']';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, v]) => `${pyJsonDumps(k)}: ${pyJsonDumps(v)}`).join(', ') + '}';
  }
  return JSON.stringify(value);
}

export function registrationFile(dir: string, region: string, startUrl: string, sessionName: string | undefined, scopes: string[] | undefined): string {
  const key = pyJsonDumps({ tool: 'botocore', startUrl, region, scopes: scopes ?? null, session_name: sessionName ?? null });
  return join(dir, `${sha1(key)}.json`);
}

/** The CLI's timestamp format: seconds, UTC, `Z`. */
export function cliTimestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Dates the CLI has written over the years: `...Z`, `...+00:00`, and old `...UTC`. */
export function parseCliTime(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s.replace(/UTC$/, 'Z'));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function readJson<T>(path: string): T | undefined {
  const text = readPrivateFile(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export function readToken(dir: string, startUrl: string, sessionName?: string): SsoToken | undefined {
  const t = readJson<SsoToken>(tokenFile(dir, startUrl, sessionName));
  return t && typeof t.accessToken === 'string' && typeof t.expiresAt === 'string' ? t : undefined;
}

/** The CLI makes this directory with the default umask; we accept that but make ours private. */
function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new InsecureFileError(dir, 'it is not a directory', 'remove it');
  if (st.mode & 0o002) throw new InsecureFileError(dir, 'anyone can write to it', `run: chmod 700 ${dir}`);
}

export function writeToken(dir: string, token: SsoToken, sessionName?: string): void {
  ensureDir(dir);
  writePrivateFile(tokenFile(dir, token.startUrl, sessionName), JSON.stringify(token));
}

export function removeToken(dir: string, startUrl: string, sessionName?: string): boolean {
  return removeFile(tokenFile(dir, startUrl, sessionName));
}

export function readRegistration(path: string): SsoRegistration | undefined {
  return readJson<SsoRegistration>(path);
}

export function writeRegistration(dir: string, path: string, reg: SsoRegistration): void {
  ensureDir(dir);
  writePrivateFile(path, JSON.stringify(reg));
}
