/** The start-up machinery of the built CLI: the loader's code cache and the direct stdout. */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { commands } from '../src/commands/specs/index.js';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../src/tty/fd-output.js';
import { BIN } from './support/cli.js';

const DIST = join(BIN, '..');

describe('start-up', () => {
  it.each(['main.cjs', 'hot.cjs', 'aws-sdk.cjs'])('ships a V8 code cache this Node accepts for dist/%s', (name) => {
    const file = join(DIST, name);
    const wrapper = '(function (exports, require, module, __filename, __dirname, __awsguardImport) {' + readFileSync(file, 'utf8') + '\n})';
    const script = new Script(wrapper, { filename: file, cachedData: readFileSync(file + '.v8cache') });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('bundles in dist/aws-sdk.cjs the parts of each SDK client that src/credentials/sdk lists, without node:http2', async () => {
    const file = join(DIST, 'aws-sdk.cjs');
    const wrapper = '(function (exports, require, module, __filename, __dirname, __awsguardImport) {' + readFileSync(file, 'utf8') + '\n})';
    // What the bundle asks Node for, through the require the loader hands it.
    const asked: string[] = [];
    const real = createRequire(file);
    const mod = { exports: {} as Record<string, () => Record<string, new (config: object) => { destroy(): void }>> };
    new Script(wrapper, { filename: file }).runInThisContext()(mod.exports, (id: string) => (asked.push(id), real(id)), mod, file, DIST, () => Promise.reject(new Error('no import()')));
    const clients: Record<string, string> = { '@aws-sdk/client-sts': 'STSClient', '@aws-sdk/client-iam': 'IAMClient', '@aws-sdk/client-sso': 'SSOClient', '@aws-sdk/client-sso-oidc': 'SSOOIDCClient' };
    expect(Object.keys(mod.exports).sort()).toEqual([...Object.keys(clients), '@smithy/core/retry', '@smithy/core/config'].sort());
    for (const [specifier, load] of Object.entries(mod.exports)) {
      const m = load();
      const name = clients[specifier];
      if (name) new m[name]!({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } }).destroy();
    }
    expect(asked.filter((id) => !id.startsWith('node:'))).toEqual([]);
    expect(asked).not.toContain('node:http2');
    // Each client's module has what its list in src/credentials/sdk names, and no other command of the service.
    for (const specifier of Object.keys(clients)) {
      const listed = Object.keys(await import(`../src/credentials/sdk/${specifier.slice('@aws-sdk/'.length)}.ts`)).sort();
      expect(Object.keys(mod.exports[specifier]!()).sort()).toEqual(listed);
    }
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('ListAccountAliasesCommand');
    expect(text).not.toContain('CreateUserCommand');
  });

  it('runs exec, export and whoami from dist/hot.cjs, which has only their code, and every other command from dist/main.cjs', () => {
    // A copy of dist/ in which each command bundle fails at once, naming itself: what runs shows which was chosen.
    const dir = mkdtempSync(join(tmpdir(), 'awsguard-route-'));
    for (const name of readdirSync(DIST)) writeFileSync(join(dir, name), readFileSync(join(DIST, name)));
    for (const name of ['main.cjs', 'hot.cjs']) {
      writeFileSync(join(dir, name), `process.stdout.write(${JSON.stringify(name)}); process.exitCode = 3;`);
      rmSync(join(dir, `${name}.v8cache`));
    }
    const chosen = (argv: string[]) => spawnSync(process.execPath, [join(dir, 'awsguard.cjs'), ...argv], { encoding: 'utf8' }).stdout;
    try {
      for (const command of ['exec', 'export', 'whoami']) expect(chosen([command, '--help'])).toBe('hot.cjs');
      for (const command of commands.map((c) => c.name).filter((name) => !['exec', 'export', 'whoami'].includes(name))) expect(chosen([command, '--help'])).toBe('main.cjs');
      for (const argv of [[], ['--help'], ['--version'], ['help', 'exec'], ['off'], ['no-such-command']]) expect(chosen(argv)).toBe('main.cjs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The real dist/hot.cjs: the three commands' own code runs (their refusal of a profile that is not there), the others are not in it.
    const hot = readFileSync(join(DIST, 'hot.cjs'), 'utf8');
    expect(hot).toContain('the keys command is not in dist/hot.cjs');
    expect(hot).not.toContain('the exec command is not in dist/hot.cjs');
    const home = mkdtempSync(join(tmpdir(), 'awsguard-route-home-'));
    try {
      writeFileSync(join(home, 'config'), '[profile prod-admin]\nregion = eu-west-1\n');
      const env = { PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'), XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache') };
      for (const argv of [['exec', '-p', 'prod-admn', '--', 'true'], ['export', '-p', 'prod-admn'], ['whoami', '-p', 'prod-admn']]) {
        const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', env });
        expect(r.stderr).toMatch(/did you mean prod-admin\?/);
        expect(r.stderr).not.toMatch(/internal error/);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('still runs, compiling as usual, when the code cache does not fit (another Node, a damaged file)', () => {
    // The loader compiles a copy of the bundle whose cache cannot match: different source text.
    const r = spawnSync(process.execPath, ['-e', `
      const fs = require('node:fs'); const path = require('node:path'); const os = require('node:os');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsguard-loader-'));
      fs.copyFileSync(${JSON.stringify(BIN)}, path.join(dir, 'awsguard.cjs'));
      fs.writeFileSync(path.join(dir, 'main.cjs'), fs.readFileSync(${JSON.stringify(join(DIST, 'main.cjs'))}, 'utf8') + '\\n// changed');
      fs.writeFileSync(path.join(dir, 'main.cjs.v8cache'), 'not a cache');
      process.argv = [process.argv[0], path.join(dir, 'awsguard.cjs'), '--version'];
      require(path.join(dir, 'awsguard.cjs'));
    `], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^awsguard \d+\.\d+\.\d+\n$/);
  });

  it('ends quietly, with the full answer up to that point, when the reader goes away', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `[profile p${i}]\nregion = eu-west-1\n`).join('');
    const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
    spawnSync('sh', ['-c', 'cat > "$1/config"', 'sh', dir], { input: names });
    const r = spawnSync('sh', ['-c', '"$0" "$1" profiles --names | head -n 2', process.execPath, BIN], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') },
    });
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['p0', 'p1']);
    expect(r.stderr).toBe('');
  });

  it('writes the kept answer of profiles --names without loading node:crypto (a temporary name needs no randomness)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'awsguard-crypto-'));
    writeFileSync(join(dir, 'config'), '[profile a]\nregion = eu-west-1\n');
    // A preloaded script reports, as the process exits, which built-ins it loaded.
    const hook = join(dir, 'hook.cjs');
    writeFileSync(hook, "process.on('exit', () => process.stderr.write(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).join('\\n')));");
    const env = { PATH: process.env.PATH, HOME: dir, XDG_CACHE_HOME: join(dir, 'cache'), AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };
    const r = spawnSync(process.execPath, ['--require', hook, BIN, 'profiles', '--names'], { encoding: 'utf8', env });
    expect(r.stdout).toBe('a\n');
    const loaded = r.stderr.split('\n');
    expect(loaded).toContain('NativeModule fs');
    expect(loaded.filter((m) => m.includes('crypto'))).toEqual([]);
    // The answer was kept, and no temporary file was left beside it.
    const kept = readdirSync(join(dir, 'cache'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
    expect(kept.length).toBe(1);
    expect(kept[0]).not.toMatch(/\.tmp$/);
  });

  it('runs the build\'s warm-up commands only when the build makes the code cache', () => {
    const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
    const warmup = JSON.stringify([{ argv: ['--version'], env: {} }]);
    const env = { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: join(dir, 'none'), AWSGUARD_BUILD_WARMUP: warmup };
    // Alone, the variable does nothing: an environment cannot make awsguard run other commands.
    const alone = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env });
    expect(alone.stdout).toMatch(/^awsguard \S+\n$/);
    // With the build's variable, each warm-up runs first in the same process, then the command given.
    const cacheFile = join(dir, 'main.cjs.v8cache');
    const built = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { ...env, AWSGUARD_BUILD_CODE_CACHE: cacheFile } });
    expect(built.stdout).toMatch(/^(awsguard \S+\n){2}$/);
    // The loader writes a cache only for its own file's path, so none here.
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).toBe('');
  });

  it('does not take /dev/null, a pipe or a file for a terminal', () => {
    const fd = openSync('/dev/null', 'w');
    try {
      expect(isTerminal(fd)).toBe(false);
    } finally {
      closeSync(fd);
    }
    const file = openSync(BIN, 'r');
    expect(isTerminal(file)).toBe(false);
    closeSync(file);
  });
});
