/**
 * Hostile names through every command that prints (issue 13, "Names that reach the terminal"):
 * a profile name with escape sequences, BEL, C1 and a bidi override in the config file; names
 * with CR and LF from argv and AWS_PROFILE; an IAM alias IAM itself would refuse, answered by a
 * compromised account (the fake's test hook). Human text, piped or on a real pseudo-terminal,
 * carries none of their controls (only awsguard's own colours); data stays byte for byte.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type RunResult } from '../support/cli.js';
import { runInPty } from '../support/pty.js';
import { createWorld, type World } from '../support/world.js';
import { forbiddenOnScreen, HOSTILE } from '../tty/hostile.js';

/** What a config file can hold in a section name: no CR or LF (they end the line), the rest can. */
const NAME = 'prod\x1b[2K\x1b]0;name-title\x07\x9b31m\u202eZ';
/** IAM would never create it; a compromised account can still answer it. */
const ALIAS = 'acme\x1b]0;alias-title\x07\r\n\x9b2J\u202eprod';
const ACCOUNT = '333333333333';

let w: World;
let env: Record<string, string>;
beforeAll(async () => {
  const demo = (await import('node:fs')).readFileSync('fixtures/demo/config', 'utf8');
  w = await createWorld({ config: `${demo}\n[profile ${NAME}]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/Admin\nsource_profile = staging-deploy\nregion = eu-west-1\n` });
  const settings = join(w.home, 'awsguard.ini');
  writeFileSync(settings, `[protect]\naccounts = ${ACCOUNT}\n`);
  env = { ...w.env, AWSGUARD_CONFIG: settings };
  w.fake.answerAliasAs(ACCOUNT, ALIAS);
});
afterAll(async () => w.close());

/** The CLI in a new session: no controlling terminal, as under CI or cron. */
function awsguard(args: string[], extra: Record<string, string | undefined> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Human text: no control character of a name, no line of its own, and the IAM alias nowhere. */
function expectClean(text: string, lines?: number): void {
  expect(forbiddenOnScreen(text)).toEqual([]);
  expect(text).not.toContain('alias-title');
  if (lines !== undefined) expect(text.trimEnd().split('\n')).toHaveLength(lines);
}

describe('hostile names, piped', () => {
  it('IAM answers the hostile alias (so the test means something), and awsguard does not use it', async () => {
    const r = await awsguard(['whoami', '-p', NAME, '--mfa-code', '123456', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const id = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(id.account_id).toBe(ACCOUNT);
    expect(id.account_alias).toBeNull();
    // JSON is data: the name as configured, escaped by JSON itself.
    expect(id.profile).toBe(NAME);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
    expect(w.fake.requests.some((q) => q.action === 'ListAccountAliases' && q.status === 200)).toBe(true);
  });

  it('whoami', async () => {
    const r = await awsguard(['whoami', '-p', NAME, '--mfa-code', '123456']);
    expect(r.status, r.stderr).toBe(0);
    expectClean(r.stdout, 5);
    expect(r.stdout).toContain('profile  prod?[2K?]0;name-title??31m?Z');
    expect(r.stdout).toContain(`account  ${ACCOUNT}`);
  });

  it('exec: the identity line and the no-terminal refusal', async () => {
    const r = await awsguard(['exec', '-p', NAME, '--mfa-code', '123456', '--', 'true']);
    expect(r.status).toBe(5);
    // The identity line, why the alias is unknown (an IAM answer breaking AWS's alias rule), the refusal.
    expectClean(r.stderr, 3);
    expect(r.stderr).toMatch(/PROTECTED/);
    expect(r.stderr).toMatch(/alias of \d{12} is unknown \(IAM answered an alias that breaks AWS's alias rules\)/);
    expect(r.stderr).toContain(`${ACCOUNT} is a protected account and there is no terminal to confirm on`);
  });

  it('exec: a wrong --confirm, itself hostile', async () => {
    const r = await awsguard(['exec', '-p', NAME, '--mfa-code', '123456', '--confirm', 'x\x1b]0;t\x07\nawsguard: fake', '--', 'true']);
    expect(r.status).toBe(5);
    expectClean(r.stderr, 2);
    expect(r.stderr).toContain('does not name the account reached');
  });

  it('exec and use with the right --confirm: the identity line; use prints its shell code as data', async () => {
    const e = await awsguard(['exec', '-p', NAME, '--mfa-code', '123456', '--confirm', ACCOUNT, '--', 'sh', '-c', 'echo RAN']);
    expect(e.status, e.stderr).toBe(0);
    expect(e.stdout).toBe('RAN\n');
    expectClean(e.stderr, 2);
    const u = await awsguard(['use', NAME, '--shell', 'bash', '--mfa-code', '123456', '--confirm', ACCOUNT]);
    expect(u.status, u.stderr).toBe(0);
    expectClean(u.stderr, 2);
    expect(u.stdout).toContain('AWSGUARD_PROFILE=');
  });

  it('profiles: the table is cleaned, --names and --json are the data', async () => {
    const table = await awsguard(['profiles']);
    expect(table.status, table.stderr).toBe(0);
    expectClean(table.stdout);
    expect(table.stdout).toContain('prod?[2K?]0;name-title??31m?Z');
    const names = await awsguard(['profiles', '--names']);
    expect(names.stdout.split('\n')).toContain(NAME);
    const json = await awsguard(['profiles', '--json']);
    expect((JSON.parse(json.stdout) as Array<{ name: string }>).map((p) => p.name)).toContain(NAME);
  });

  it('audit: the records of those runs', async () => {
    const r = await awsguard(['audit']);
    expect(r.status, r.stderr).toBe(0);
    expectClean(r.stdout);
    expect(r.stdout).toContain('prod?[2K?]0;name-title??31m?Z');
    const json = await awsguard(['audit', '--json']);
    expect(json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { profile: string }).profile)).toContain(NAME);
  });

  it('doctor', async () => {
    const r = await awsguard(['doctor']);
    expectClean(r.stdout);
    expectClean(r.stderr);
  });

  it('error messages: a profile not found, from argv and from AWS_PROFILE, with CR and LF', async () => {
    for (const [args, extra] of [
      [['whoami', '-p', HOSTILE], {}],
      [['exec', '--', 'true'], { AWS_PROFILE: HOSTILE }],
      [['whoami', '-p', 'prod\x1b[2K\x1b]0;name-title\x07\x9b31m\u202eY'], {}],
    ] as const) {
      const r = await awsguard([...args], extra);
      expect(r.status).toBe(3);
      expectClean(r.stderr, 1);
      expect(r.stderr).toMatch(/^awsguard: profile ".*" not found/);
    }
    const near = await awsguard(['whoami', '-p', 'prod\x1b[2K\x1b]0;name-title\x07\x9b31m\u202eY']);
    expect(near.stderr).toContain('did you mean prod?[2K?]0;name-title??31m?Z?');
  });
});

describe('hostile names on a real terminal', () => {
  it('the /dev/tty confirmation prompt and the identity line carry only awsguard’s own colours', async () => {
    const { NO_COLOR: _, ...coloured } = env;
    const t = runInPty(process.execPath, [BIN, 'exec', '-p', NAME, '--mfa-code', '123456', '--', 'sh', '-c', 'echo RAN'], { ...coloured, TERM: 'xterm-256color' }, 80, 24);
    await t.waitFor(/Type its account id to continue: /);
    const screen = t.output().replace(/\r\n/g, '\n');
    expect(forbiddenOnScreen(screen)).toEqual([]);
    expect(screen).not.toContain('alias-title');
    // awsguard's own colours survive: PROTECTED in bold red.
    expect(screen).toContain('\x1b[1;31mPROTECTED\x1b[0m');
    expect(screen).toContain('prod?[2K?]0;name-title??31m?Z reaches 333333333333, a protected account');
    t.write(`${ACCOUNT}\r`);
    expect((await t.exited).exitCode).toBe(0);
    expect(t.output()).toContain('RAN');
  });
});
