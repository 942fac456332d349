/**
 * `awsguard pick` in a real pseudo-terminal, as a person uses it: `P=$(awsguard pick)`.
 * The picker runs under `sh -c 'awsguard pick > OUT'` so the screen (the pty) and the answer
 * (the file) stay apart, the way a command substitution keeps them apart.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { profileOn, ready, startPicker } from '../support/picker-pty.js';
import { colourCodes } from '../tui/ansi.js';

// Until `pick` is in the command registry the binary cannot run it; say so rather than fail.
const registered = spawnSync(process.execPath, [BIN, 'help', 'pick'], { encoding: 'utf8' }).status === 0;
if (!registered) console.warn('test/e2e/pick.test.ts: skipped, `awsguard pick` is not registered in src/commands/registry.ts yet');

let root: string;
let bigConfig: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'awsguard-pick-e2e-'));
  bigConfig = join(root, 'big');
  execFileSync(process.execPath, ['bench/gen-config.mjs', bigConfig, '10000'], { stdio: 'ignore' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SMALL = `[profile acme-dev]
sso_session = org
sso_account_id = 111111111111
sso_role_name = Admin
region = eu-west-1

[profile acme-prod]
sso_session = org
sso_account_id = 222222222222
sso_role_name = Admin
region = eu-west-1

[profile billing]
role_arn = arn:aws:iam::333333333333:role/Billing
credential_source = Environment
region = us-east-1

[sso-session org]
sso_start_url = https://org.awsapps.com/start
sso_region = eu-west-1
`;

/** A home of its own for each test: config, caches and frecency do not leak between them. */
function home(config: 'big' | string): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(root, 'home-'));
  let configFile = join(bigConfig, 'config');
  let credentialsFile = join(bigConfig, 'credentials');
  if (config !== 'big') {
    configFile = join(dir, 'config');
    credentialsFile = join(dir, 'credentials');
    writeFileSync(configFile, config);
  }
  return {
    dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      XDG_STATE_HOME: join(dir, 'state'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      XDG_CONFIG_HOME: join(dir, 'config-home'),
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    },
  };
}

describe.skipIf(!registered)('awsguard pick in a terminal', () => {
  it('finds a profile among 10,000 as it is typed and prints only its name', async () => {
    const p = startPicker(home('big'));
    await p.until(ready(10001), 'the first frame');
    p.pty.write('team7 prod 187');
    await p.until((l) => /^> team7 prod 187 /.test(l[0] ?? '') && profileOn(l[1]) === 'team7-prod-187', 'team7-prod-187 first');
    expect(p.screen.lines()[1]).toMatch(/^> PROD team7-prod-187 +100001480853 +Admin +eu-central-1 +role/);
    p.pty.write('\r');
    expect(await p.result()).toEqual({ stdout: 'team7-prod-187\n', code: 0 });
  });

  it('at 10,000 profiles, chooses by account id typed with Enter at the first page, before the rows that hold ids are built', async () => {
    const p = startPicker(home('big'));
    await p.until(ready(10001), 'the first page');
    // One write: the id matches no name, so the answer must wait for the whole rows.
    p.pty.write('100001480853\r');
    expect(await p.result()).toEqual({ stdout: 'team7-prod-187\n', code: 0 });
  });

  it('prints nothing and exits 130 on Esc', async () => {
    const p = startPicker(home('big'));
    await p.until(ready(10001), 'the first frame');
    p.pty.write('team1');
    await p.until((l) => (l[0] ?? '').startsWith('> team1 '), 'the query');
    p.pty.write('\u001b');
    expect(await p.result()).toEqual({ stdout: '', code: 130 });
  });

  it('keeps every key typed as soon as the first frame shows, Enter included', async () => {
    const p = startPicker(home(SMALL), [], 100, 30);
    await p.until(ready(3), 'the first frame');
    // One write, before Ink is likely to be reading: it arrives as one chunk of text.
    p.pty.write('bill\r');
    expect(await p.result()).toEqual({ stdout: 'billing\n', code: 0 });
  });

  it('draws its first frame before Ink loads, and Ink takes over the same screen', async () => {
    const p = startPicker(home(SMALL), [], 100, 30);
    await p.until((l) => ready(3)(l) && l.some((line) => line.includes('esc quit')), 'the whole first frame');
    const first = p.screen.text();
    // Ink's first frame draws the counter again, over the one drawn before it loaded.
    await p.until(() => p.raw().split('3 of 3').length > 2, "Ink's first frame");
    expect(p.screen.text()).toBe(first);
    p.pty.write('\u001b');
    expect((await p.result()).code).toBe(130);
  });

  it("answers a query typed at the first frame before Ink has loaded, and Ink's frame is the same screen", async () => {
    const p = startPicker(home(SMALL), [], 100, 30);
    await p.until((l) => ready(3)(l) && l.some((line) => line.includes('esc quit')), 'the whole first frame');
    p.pty.write('bil');
    await p.until((l) => /^> bil +1 of 3$/.test(l[0] ?? '') && profileOn(l[1]) === 'billing', 'the query answered');
    const answered = p.screen.text();
    // Ink hides the cursor as it starts; its first frame follows.
    await p.until(() => /\u001b\[\?25l[^]*1 of 3/.test(p.raw()), "Ink's frame");
    expect(p.screen.text()).toBe(answered);
    p.pty.write('l\r');
    expect(await p.result()).toEqual({ stdout: 'billing\n', code: 0 });
  });

  it('redraws for the new size when the terminal is resized', async () => {
    const p = startPicker(home('big'), [], 100, 30);
    await p.until(ready(10001), 'the first frame');
    expect(p.screen.lines()[0]).toHaveLength(100);
    p.pty.resize(40, 8);
    p.screen.resize(40, 8);
    // The prompt's counter is right-aligned to the new width, and the list fits in 8 rows.
    await p.until((l) => l[0]?.length === 40 && l[0].endsWith('10001 of 10001') && l[6] !== '' && l[7] === '', 'the 40x8 frame');
    p.pty.write('team3-dev-75');
    await p.until((l) => profileOn(l[1]) === 'team3-dev-75', 'the match in the small frame');
    p.pty.resize(90, 20);
    p.screen.resize(90, 20);
    await p.until((l) => l[0]?.length === 90 && profileOn(l[1]) === 'team3-dev-75', 'the 90x20 frame');
    p.pty.write('\r');
    expect(await p.result()).toEqual({ stdout: 'team3-dev-75\n', code: 0 });
  });

  it('prints JSON with --json, starting from --query', async () => {
    const p = startPicker(home(SMALL), ['--json', '--query', 'bill']);
    await p.until((l) => /^> bill +1 of 3$/.test(l[0] ?? ''), 'the filtered frame');
    p.pty.write('\r');
    const { stdout, code } = await p.result();
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ profile: 'billing', ephemeral: false, account_id: '333333333333', account_alias: null, role: 'Billing', region: 'us-east-1', source: 'role' });
  });

  it('remembers choices, privately, and lists the favourite first next time', async () => {
    const h = home(SMALL);
    const first = startPicker(h);
    await first.until(ready(3), 'the first frame');
    expect(profileOn(first.screen.lines()[1])).toBe('acme-dev');
    first.pty.write('billing');
    await first.until((l) => profileOn(l[1]) === 'billing', 'billing');
    first.pty.write('\r');
    expect((await first.result()).code).toBe(0);
    const file = join(h.dir, 'state', 'awsguard', 'frecency.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(h.dir, 'state', 'awsguard')).mode & 0o777).toBe(0o700);
    const second = startPicker(h);
    await second.until(ready(3), 'the first frame');
    expect(profileOn(second.screen.lines()[1])).toBe('billing');
    second.pty.write('\u0003');
    expect(await second.result()).toEqual({ stdout: '', code: 130 });
  });

  it('at 10,000 profiles draws the first page before the other rows, the favourite first, then the same list', async () => {
    const h = home('big');
    const first = startPicker(h, ['--query', 'team9-qa-229']);
    await first.until((l) => profileOn(l[1]) === 'team9-qa-229', 'the match');
    first.pty.write('\r');
    expect((await first.result()).stdout).toBe('team9-qa-229\n');
    const p = startPicker(h, [], 100, 30);
    const names = () => p.screen.lines().slice(1, 28).map(profileOn);
    // The whole page, not only its first lines: the frame may arrive in more than one read.
    await p.until((l) => ready(10001)(l) && names().every(Boolean), 'the first page');
    const page = names();
    expect(page.slice(0, 3)).toEqual(['team9-qa-229', 'default', 'team0-dev-0']);
    // Drawn three times: the first page, the full first frame, Ink's frame; the list stays put.
    await p.until(() => p.raw().split('10001 of 10001').length > 3, "Ink's frame");
    expect(names()).toEqual(page);
    p.pty.write('team3-dev-75\r');
    expect(await p.result()).toEqual({ stdout: 'team3-dev-75\n', code: 0 });
  });

  it('writes no colour codes with NO_COLOR, and still shows the PROD badge', async () => {
    const h = home(SMALL);
    const p = startPicker({ ...h, env: { ...h.env, NO_COLOR: '1' } });
    await p.until(ready(3), 'the first frame');
    p.pty.write('prod');
    // The whole frame, not only its first line: a pty may hand a frame over in more than one read.
    await p.until((l) => /^> prod +1 of 3$/.test(l[0] ?? '') && /^> PROD acme-prod/.test(l[1] ?? ''), 'the filtered frame with the PROD badge');
    p.pty.write('\u001b');
    await p.result();
    expect(colourCodes(p.raw())).toEqual([]);
    // Without NO_COLOR the same screen has colour: the check above can fail.
    const coloured = startPicker(home(SMALL));
    await coloured.until(ready(3), 'the first frame');
    coloured.pty.write('\u001b');
    await coloured.result();
    expect(colourCodes(coloured.raw())).toContain(31);
  });
});

describe.skipIf(!registered)('awsguard pick with nothing to pick', () => {
  it('says the config has no profiles and exits 3, without taking over the screen', async () => {
    const p = startPicker(home('# nothing here\n'));
    const { stdout, code } = await p.result();
    expect({ stdout, code }).toEqual({ stdout: '', code: 3 });
    expect(p.screen.text()).toMatch(/awsguard: no profiles in .*config or .*credentials; nothing to pick/);
    expect(p.raw()).not.toContain('\u001b[?1049h');
  });
});

describe.skipIf(!registered)('awsguard pick without a terminal', () => {
  it('exits 6 and says to pass -p, printing nothing on stdout', async () => {
    const h = home(SMALL);
    // detached: a new session with no controlling terminal, so /dev/tty cannot be opened.
    const child = spawn(process.execPath, [BIN, 'pick'], { env: h.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(6);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^awsguard: pick needs a terminal .*-p PROFILE/);
  });
});
