/**
 * The audit log: one JSON line per exec, use or refusal, appended to <stateDir>/audit.jsonl
 * (~/.local/state/awsguard/audit.jsonl). Read back by `awsguard audit`.
 *
 * Appends never interleave: each record is ONE write(2) on a descriptor opened with O_APPEND,
 * and on a local file system the kernel positions and writes it under the file's lock, so
 * parallel awsguard runs each add whole lines whatever their length. (NFS gives no such promise;
 * a state directory on NFS may see torn lines, which readAudit reports rather than hides.)
 *
 * Never a credential: the record is scanned for anything shaped like an access key id, secret
 * key or session token. In argv (what the person typed) such text is redacted, along with the
 * values of flags that carry secrets (`--mfa-code 123456`), and the record is written: the log
 * must not lose the fact of a run. Anywhere else it can only be a bug in awsguard, so the write
 * is refused with an error instead of quietly logging or dropping it.
 *
 * Permissions: the directory is created 0700 and the file 0600. An existing one with looser
 * modes is tightened, not refused: the log holds no secrets (see above), so a loose mode exposes
 * who ran what, which tightening ends, while refusing would stop every exec until someone ran
 * chmod. A symbolic link, or a file or directory owned by another user, is refused: someone else
 * would decide where the records go.
 */
import { closeSync, constants as fs, fchmodSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, chmodSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AwsguardError, ExitCode, GuardRefusal, displayPath } from '../errors.js';
import { isStorageFailure, storageFailureText } from '../credentials/secure-files.js';
import { xdgPaths } from '../xdg-dirs.js';

export interface AuditRecord {
  /** ISO 8601. */
  time: string;
  user: string;
  host: string;
  profile: string;
  account_id: string;
  account_alias: string | null;
  role_arn: string;
  protected: boolean;
  /** `window`: a confirmation typed a few minutes ago in the same terminal session (export). */
  confirmation: 'typed' | 'flag' | 'window' | 'not-needed' | null;
  /** The refusal's reason (`no-terminal`, `pin-mismatch`, ...), or null when it ran. */
  refused: string | null;
  argv: string[];
  policy: { arns: string[]; inline: boolean; read_only: boolean } | null;
  exit_code: number | null;
  duration_ms: number | null;
  /** Ties the records of one run together: a protected exec's grant and its end. */
  run?: string;
  /** `start`: a protected exec's grant, written before the child starts; its end follows. */
  phase?: 'start';
  /** What the credentials server did for this run, when one ran. */
  server?: Readonly<Record<string, string | number | boolean | null>>;
  /** A console sign-in: where it went and how it was handed over (never the URL or its token). */
  console?: Readonly<Record<string, string | number | boolean | null>>;
}

export class AuditError extends AwsguardError {
  override name = 'AuditError';
  /** The audit log, for the refusal that names it. */
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message, ExitCode.internal);
    this.path = path;
  }
}

/**
 * A protected account whose audit record cannot be written (a full disk, a log that is not
 * ours): nothing unrecorded happens in production, so the run is refused, naming the log.
 */
export class AuditUnwritable extends GuardRefusal {
  override name = 'AuditUnwritable';
  readonly path: string | undefined;
  constructor(account: string, cause: AuditError) {
    super(`${account} is a protected account and its audit record cannot be written (${cause.message}); nothing was run`, 'audit-unwritable');
    this.path = cause.path;
  }
}

export function auditFile(env: NodeJS.ProcessEnv): string {
  return join(xdgPaths(env).stateDir, 'audit.jsonl');
}

// ---- secrets ----

export type SecretKind = 'access key id' | 'secret access key' | 'session token';

const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;
/** Runs of the base64 alphabet; a secret key is one of exactly 40, a token one of 100 or more. */
const BASE64_RUN = /[A-Za-z0-9/+]+=*/g;
/** How STS session tokens have begun over the years (base64 of a protobuf-ish header). */
const TOKEN_PREFIXES = ['IQoJb3JpZ2luX2', 'FwoGZXIvYXdzE', 'FQoGZXIvYXdzE', 'AQoDYXdzE', 'AQoEXAMPLE'];

/**
 * Random base64 mixes upper case, lower case and digits throughout; a git SHA (lower-case hex),
 * an ARN or a path almost never does, so they are not mistaken for keys.
 */
function looksRandom(run: string, minUpperShare: number): boolean {
  const upper = run.match(/[A-Z]/g)?.length ?? 0;
  const lower = run.match(/[a-z]/g)?.length ?? 0;
  const digitsOrSigns = run.match(/[0-9/+]/g)?.length ?? 0;
  return lower > 0 && digitsOrSigns > 0 && upper / run.length >= minUpperShare;
}

/** The spans of `text` that look like credentials. */
export function findSecrets(text: string): Array<{ kind: SecretKind; start: number; end: number }> {
  const found: Array<{ kind: SecretKind; start: number; end: number }> = [];
  for (const m of text.matchAll(ACCESS_KEY_ID)) found.push({ kind: 'access key id', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0].replace(/=+$/, '');
    const span = { start: m.index, end: m.index + m[0].length };
    if (run.length >= 100 && (TOKEN_PREFIXES.some((p) => run.startsWith(p)) || looksRandom(run, 0.15))) found.push({ kind: 'session token', ...span });
    else if (run.length === 40 && looksRandom(run, 0.05)) found.push({ kind: 'secret access key', ...span });
  }
  return found;
}

export function looksLikeSecret(text: string): SecretKind | undefined {
  return findSecrets(text)[0]?.kind;
}

const REDACTED = '[REDACTED]';

/** Flags whose value is a secret whatever it looks like. */
const SECRET_FLAGS = new Set(['--mfa-code', '--token-code', '--password', '--secret', '--secret-access-key', '--session-token']);

function redactText(text: string): string {
  const spans = findSecrets(text).sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + REDACTED + out.slice(s.end);
  return out;
}

/** argv with secret-shaped text and secret flags' values replaced by [REDACTED]. */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const previous = argv[i - 1];
    if (previous !== undefined && SECRET_FLAGS.has(previous)) return REDACTED;
    const eq = arg.indexOf('=');
    if (eq > 0 && SECRET_FLAGS.has(arg.slice(0, eq))) return `${arg.slice(0, eq + 1)}${REDACTED}`;
    return redactText(arg);
  });
}

/** Throws when any string in `value` (outside argv) looks like a credential; names the field. */
function assertNoSecrets(value: unknown, path: string): void {
  if (typeof value === 'string') {
    const kind = looksLikeSecret(value);
    if (kind) throw new AuditError(`refusing to write an audit record: ${path} looks like a ${kind} (a bug in awsguard; please report it)`);
  } else if (Array.isArray(value)) value.forEach((v, i) => assertNoSecrets(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertNoSecrets(v, path ? `${path}.${k}` : k);
}

/** The line that would be written: argv redacted, everything else checked. */
export function auditLine(record: AuditRecord): string {
  const { argv, ...rest } = record;
  assertNoSecrets(rest, '');
  // Spread keeps the caller's field order; argv is replaced where it stands.
  return JSON.stringify({ ...record, argv: redactArgv(argv) }) + '\n';
}

// ---- the file ----

const uid = (): number => (typeof process.getuid === 'function' ? process.getuid() : -1);

function ensureStateDir(dir: string, file: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw unwritable(file, err);
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw new AuditError(`cannot keep the audit log in ${displayPath(dir)}: it is not a directory`, file);
  if (uid() !== -1 && st.uid !== uid()) throw new AuditError(`refusing to keep the audit log in ${displayPath(dir)}: it belongs to another user (uid ${st.uid})`, file);
  if (st.mode & 0o077) chmodSync(dir, 0o700);
}

/** The file system's refusal, in words and with the path: `cannot write the audit log ~/...: ENOSPC: no space left on the device`. */
function unwritable(file: string, err: unknown): AuditError {
  const e = err as NodeJS.ErrnoException;
  const why = isStorageFailure(err) ? storageFailureText(err) : (e.code ?? e.message);
  return new AuditError(`cannot write the audit log ${displayPath(file)}: ${why}`, file);
}

export function appendAudit(env: NodeJS.ProcessEnv, record: AuditRecord): void {
  const data = Buffer.from(auditLine(record), 'utf8');
  const file = auditFile(env);
  ensureStateDir(xdgPaths(env).stateDir, file);
  let fd: number;
  try {
    // O_NONBLOCK only so that a FIFO planted at the path fails instead of hanging awsguard.
    fd = openSync(file, fs.O_WRONLY | fs.O_APPEND | fs.O_CREAT | fs.O_NOFOLLOW | fs.O_NONBLOCK, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new AuditError(`refusing to write the audit log ${displayPath(file)}: it is a symbolic link`, file);
    throw unwritable(file, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new AuditError(`refusing to write the audit log ${displayPath(file)}: it is not a regular file`, file);
    if (uid() !== -1 && st.uid !== uid()) throw new AuditError(`refusing to write the audit log ${displayPath(file)}: it belongs to another user (uid ${st.uid})`, file);
    if (st.mode & 0o077) fchmodSync(fd, 0o600);
    // One write(2), not a loop: a second write could land after another run's line (see above).
    let written: number;
    try {
      written = writeSync(fd, data);
    } catch (err) {
      throw unwritable(file, err);
    }
    if (written !== data.length) throw new AuditError(`the audit log ${displayPath(file)} took ${written} of ${data.length} bytes (disk full?)`, file);
  } finally {
    closeSync(fd);
  }
}

export interface AuditQuery {
  /** Records at or after this time. */
  since?: Date;
  /** Records for this account, by id or alias. */
  account?: string;
}

/**
 * The records, oldest first. A line that does not parse (a crash mid-write on NFS, a hand edit)
 * is passed to `onMalformed` with its line number and skipped, so one bad line does not hide the
 * rest of the history.
 */
export function readAudit(env: NodeJS.ProcessEnv, query: AuditQuery = {}, onMalformed?: (line: number, text: string) => void): AuditRecord[] {
  let text: string;
  try {
    text = readFileSync(auditFile(env), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AuditError(`cannot read the audit log ${displayPath(auditFile(env))}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const since = query.since?.getTime();
  const records: AuditRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line === '') return;
    let record: AuditRecord;
    try {
      record = JSON.parse(line) as AuditRecord;
      if (typeof record !== 'object' || record === null || typeof record.time !== 'string') throw new Error('not a record');
    } catch {
      onMalformed?.(index + 1, line);
      return;
    }
    if (since !== undefined && !(Date.parse(record.time) >= since)) return;
    if (query.account !== undefined && record.account_id !== query.account && record.account_alias !== query.account) return;
    records.push(record);
  });
  return records;
}
