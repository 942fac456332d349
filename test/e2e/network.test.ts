/**
 * The network as it fails in life: an endpoint that accepts and never answers, one that never
 * accepts, STS throttling, and an SSO portal of 150 accounts that throttles every fifth call.
 * Short [network] settings keep the waits short; they are the settings a person would write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { defaultSeed } from '../support/fake-aws/seed.js';
import { createWorld, type World } from '../support/world.js';

let worlds: World[] = [];
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await Promise.all(worlds.map((w) => w.close()));
  worlds = [];
});

async function world(settings: string, opts: Parameters<typeof createWorld>[0] = {}): Promise<World> {
  const w = await createWorld(opts);
  worlds.push(w);
  const dir = join(w.env.XDG_CONFIG_HOME!, 'awsguard');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'config.ini'), settings, { mode: 0o600 });
  return w;
}

const awsguard = (w: World, args: string[], env: Record<string, string> = {}) => runAsync(process.execPath, [BIN, ...args], { ...w.env, ...env });

/** Accepts every connection and never says a word. */
async function silentServer(): Promise<{ url: string; connections: () => number }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  }));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, connections: () => sockets.length };
}

/**
 * A listener whose accept queue is full and which never accepts: the kernel drops further SYNs,
 * so a connect hangs, as behind a firewall that drops packets. Python, because Node's servers
 * always accept.
 */
async function unacceptingServer(): Promise<string> {
  const script = [
    'import socket, sys',
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)",
    'port = s.getsockname()[1]',
    'fill = []',
    'for _ in range(8):',
    '    c = socket.socket(); c.setblocking(False)',
    '    try: c.connect(("127.0.0.1", port))',
    '    except BlockingIOError: pass',
    '    fill.append(c)',
    'print(port, flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child: ChildProcess = spawn('/usr/bin/python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => {
    child.stdin!.end();
    child.kill();
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(d.trim()));
    child.once('error', reject);
  });
  return `http://127.0.0.1:${port}`;
}

const FAST = '[network]\nconnect_timeout = 400ms\nrequest_timeout = 600ms\nretry_delay = 1ms\nthrottle_delay = 1ms\n';

describe('timeouts', () => {
  it('an endpoint that accepts and never answers: exit 4 with the endpoint, the step and the setting, in about the request timeout', async () => {
    const w = await world(FAST, { config: '[profile ci]\nregion = us-east-1\n\n[profile deploy]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = ci\nregion = us-east-1\n' });
    const hung = await silentServer();
    const started = Date.now();
    const r = await awsguard(w, ['exec', '-p', 'deploy', '--', 'true'], { AWS_ENDPOINT_URL_STS: hung.url });
    const took = Date.now() - started;
    expect(r.status, r.stderr).toBe(4);
    expect(r.stderr).toMatch(
      new RegExp(`^awsguard: deploy: assume role arn:aws:iam::222222222222:role/Deploy[^\\n]*: no answer from ${hung.url.replace(/[.]/g, '\\.')} within 600ms \\(request timeout; \\[network\\] request_timeout\\)\\n$`),
    );
    // One attempt: a timeout is not retried (the endpoint did not answer; the next try would wait as long).
    expect(hung.connections()).toBe(1);
    expect(took).toBeLessThan(10_000);
  });

  it('an endpoint that never accepts: exit 4 naming the connect timeout', async () => {
    const w = await world(FAST);
    const url = await unacceptingServer();
    const r = await awsguard(w, ['exec', '-p', 'ci', '--', 'true'], { AWS_ENDPOINT_URL_STS: url });
    expect(r.status, r.stderr).toBe(4);
    expect(r.stderr).toContain(`: could not connect to ${url} within 400ms (connect timeout; [network] connect_timeout)`);
    expect(r.stderr).toMatch(/^awsguard: ci: /);
  });

  it('the console\'s sign-in endpoint is bounded the same way', async () => {
    const w = await world(FAST);
    const hung = await silentServer();
    const r = await awsguard(w, ['console', '-p', 'ci', '--print'], { AWS_ENDPOINT_URL_SIGNIN: hung.url, XDG_RUNTIME_DIR: join(w.home, 'run') });
    expect(r.status, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/\n$/);
    expect(r.stderr.split('\n').at(-2)).toBe(`awsguard: ci: get console sign-in token: no answer from ${hung.url} within 600ms (request timeout; [network] request_timeout)`);
  });

  it('a settings value that cannot be read is an error at its line', async () => {
    const w = await world('[network]\nrequest_timeout = soon\n');
    const r = await awsguard(w, ['exec', '-p', 'ci', '--', 'true']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('config.ini:2: [network] request_timeout: cannot read the time "soon" (use e.g. 5s, 1.5s, 250ms)');
  });
});

describe('throttling', () => {
  const throttle = { status: 400, code: 'Throttling', message: 'Rate exceeded' };

  it('two Throttling answers in a row: awsguard says it waits, tries again, and succeeds', async () => {
    const w = await world(FAST);
    w.fake.failNext('GetSessionToken', throttle, 2);
    const r = await awsguard(w, ['exec', '-p', 'ci', '--', 'true']);
    expect(r.status, r.stderr).toBe(0);
    expect(w.fake.calls('GetSessionToken')).toBe(3);
    expect(r.stderr).toMatch(/awsguard: STS is throttling; retrying in \d+ms \(attempt 2 of 5\)\n/);
    expect(r.stderr).toMatch(/awsguard: STS is throttling; retrying in \d+ms \(attempt 3 of 5\)\n/);
  });

  it('five Throttling answers: exit 4 after five attempts, with AWS\'s answer', async () => {
    const w = await world(FAST);
    w.fake.failNext('GetSessionToken', throttle, 5);
    const r = await awsguard(w, ['exec', '-p', 'ci', '--', 'true']);
    expect(r.status, r.stderr).toBe(4);
    expect(w.fake.calls('GetSessionToken')).toBe(5);
    for (const n of [2, 3, 4, 5]) expect(r.stderr).toContain(`(attempt ${n} of 5)`);
    expect(r.stderr).not.toContain('attempt 6');
    expect(r.stderr).toMatch(/awsguard: ci: [^\n]*: Throttling: Rate exceeded\n$/);
  });

  it('other faults are tried three times by default; [network] attempts changes it', async () => {
    const w = await world(FAST);
    w.fake.failNext('GetSessionToken', { status: 500, code: 'InternalFailure', message: 'oops' }, 3);
    const r = await awsguard(w, ['exec', '-p', 'ci', '--', 'true']);
    expect(r.status, r.stderr).toBe(4);
    expect(w.fake.calls('GetSessionToken')).toBe(3);
    expect(r.stderr).toContain('awsguard: STS answered InternalFailure; retrying in');
    expect(r.stderr).toContain('(attempt 3 of 3)');

    const w2 = await world(`${FAST}attempts = 4\n`);
    w2.fake.failNext('GetSessionToken', { status: 500, code: 'InternalFailure', message: 'oops' }, 3);
    const ok = await awsguard(w2, ['exec', '-p', 'ci', '--', 'true']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(w2.fake.calls('GetSessionToken')).toBe(4);
  });
});

describe('the SSO portal at scale', () => {
  it('150 accounts, throttling every fifth call: pages within AWS\'s limits, waits it out, shows progress', async () => {
    const seed = defaultSeed();
    const instance = seed.sso[0]!;
    for (let i = 0; i < 150; i++) {
      const id = String(800000000000 + i);
      seed.accounts.push({ id, name: `bulk-${String(i).padStart(3, '0')}`, email: `bulk-${i}@acme.example` });
      instance.assignments.push({ username: 'alice@acme.example', accountId: id, permissionSets: i % 2 ? ['ReadOnlyAccess'] : ['ReadOnlyAccess', 'AdministratorAccess'] });
    }
    const w = await world(FAST, { seed });
    const fake = w.fake;
    w.ssoLogin();
    fake.failEvery('*', 5, { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded' });

    const r = await awsguard(w, ['sso', 'accounts', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const accounts = JSON.parse(r.stdout) as Array<{ account_id: string; roles: string[] }>;
    const bulk = accounts.filter((a) => a.account_id.startsWith('8000'));
    expect(bulk).toHaveLength(150);
    expect(bulk.find((a) => a.account_id === '800000000000')?.roles).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
    expect(bulk.find((a) => a.account_id === '800000000001')?.roles).toEqual(['ReadOnlyAccess']);
    // Every request was within the model's limits (the fake refuses any other), and some were throttled.
    const throttled = fake.requests.filter((q) => q.errorCode === 'TooManyRequestsException').length;
    expect(throttled).toBeGreaterThan(20);
    expect(fake.requests.filter((q) => q.errorCode && q.errorCode !== 'TooManyRequestsException')).toEqual([]);
    expect(fake.calls('ListAccounts')).toBeGreaterThanOrEqual(2); // 162 accounts: two pages of at most 100
    expect(r.stderr).toContain('awsguard: the SSO portal is throttling; retrying in');
    expect(r.stderr).toMatch(/awsguard: listing roles in 162 accounts\.\.\.\n/);
    expect(r.stderr).toMatch(/awsguard: listed roles in 162 of 162 accounts\n/);
  });

  it('a handful of accounts listed quickly says nothing', async () => {
    const w = await world(FAST);
    w.ssoLogin();
    const r = await awsguard(w, ['sso', 'accounts', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('what the README says about kill -9', () => {
  it('SIGKILL of awsguard cannot be passed on: the child keeps running', async () => {
    const w = await world(FAST);
    const child = spawn(process.execPath, [BIN, 'exec', '-p', 'ci', '--', 'sh', '-c', 'echo $$; exec sleep 30'], { env: w.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = Number(await new Promise<string>((resolve) => child.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(d.trim()))));
    cleanups.push(() => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    });
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(pid, 0)).not.toThrow();
  });
});
