import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, shellExports, unsetList, type ChildSession } from '../../src/exec/child-env.js';
import { INJECTED, MARKERS, SCRUBBED } from '../../src/exec/env-vars.js';
import { requireTool } from '../support/require-tool.js';

const session = (over: Partial<ChildSession> = {}): ChildSession => ({
  credentials: { accessKeyId: 'ASIAEXAMPLEEXAMPLE12', secretAccessKey: 'secret/KEY+value', sessionToken: 'token==', expiration: new Date('2026-11-23T20:00:00.000Z') },
  profile: 'prod.admin',
  region: 'eu-west-1',
  accountId: '333333333333',
  alias: 'acme-prod',
  roleArn: 'arn:aws:sts::333333333333:assumed-role/Admin/alice',
  protected: true,
  scoped: false,
  ...over,
});

const parent = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/alice',
  AWS_PROFILE: 'other',
  AWS_DEFAULT_PROFILE: 'other',
  AWS_ACCESS_KEY_ID: 'AKIAOLDOLDOLDOLDOLD1',
  AWS_SECRET_ACCESS_KEY: 'old-secret',
  AWS_SESSION_TOKEN: 'old-token',
  AWS_SECURITY_TOKEN: 'old-token',
  AWS_ROLE_ARN: 'arn:aws:iam::1:role/x',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
  AWS_CONTAINER_CREDENTIALS_SOMETHING: 'x',
  AWSGUARD_PROFILE: 'outer',
  AWSGUARD_ACCOUNT_ALIAS: 'outer-alias',
  AWSGUARD_FUTURE_MARKER: 'x',
  AWSGUARD_CONFIG: '/etc/awsguard.ini',
  AWS_ENDPOINT_URL_S3: 'http://localhost:4566',
  AWS_CA_BUNDLE: '/etc/ca.pem',
  AWS_REGION: 'us-west-2',
  AWS_DEFAULT_REGION: 'us-west-1',
  UNDEFINED_ONE: undefined,
};

describe('childEnv', () => {
  it('scrubs inherited credentials and markers, keeps the rest, injects the session', () => {
    const env = childEnv(parent, session());
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/alice',
      AWSGUARD_CONFIG: '/etc/awsguard.ini',
      AWS_ENDPOINT_URL_S3: 'http://localhost:4566',
      AWS_CA_BUNDLE: '/etc/ca.pem',
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE12',
      AWS_SECRET_ACCESS_KEY: 'secret/KEY+value',
      AWS_SESSION_TOKEN: 'token==',
      AWS_CREDENTIAL_EXPIRATION: '2026-11-23T20:00:00Z',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWSGUARD_PROFILE: 'prod.admin',
      AWSGUARD_ACCOUNT_ID: '333333333333',
      AWSGUARD_ACCOUNT_ALIAS: 'acme-prod',
      AWSGUARD_ROLE: 'Admin',
      AWSGUARD_PROTECTED: '1',
      AWSGUARD_EXPIRES: String(Date.parse('2026-11-23T20:00:00Z') / 1000),
      AWSGUARD_REGION: 'eu-west-1',
      AWSGUARD_SCOPED: '0',
    });
  });

  it("keeps the person's region when the profile has none, making both names agree", () => {
    const env = childEnv(parent, session({ region: undefined }));
    expect([env.AWS_REGION, env.AWS_DEFAULT_REGION, env.AWSGUARD_REGION]).toEqual(['us-west-2', 'us-west-2', 'us-west-2']);
    const only = childEnv({ AWS_DEFAULT_REGION: 'ap-south-1' }, session({ region: undefined }));
    expect([only.AWS_REGION, only.AWS_DEFAULT_REGION]).toEqual(['ap-south-1', 'ap-south-1']);
    const none = childEnv({}, session({ region: undefined }));
    expect(none).not.toHaveProperty('AWS_REGION');
    expect(none).not.toHaveProperty('AWSGUARD_REGION');
  });

  it('leaves unknown alias and role out rather than empty, and writes 1/0 flags', () => {
    const env = childEnv({}, session({ alias: undefined, roleArn: undefined, protected: false, scoped: true }));
    expect(env).not.toHaveProperty('AWSGUARD_ACCOUNT_ALIAS');
    expect(env).not.toHaveProperty('AWSGUARD_ROLE');
    expect(env.AWSGUARD_PROTECTED).toBe('0');
    expect(env.AWSGUARD_SCOPED).toBe('1');
  });

  it('floors the expiry to whole epoch seconds', () => {
    const env = childEnv({}, session({ credentials: { ...session().credentials, expiration: new Date(1_800_000_000_999) } }));
    expect(env.AWSGUARD_EXPIRES).toBe('1800000000');
    expect(env.AWS_CREDENTIAL_EXPIRATION).toBe('2027-01-15T08:00:00Z');
  });
});

describe('unsetList', () => {
  it('lists every fixed name with no arguments', () => {
    const all = unsetList();
    for (const name of [...SCRUBBED, ...INJECTED, ...Object.values(MARKERS)]) expect(all).toContain(name);
    expect(new Set(all).size).toBe(all.length);
  });

  it('leaves out what the child sets and adds scrubbed names only the parent knows', () => {
    const env = childEnv(parent, session());
    const unset = unsetList(parent, env);
    expect(unset).toContain('AWS_PROFILE');
    expect(unset).toContain('AWSGUARD_FUTURE_MARKER');
    expect(unset).toContain('AWS_CONTAINER_CREDENTIALS_SOMETHING');
    for (const name of Object.keys(env)) expect(unset).not.toContain(name);
    expect(unset).not.toContain('PATH');
  });
});

describe('shellExports: text', () => {
  it('writes unsets first, then exports, one per line', () => {
    expect(shellExports('sh', { A: "it's", B: 'x' }, ['C'])).toBe("unset C\nexport A='it'\\''s'\nexport B='x'\n");
    expect(shellExports('fish', { A: "it's \\ here" }, ['C'])).toBe("set -e C\nset -gx A 'it\\'s \\\\ here'\ntrue\n");
    expect(shellExports('sh', {}, [])).toBe('');
  });

  it('refuses a name that would be shell syntax', () => {
    expect(() => shellExports('sh', { 'A;rm -rf /': 'x' }, [])).toThrow(/not a variable name/);
    expect(() => shellExports('fish', {}, ['$(x)'])).toThrow(/not a variable name/);
    expect(() => shellExports('sh', { '1A': 'x' }, [])).toThrow(/not a variable name/);
  });
});

// The values that break naive quoting, then random ones.
const NASTY = [
  "it's", "''", "'", '"double"', 'a b  c', '$HOME', '${HOME}', '$(touch pwned)', '`touch pwned`', 'line1\nline2', '\n', 'trailing\n\n',
  'back\\slash', '\\', 'ends with \\', "\\'", '!bang !! !$', '*', '~', '{a,b}', '%s %d', 'tab\there', ';exit 3;', '&& false', '# not a comment',
  'ünïcödé ✓ 🚀', '', ' leading space', '\r\n', '\x01\x1b[31m', '(1)', '[x]', 'a=b', '\\\\n',
];

const tmp = mkdtempSync(join(tmpdir(), 'awsguard-shellexports-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Evaluates the generated lines in a real shell, then has the shell write each variable to a file. */
function roundTrip(shell: string, kind: 'sh' | 'fish', values: string[], preset: Record<string, string> = {}): { got: Array<string | null>; stderr: string } {
  const dir = mkdtempSync(join(tmp, 'run-'));
  const vars = Object.fromEntries(values.map((v, i) => [`V${i}`, v]));
  const unset = ['GONE1', 'GONE2'];
  const lines = shellExports(kind, vars, unset);
  writeFileSync(join(dir, 'exports'), lines);
  const names = [...Object.keys(vars), ...unset];
  const dump =
    kind === 'fish'
      ? names.map((n) => `set -q ${n}; and printf '%s' "$${n}" > '${dir}/${n}'`).join('\n')
      : names.map((n) => `[ -n "\${${n}+set}" ] && printf '%s' "$${n}" > '${dir}/${n}'`).join('\n');
  const script =
    kind === 'fish'
      ? `source '${dir}/exports'\n${dump}\ntrue\n`
      : `eval "$(cat '${dir}/exports')"\n${dump}\n:\n`;
  const args = shell.endsWith('zsh') ? ['-f', '-c', script] : shell.endsWith('fish') ? ['--no-config', '-c', script] : ['-c', script];
  const r = spawnSync(shell, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GONE1: 'x', GONE2: 'y', ...preset } });
  expect(r.status, r.stderr).toBe(0);
  expect(existsSync(join(dir, 'pwned')), 'a value was executed').toBe(false);
  for (const n of unset) expect(existsSync(join(dir, n)), `${n} still set`).toBe(false);
  return { got: values.map((_, i) => (existsSync(join(dir, `V${i}`)) ? readFileSync(join(dir, `V${i}`), 'utf8') : null)), stderr: r.stderr };
}

// Values a process environment can hold: no NUL, valid Unicode.
const envValue = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0') && !/[\uD800-\uDFFF]/u.test(s));

const SHELLS: Array<[string, 'sh' | 'fish']> = [
  ['/bin/sh', 'sh'],
  ['/bin/bash', 'sh'],
  ['/usr/bin/zsh', 'sh'],
  ['/usr/bin/fish', 'fish'],
];

for (const [shell, kind] of SHELLS) {
  const tool = shell === '/bin/sh' || shell === '/bin/bash' ? { skip: false, label: (t: string) => t, assert: () => {} } : requireTool(shell);
  describe.skipIf(tool.skip)(tool.label(`shellExports evaluated by ${shell}`), () => {
    it('round-trips quotes, spaces, $, backslashes, newlines and unicode, and unsets', () => {
      tool.assert();
      expect(roundTrip(shell, kind, NASTY).got).toEqual(NASTY);
    });

    it('round-trips random values', () => {
      tool.assert();
      const samples = fc.sample(envValue, { numRuns: 150, seed: 42 });
      expect(roundTrip(shell, kind, samples).got).toEqual(samples);
    });
  });
}
