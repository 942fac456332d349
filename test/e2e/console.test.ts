/**
 * `awsguard console` end to end: the real CLI against the loopback fake AWS, whose federation
 * endpoint makes the console session; the test follows the URL awsguard produced and asks the
 * fake who the session belongs to, for how long, and where it went. A protected account is
 * confirmed (or not) in a real pseudo-terminal; the browser is a recording script.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { runInPty } from '../support/pty.js';
import { CONSOLE_COOKIE, type ConsoleSession } from '../support/fake-aws/index.js';
import { assertNoSecrets, createWorld, type World } from '../support/world.js';

let w: World;
let env: Record<string, string>;
beforeAll(async () => {
  w = await createWorld();
  w.ssoLogin();
  // The "browser": records its argv, every process's command line at that moment, and the page.
  writeFileSync(
    join(w.home, 'record-browser'),
    [
      '#!/bin/sh',
      'printf "%s\\n" "$@" > "$BROWSER_LOG.argv"',
      'for f in /proc/[0-9]*/cmdline; do tr "\\000" " " < "$f" 2>/dev/null; echo; done > "$BROWSER_LOG.ps"',
      // Written whole, then renamed: the test waits for the file to appear and reads it at once.
      'cat "$1" > "$BROWSER_LOG.page.part" && mv "$BROWSER_LOG.page.part" "$BROWSER_LOG.page"',
      '',
    ].join('\n'),
  );
  chmodSync(join(w.home, 'record-browser'), 0o755);
  env = { ...w.env, XDG_RUNTIME_DIR: join(w.home, 'run'), BROWSER: join(w.home, 'record-browser') };
});
afterAll(async () => w.close());

const awsguard = (args: string[], extra: Record<string, string> = {}) => runAsync(process.execPath, [BIN, 'console', ...args], { ...env, ...extra });

/** Follows a sign-in URL the way a browser would, and returns the console session it made. */
async function follow(url: string): Promise<{ status: number; location: string | null; session: ConsoleSession | undefined }> {
  expect(url.startsWith(`${w.fake.url}/federation?Action=login&`)).toBe(true);
  const res = await fetch(url, { redirect: 'manual' });
  const id = new RegExp(`${CONSOLE_COOKIE}=([0-9a-f]+)`).exec(res.headers.get('set-cookie') ?? '')?.[1];
  return { status: res.status, location: res.headers.get('location'), session: id ? w.fake.signin.session(id) : undefined };
}

const signinCalls = () => w.fake.requests.filter((r) => r.service === 'signin' && r.action === 'getSigninToken');
/** Sign-in tokens and credentials, raw and as they appear in a URL. */
const secretsAndEncodings = () => w.secrets().flatMap((s) => [s, encodeURIComponent(s)]);

describe('console: the session it makes', () => {
  it('an SSO role: SessionDuration from --duration, the service page in its region, the role as principal', async () => {
    const before = signinCalls().length;
    const r = await awsguard(['-p', 'acme-dev', '--print', '--duration', '4h', '--service', 'ec2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/acme-dev → acme-dev \(111111111111\) role AdministratorAccess/);
    expect(r.stderr).toMatch(/signs anyone who has it in to account 111111111111 for the next 15 minutes/);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(signinCalls().slice(before).map((c) => c.sessionDuration)).toEqual([14_400]);
    const f = await follow(lines[0]!);
    expect(f.status).toBe(302);
    expect(f.location).toBe('https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1');
    expect(f.session!.arn).toMatch(/^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/alice@acme\.example$/);
    expect(f.session!.expiresAt - f.session!.createdAt).toBe(14_400_000);
    expect(f.session!.issuer).toBe('awsguard');
    // The URL works once.
    expect((await follow(lines[0]!)).status).toBe(400);
  });

  it('IAM user keys: GetFederationToken with an allow-all policy the identity line states, and no SessionDuration', async () => {
    w.fake.reset();
    const r = await awsguard(['-p', 'ci', '--print', '--duration', '2h', '--destination', 'https://console.aws.amazon.com/s3/buckets?region=us-east-1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ci → .*111111111111.*allow-all federation token/);
    // Whole seconds, minutes down (the prompt's rule too): 2h00m in the second it was issued, 1h59m after.
    expect(r.stderr).toMatch(/lasts as long as the federation token \((2h00m|1h59m)\)/);
    const fed = w.fake.requests.filter((q) => q.action === 'GetFederationToken');
    expect(fed).toHaveLength(1);
    expect(fed[0]!.durationSeconds).toBe(7200);
    expect(JSON.parse(fed[0]!.policy!)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    expect(signinCalls()).toHaveLength(1);
    expect(signinCalls()[0]!.sessionDuration).toBeUndefined();
    const f = await follow(r.stdout.trim());
    expect(f.location).toBe('https://console.aws.amazon.com/s3/buckets?region=us-east-1');
    expect(f.session).toMatchObject({ arn: 'arn:aws:sts::111111111111:federated-user/awsguard-tester', kind: 'federated-user', scoped: true });
    expect(f.session!.expiresAt - f.session!.createdAt).toBeGreaterThan(7190_000);
    expect(f.session!.expiresAt - f.session!.createdAt).toBeLessThanOrEqual(7200_000);
  });

  it('a scope makes the console session scoped too: --read-only reaches the federation token', async () => {
    w.fake.reset();
    const r = await awsguard(['-p', 'ci', '--print', '--read-only']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/· read-only/);
    expect(w.fake.requests.find((q) => q.action === 'GetFederationToken')!.policyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect((await follow(r.stdout.trim())).session!.scoped).toBe(true);
  });

  it('role chaining: never SessionDuration; the console ends with the 1h credentials, and more than 1h is refused with the reason', async () => {
    w.fake.reset();
    const r = await awsguard(['-p', 'prod-admin', '--mfa-code', '123456', '--confirm', 'acme-prod', '--print']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/role chaining: AWS takes no SessionDuration here/);
    expect(signinCalls()).toHaveLength(1);
    expect(signinCalls()[0]!.sessionDuration).toBeUndefined();
    const f = await follow(r.stdout.trim());
    expect(f.session!.arn).toBe('arn:aws:sts::333333333333:assumed-role/Admin/awsguard-tester');
    expect(f.session!.expiresAt - f.session!.createdAt).toBeLessThanOrEqual(3600_000);

    w.fake.reset();
    const long = await awsguard(['-p', 'prod-admin', '--mfa-code', '123456', '--confirm', 'acme-prod', '--print', '--duration', '2h']);
    expect(long.status).toBe(2);
    expect(long.stderr).toMatch(/role chaining.*1h at most.*no SessionDuration/);
    expect(long.stdout).toBe('');
    expect(w.fake.requests).toHaveLength(0);
  });

  it('a --duration the console cannot have is refused before any call', async () => {
    w.fake.reset();
    const r = await awsguard(['-p', 'acme-dev', '--print', '--duration', '13h']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/900s to 43200s/);
    expect(w.fake.requests).toHaveLength(0);
  });
});

describe('console: destinations and partitions', () => {
  it('refuses a --destination that is not an AWS console page, before any call', async () => {
    w.fake.reset();
    for (const d of ['https://evil.example/ec2', 'http://console.aws.amazon.com/', 'https://console.aws.amazon.com.evil.example/']) {
      const r = await awsguard(['-p', 'ci', '--print', '--destination', d]);
      expect(r.status, d).toBe(2);
      expect(r.stderr).toMatch(/refusing --destination/);
      expect(r.stdout).toBe('');
    }
    expect(w.fake.requests).toHaveLength(0);
  });

  it('follows the region to its partition: aws-cn and aws-us-gov console hosts, another partition\'s page refused', async () => {
    const cn = await awsguard(['-p', 'acme-dev', '--print', '--region', 'cn-north-1', '--service', 'iam']);
    expect(cn.status, cn.stderr).toBe(0);
    expect((await follow(cn.stdout.trim())).location).toBe('https://console.amazonaws.cn/iam/home');
    const gov = await awsguard(['-p', 'acme-dev', '--print', '--region', 'us-gov-east-1', '-s', 'lambda']);
    expect(gov.status, gov.stderr).toBe(0);
    expect((await follow(gov.stdout.trim())).location).toBe('https://us-gov-east-1.console.amazonaws-us-gov.com/lambda/home?region=us-gov-east-1');
    const mixed = await awsguard(['-p', 'acme-dev', '--print', '--destination', 'https://console.amazonaws.cn/ec2/home']);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/aws-cn partition/);
  });
});

describe('console: protected accounts', () => {
  it('refuses without a terminal and without --confirm, opens nothing, and audits the refusal', async () => {
    w.fake.reset();
    const log = join(w.home, 'refused');
    const r = await awsguard(['-p', 'prod-admin', '--mfa-code', '123456'], { BROWSER_LOG: log });
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/PROTECTED/);
    expect(r.stderr).toContain('--confirm');
    expect(signinCalls()).toHaveLength(0);
    expect(existsSync(`${log}.argv`)).toBe(false);
  });

  it('a wrong alias typed in a real terminal opens nothing; the right one opens the browser', async () => {
    w.fake.reset();
    const log = join(w.home, 'pty');
    const start = () => runInPty(process.execPath, [BIN, 'console', '-p', 'prod-admin', '--mfa-code', '123456'], { ...env, BROWSER_LOG: log });
    const wrong = start();
    await wrong.waitFor(/Type its alias/);
    wrong.write('acme-staging\r');
    expect((await wrong.exited).exitCode).toBe(5);
    expect(signinCalls()).toHaveLength(0);
    expect(existsSync(`${log}.argv`)).toBe(false);

    const right = start();
    await right.waitFor(/Type its alias/);
    right.write('acme-prod\r');
    expect((await right.exited).exitCode, right.output()).toBe(0);
    expect(signinCalls()).toHaveLength(1);
    for (let i = 0; i < 100 && !existsSync(`${log}.page`); i++) await new Promise((res) => setTimeout(res, 50));
    expect(readFileSync(`${log}.page`, 'utf8')).toContain('Action=login');
  });
});

describe('console: the sign-in URL stays secret', () => {
  it('$BROWSER gets a private file path; no argv and no /proc/*/cmdline holds the token; the file goes once read', async () => {
    w.fake.reset();
    const log = join(w.home, 'open');
    const seen = new Set<string>();
    let running = true;
    const sample = async () => {
      while (running) {
        for (const pid of readdirSync('/proc')) {
          if (!/^\d+$/.test(pid)) continue;
          try {
            seen.add(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
          } catch {
            // gone already
          }
        }
        await new Promise((res) => setTimeout(res, 5));
      }
    };
    const sampling = sample();
    const r = await awsguard(['-p', 'staging-deploy', '--mfa-code', '123456', '-s', 'cloudformation'], { BROWSER_LOG: log });
    for (let i = 0; i < 100 && !existsSync(`${log}.page`); i++) await new Promise((res) => setTimeout(res, 50));
    running = false;
    await sampling;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/opening the console in .*record-browser/);

    const argv = readFileSync(`${log}.argv`, 'utf8').trim().split('\n');
    expect(argv).toHaveLength(1);
    const file = argv[0]!;
    expect(file.startsWith(join(w.home, 'run', 'awsguard', 'console') + '/')).toBe(true);
    const page = readFileSync(`${log}.page`, 'utf8');
    const url = /content="0;url=([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&');
    // The token exists (the fake issued it) and is in the page, and nowhere else.
    const secrets = secretsAndEncodings();
    expect(secrets.some((s) => s.length > 100 && page.includes(s))).toBe(true);
    assertNoSecrets(readFileSync(`${log}.argv`, 'utf8'), secrets);
    assertNoSecrets(readFileSync(`${log}.ps`, 'utf8'), secrets);
    assertNoSecrets([...seen].join('\n'), secrets);
    assertNoSecrets(r.stdout + r.stderr, secrets);
    expect(seen.size).toBeGreaterThan(0);

    const f = await follow(url);
    expect(f.session!.arn).toBe('arn:aws:sts::222222222222:assumed-role/Deploy/awsguard-tester');
    expect(f.location).toBe('https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1');
    for (let i = 0; i < 200 && existsSync(file); i++) await new Promise((res) => setTimeout(res, 50));
    expect(existsSync(file)).toBe(false);
  });

  it('[console] browser = command:TEMPLATE gets {url_file} where the template says', async () => {
    const log = join(w.home, 'template');
    const settings = join(w.home, 'console-settings.ini');
    writeFileSync(settings, `[console]\nbrowser = command:${join(w.home, 'record-browser')} {url_file} --name {account}\n`);
    const r = await awsguard(['-p', 'acme-dev'], { BROWSER_LOG: log, AWSGUARD_CONFIG: settings });
    expect(r.status, r.stderr).toBe(0);
    for (let i = 0; i < 100 && !existsSync(`${log}.page`); i++) await new Promise((res) => setTimeout(res, 50));
    const argv = readFileSync(`${log}.argv`, 'utf8').trim().split('\n');
    expect(argv.slice(1)).toEqual(['--name', 'acme-dev']);
    expect(argv[0]!.endsWith('.html')).toBe(true);
    assertNoSecrets(argv.join('\n'), secretsAndEncodings());
    expect((await follow(/content="0;url=([^"]+)"/.exec(readFileSync(`${log}.page`, 'utf8'))![1]!.replace(/&amp;/g, '&'))).status).toBe(302);
  });

  it('--copy hands the URL to the clipboard tool on stdin, never in its argv', async () => {
    const log = join(w.home, 'clip');
    const dir = join(w.home, 'clipbin');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'wl-copy'), `#!/bin/sh\nprintf "%s\\n" "$@" > "${log}.argv"\ncat > "${log}.in"\n`);
    chmodSync(join(dir, 'wl-copy'), 0o755);
    const r = await awsguard(['-p', 'acme-dev', '--copy'], { WAYLAND_DISPLAY: 'wayland-0', PATH: `${dir}:${env.PATH}` });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/copied with wl-copy/);
    assertNoSecrets(readFileSync(`${log}.argv`, 'utf8'), secretsAndEncodings());
    const f = await follow(readFileSync(`${log}.in`, 'utf8').trim());
    expect(f.status).toBe(302);
  });

  it('--copy over SSH writes OSC 52 to the terminal', async () => {
    const t = runInPty(process.execPath, [BIN, 'console', '-p', 'acme-dev', '--copy'], { ...env, SSH_CONNECTION: '10.0.0.1 5000 10.0.0.2 22' });
    expect((await t.exited).exitCode, t.output()).toBe(0);
    const b64 = /\x1b\]52;c;([A-Za-z0-9+/=]+)\x07/.exec(t.output())![1]!;
    expect((await follow(Buffer.from(b64, 'base64').toString('utf8'))).status).toBe(302);
  });

  it('one audit record per sign-in, with the destination host and the outcome, never the token', async () => {
    const text = readFileSync(join(w.home, '.local', 'state', 'awsguard', 'audit.jsonl'), 'utf8');
    const records = text.trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; refused: string | null; console?: Record<string, unknown>; role_arn: string; exit_code: number | null });
    const consoles = records.filter((r) => r.argv[0] === 'console');
    expect(consoles.some((r) => r.console?.outcome === 'printed' && r.console.destination_host === 'eu-west-1.console.aws.amazon.com' && r.console.session_duration_s === 14_400)).toBe(true);
    expect(consoles.some((r) => r.console?.outcome === 'opened' && r.role_arn.endsWith('assumed-role/Deploy/awsguard-tester'))).toBe(true);
    expect(consoles.some((r) => r.console?.allow_all === true && r.console.kind === 'federation')).toBe(true);
    expect(consoles.some((r) => r.refused === 'no-terminal')).toBe(true);
    expect(consoles.some((r) => r.console?.outcome === 'copied')).toBe(true);
    assertNoSecrets(text, secretsAndEncodings());
  });
});

describe('console: without a profile', () => {
  it('opens the picker on the terminal, as use does, then signs in as the chosen profile', async () => {
    const t = runInPty(process.execPath, [BIN, 'console', '--print'], env, 120, 30);
    await t.waitFor(/\d+ of \d+/);
    t.write('acme-dev-readonly');
    await new Promise((r) => setTimeout(r, 300));
    t.write('\r');
    const { exitCode } = await t.exited;
    expect(exitCode, t.output().slice(-1500)).toBe(0);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/federation\?Action=login\S+)/.exec(t.output().replace(/\r?\n/g, '\n'))![1]!;
    const f = await follow(url);
    expect(f.session!.arn).toMatch(/assumed-role\/AWSReservedSSO_ReadOnlyAccess_/);
  });

  it('without a terminal uses $AWS_PROFILE, as exec does', async () => {
    const r = await awsguard(['--print'], { AWS_PROFILE: 'acme-dev' });
    expect(r.status, r.stderr).toBe(0);
    expect((await follow(r.stdout.trim())).session!.arn).toMatch(/AWSReservedSSO_AdministratorAccess_/);
  });
});

describe('console: help', () => {
  it('documents its flags', async () => {
    const r = await runAsync(process.execPath, [BIN, 'console', '--help'], env);
    expect(r.status).toBe(0);
    for (const flag of ['--service', '--destination', '--print', '--copy', '--open', '--confirm', '--read-only', '--duration']) expect(r.stdout).toContain(flag);
  });
});
