import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditError, appendAudit, auditFile, auditLine, findSecrets, looksLikeSecret, readAudit, redactArgv, type AuditRecord } from '../../src/guard/audit.js';

const WRITER = fileURLToPath(new URL('../fixtures-bin/audit-writer.ts', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'awsguard-audit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshEnv = () => ({ HOME: join(tmp, `home-${n++}`) });

const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  time: '2026-11-23T19:00:00.000Z',
  user: 'alice',
  host: 'laptop',
  profile: 'prod-admin',
  account_id: '333333333333',
  account_alias: 'acme-prod',
  role_arn: 'arn:aws:sts::333333333333:assumed-role/Admin/alice',
  protected: true,
  confirmation: 'typed',
  refused: null,
  argv: ['exec', '-p', 'prod-admin', '--', 'aws', 's3', 'ls'],
  policy: { arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], inline: false, read_only: true },
  exit_code: 0,
  duration_ms: 1234,
  ...over,
});

// Shaped like the real thing (and like the fake AWS's).
const accessKeyId = 'ASIAQWERTYUIOPASDFGH';
const secretKey = randomBytes(30).toString('base64');
const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(300).toString('base64')}`;
const docsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('audit: where and how', () => {
  it('appends one JSON line per record under $XDG_STATE_HOME/awsguard, dir 0700 and file 0600', () => {
    const env = freshEnv();
    appendAudit(env, record());
    appendAudit(env, record({ refused: 'no-terminal', confirmation: null, exit_code: null, duration_ms: null }));
    const file = auditFile(env);
    expect(file).toBe(join(env.HOME, '.local', 'state', 'awsguard', 'audit.jsonl'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.HOME, '.local', 'state', 'awsguard')).mode & 0o777).toBe(0o700);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(record());
    expect(JSON.parse(lines[1]!)).toMatchObject({ refused: 'no-terminal', confirmation: null });
    expect(auditFile({ HOME: '/h', XDG_STATE_HOME: '/state' })).toBe('/state/awsguard/audit.jsonl');
  });

  it('tightens a log and directory that others could read', () => {
    const env = freshEnv();
    appendAudit(env, record());
    const dir = join(env.HOME, '.local', 'state', 'awsguard');
    chmodSync(dir, 0o755);
    chmodSync(auditFile(env), 0o644);
    appendAudit(env, record());
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(auditFile(env)).mode & 0o777).toBe(0o600);
  });

  it('refuses a symbolic link where the log should be', () => {
    const env = freshEnv();
    const dir = join(env.HOME, '.local', 'state', 'awsguard');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const elsewhere = join(tmp, `elsewhere-${n}`);
    writeFileSync(elsewhere, '');
    symlinkSync(elsewhere, join(dir, 'audit.jsonl'));
    expect(() => appendAudit(env, record())).toThrow(AuditError);
    expect(() => appendAudit(env, record())).toThrow(/symbolic link/);
    expect(readFileSync(elsewhere, 'utf8')).toBe('');
  });

  // Bundled once, so 20 writers start in milliseconds instead of each compiling TypeScript.
  let writerJs = '';
  beforeAll(() => {
    writerJs = join(tmp, 'audit-writer.mjs');
    buildSync({ entryPoints: [WRITER], bundle: true, platform: 'node', format: 'esm', outfile: writerJs, logLevel: 'error' });
  });

  it('never lets parallel writers interleave: 20 processes × 50 records of ~2 KB', async () => {
    const env = { ...freshEnv(), PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const writers = Array.from({ length: 20 }, (_, w) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [writerJs, String(w), '50', '2048'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`writer ${w} exited ${code}: ${stderr}`))));
      }),
    );
    await Promise.all(writers);
    const lines = readFileSync(auditFile(env), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1000);
    const seen = new Set<string>();
    for (const line of lines) {
      expect(line.length).toBeGreaterThan(2048);
      const r = JSON.parse(line) as AuditRecord;
      seen.add(r.argv[3]!);
    }
    expect(seen.size).toBe(1000);
  });
});

describe('audit: never a credential', () => {
  it('recognises access key ids, secret keys and session tokens', () => {
    expect(looksLikeSecret(accessKeyId)).toBe('access key id');
    expect(looksLikeSecret(`key=${accessKeyId};`)).toBe('access key id');
    expect(looksLikeSecret(secretKey)).toBe('secret access key');
    expect(looksLikeSecret(docsSecret)).toBe('secret access key');
    expect(looksLikeSecret(sessionToken)).toBe('session token');
    expect(looksLikeSecret(`FwoGZXIvYXdzEFAKE${randomBytes(192).toString('base64')}`)).toBe('session token');
    expect(looksLikeSecret(randomBytes(200).toString('base64'))).toBe('session token');
  });

  it.each([
    'arn:aws:sts::333333333333:assumed-role/Admin/alice',
    'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'e83c5163316f89bfbde7d9ab23ca2e25604af290', // a git SHA, 40 lower-case hex
    '/home/alice/projects/infrastructure/terraform/modules/network/main.tf',
    '/Users/alice/Library/Application Support/Code/User/settings.json',
    'AROAQWERTYUIOPASDFGHJ:alice',
    '2026-11-23T19:00:00.000Z',
    '333333333333',
    'acme-production',
    'ASIA-not-a-key',
    '550e8400-e29b-41d4-a716-446655440000',
    's3://my-bucket/some/prefix/object-name-that-is-quite-long-indeed/part-00001.parquet',
  ])('does not mistake %j for a secret', (text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it('redacts secrets in argv, and the values of secret-bearing flags, keeping the rest', () => {
    expect(redactArgv(['exec', '--mfa-code', '123456', '--', 'aws', 'configure', 'set', 'aws_secret_access_key', docsSecret])).toEqual([
      'exec', '--mfa-code', '[REDACTED]', '--', 'aws', 'configure', 'set', 'aws_secret_access_key', '[REDACTED]',
    ]);
    expect(redactArgv(['--token-code=654321', `--header=X-Key:${accessKeyId}`, 'plain'])).toEqual(['--token-code=[REDACTED]', '--header=X-Key:[REDACTED]', 'plain']);
  });

  it('writes the record with argv redacted, and no secret anywhere in the file', () => {
    const env = freshEnv();
    appendAudit(env, record({ argv: ['exec', '--', 'env', `AWS_SESSION_TOKEN=${sessionToken}`, `AWS_SECRET_ACCESS_KEY=${secretKey}`] }));
    const text = readFileSync(auditFile(env), 'utf8');
    for (const secret of [sessionToken, secretKey]) expect(text).not.toContain(secret);
    expect(JSON.parse(text).argv).toEqual(['exec', '--', 'env', 'AWS_SESSION_TOKEN=[REDACTED]', 'AWS_SECRET_ACCESS_KEY=[REDACTED]']);
  });

  it.each([
    ['role_arn', { role_arn: secretKey }],
    ['profile', { profile: accessKeyId }],
    ['policy.arns[0]', { policy: { arns: [sessionToken], inline: true, read_only: false } }],
    ['server.note', { server: { note: secretKey } }],
  ])('refuses to write a credential in %s (a bug), and writes nothing', (field, over) => {
    const env = freshEnv();
    expect(() => appendAudit(env, record(over as Partial<AuditRecord>))).toThrow(new RegExp(`refusing to write an audit record: ${field.replace(/[[\].]/g, '\\$&')} looks like`));
    expect(() => readFileSync(auditFile(env))).toThrow(/ENOENT/);
  });

  it('auditLine is what gets written', () => {
    expect(auditLine(record())).toBe(JSON.stringify(record()) + '\n');
  });
});

describe('readAudit', () => {
  it('filters by time and by account id or alias; a missing log is empty', () => {
    const env = freshEnv();
    expect(readAudit(env)).toEqual([]);
    appendAudit(env, record({ time: '2026-11-20T10:00:00.000Z' }));
    appendAudit(env, record({ time: '2026-11-23T10:00:00.000Z', account_id: '111111111111', account_alias: 'acme-dev' }));
    appendAudit(env, record({ time: '2026-11-23T11:00:00.000Z', account_alias: null }));
    expect(readAudit(env)).toHaveLength(3);
    expect(readAudit(env, { since: new Date('2026-11-23T10:00:00Z') }).map((r) => r.time)).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-23T11:00:00.000Z']);
    expect(readAudit(env, { account: 'acme-dev' }).map((r) => r.account_id)).toEqual(['111111111111']);
    expect(readAudit(env, { account: '333333333333' })).toHaveLength(2);
    expect(readAudit(env, { account: 'acme-prod', since: new Date('2026-11-21T00:00:00Z') })).toEqual([]);
  });

  it('reports and skips a line that does not parse', () => {
    const env = freshEnv();
    appendAudit(env, record());
    appendFileSync(auditFile(env), '{"time": "2026-11-23T1\n');
    appendAudit(env, record({ profile: 'after' }));
    const bad: number[] = [];
    expect(readAudit(env, {}, (line) => bad.push(line)).map((r) => r.profile)).toEqual(['prod-admin', 'after']);
    expect(bad).toEqual([2]);
  });
});
