import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildStartError, exitCodeOf, resolveCommand, runChild as runChildDefault, type RunChildOptions } from '../../src/exec/supervise.js';
import { defaultSpawner, spawnWithChildProcess, type Spawner } from '../../src/exec/spawn.js';
import { runInPty } from '../support/pty.js';

const RUN_CHILD = fileURLToPath(new URL('../fixtures-bin/run-child.ts', import.meta.url));
const LOGGER = fileURLToPath(new URL('../fixtures-bin/signal-logger.mjs', import.meta.url));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() };
const root = mkdtempSync(join(tmpdir(), 'awsguard-supervise-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The awsguard side as its own process, so signals can be sent to it; `via` as run-child.ts reads it. */
function awsguardSide(argv: string[], opts: { detached?: boolean; via: string }) {
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_CHILD, ...argv], { env: { ...env, AWSGUARD_TEST_SPAWNER: opts.via }, stdio: 'pipe', detached: opts.detached ?? false });
  return { child, stdout: collect(child, 'stdout'), stderr: collect(child, 'stderr'), exited: exited(child) };
}

function collect(child: ChildProcess, stream: 'stdout' | 'stderr') {
  let text = '';
  const waiters = new Set<() => void>();
  child[stream]!.setEncoding('utf8');
  child[stream]!.on('data', (d: string) => {
    text += d;
    for (const w of [...waiters]) w();
  });
  return {
    text: () => text,
    waitFor(pattern: string, timeoutMs = 10_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} on ${stream}; got:\n${text}`)), timeoutMs);
        const check = () => {
          if (!text.includes(pattern)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

// Every test runs with both ways of starting the child (src/exec/spawn.ts): this Node's default
// (libuv's process handle on Node 20 and 22) and child_process.
const SPAWNERS: [string, Spawner][] = [
  ['default', defaultSpawner()],
  ['child_process', spawnWithChildProcess],
];

it('starts the child through the process handle on Node 20 and 22 (both tested by .ci/run), not child_process', () => {
  if (/^(20|22)\./.test(process.versions.node)) expect(defaultSpawner()).not.toBe(spawnWithChildProcess);
  else expect(defaultSpawner()).toBe(spawnWithChildProcess);
});

describe.each(SPAWNERS)('started through %s', (via, spawner) => {
  const tmp = mkdtempSync(join(root, `${via}-`));
  const runChild = (argv: readonly string[], e: Readonly<Record<string, string>>, opts: RunChildOptions = {}) => runChildDefault(argv, e, { ...opts, spawner });

  describe('runChild: exit status', () => {
    it.each([0, 3, 255])("passes the child's own code %i through", async (n) => {
      await expect(runChild(['sh', '-c', `exit ${n}`], env)).resolves.toEqual({ code: n });
    });

    it('gives 128+N when signal N killed the child', async () => {
      await expect(runChild(['sh', '-c', 'kill -TERM $$'], env)).resolves.toEqual({ code: 143, signal: 'SIGTERM' });
      await expect(runChild(['sh', '-c', 'kill -KILL $$'], env)).resolves.toEqual({ code: 137, signal: 'SIGKILL' });
      expect(exitCodeOf(null, 'SIGINT')).toBe(130);
    });

    it('runs in cwd and reports the pid once running', async () => {
      const dir = mkdtempSync(join(tmp, 'cwd-'));
      let pid = 0;
      const r = await runChild(['sh', '-c', 'test "$(pwd)" = "$1" && test "$AWSGUARD_PROFILE" = x', 'sh', dir], { ...env, AWSGUARD_PROFILE: 'x' }, { cwd: dir, onSpawn: (p) => (pid = p) });
      expect(r).toEqual({ code: 0 });
      expect(pid).toBeGreaterThan(0);
    });

    it('passes arguments as given, with no shell in between', async () => {
      const p = awsguardSide(['printf', '%s|', 'a b', '$HOME', '*', "it's", '$(id)'], { via });
      expect((await p.exited).code).toBe(0);
      expect(p.stdout.text()).toBe("a b|$HOME|*|it's|$(id)|");
    });
  });

  describe('runChild: not found (127) and not runnable (126)', () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'plain-file'), 'echo hi\n', { mode: 0o644 });
    mkdirSync(join(bin, 'a-dir'));
    writeFileSync(join(bin, 'bad-interp'), '#!/nonexistent/interpreter\n', { mode: 0o755 });
    writeFileSync(join(bin, 'runme'), '#!/bin/sh\nexit 7\n', { mode: 0o755 });

    const startError = async (argv: string[], path = bin) => {
      const err = await runChild(argv, { ...env, PATH: path }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ChildStartError);
      return err as ChildStartError;
    };

    it('127 with a clear message when nothing on the child’s PATH has that name', async () => {
      const err = await startError(['no-such-command-xyz']);
      expect(err.exitCode).toBe(127);
      expect(err.message).toBe('command not found: no-such-command-xyz');
      // The parent's PATH does not matter: the child's does.
      expect((await startError(['sh'], join(tmp, 'empty'))).exitCode).toBe(127);
      expect((await startError(['./nope/missing'])).exitCode).toBe(127);
    });

    it('126 for a file without execute permission and for a directory', async () => {
      const plain = await startError(['plain-file']);
      expect(plain.exitCode).toBe(126);
      expect(plain.message).toMatch(/cannot run plain-file: permission denied/);
      const dir = await startError([join(bin, 'a-dir')]);
      expect(dir.exitCode).toBe(126);
      expect(dir.message).toMatch(/is a directory/);
      expect((await startError([join(bin, 'plain-file')])).exitCode).toBe(126);
    });

    it('126 for a script whose #! interpreter is missing', async () => {
      const err = await startError(['bad-interp']);
      expect(err.exitCode).toBe(126);
      expect(err.message).toMatch(/bad interpreter/);
    });

    it('searches PATH like a shell: skips directories and non-executables, empty entry is cwd', async () => {
      const other = join(tmp, 'other');
      mkdirSync(join(other, 'plain-file'), { recursive: true });
      writeFileSync(join(other, 'runme'), '#!/bin/sh\nexit 9\n', { mode: 0o755 });
      expect(resolveCommand('runme', `${other}:${bin}`)).toBe(join(other, 'runme'));
      expect(resolveCommand('runme', `${join(tmp, 'missing')}:${bin}`)).toBe(join(bin, 'runme'));
      expect(resolveCommand('runme', `:/usr/bin`, bin)).toBe(join(bin, 'runme'));
      expect(() => resolveCommand('a-dir', bin)).toThrow(/command not found/);
      await expect(runChild(['runme'], { ...env, PATH: bin })).resolves.toEqual({ code: 7 });
      chmodSync(join(other, 'runme'), 0o644);
      expect(resolveCommand('runme', `${other}:${bin}`)).toBe(join(bin, 'runme'));
    });

    it('the awsguard side reports it in one line and exits 127', async () => {
      const p = awsguardSide(['no-such-command-xyz'], { via });
      expect((await p.exited).code).toBe(127);
      expect(p.stderr.text()).toContain('awsguard: command not found: no-such-command-xyz');
    });
  });

  describe('runChild: stdin', () => {
    it('passes stdin to the child untouched, bytes and all', async () => {
      const p = awsguardSide(['od', '-An', '-v', '-tx1'], { via });
      const data = Buffer.concat([Buffer.from('line one\nline two\r\n\x03\x04\x1a'), randomBytes(64 * 1024)]);
      p.child.stdin!.end(data);
      expect((await p.exited).code).toBe(0);
      const bytes = Buffer.from(p.stdout.text().replace(/\s+/g, ''), 'hex');
      expect(bytes.equals(data)).toBe(true);
    });
  });

  describe('runChild: signals', () => {
    it('forwards SIGINT, SIGHUP, SIGQUIT, SIGWINCH, SIGUSR1, SIGUSR2 and SIGTERM, and outlives the child', async () => {
      // detached: its own session, no terminal, like awsguard under a supervisor or in CI.
      const p = awsguardSide(['node', LOGGER, 'SIGTERM'], { detached: true, via });
      await p.stdout.waitFor('ready');
      for (const signal of ['SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGWINCH', 'SIGUSR1', 'SIGUSR2'] as const) {
        process.kill(p.child.pid!, signal);
        await p.stdout.waitFor(`got ${signal}`);
      }
      process.kill(p.child.pid!, 'SIGTERM');
      // The logger exits 0 on SIGTERM; awsguard, which got SIGTERM first, waits and exits the same way.
      expect(await p.exited).toEqual({ code: 0, signal: null });
      expect(p.stdout.text().trim().split('\n')).toEqual(['ready', 'got SIGINT', 'got SIGHUP', 'got SIGQUIT', 'got SIGWINCH', 'got SIGUSR1', 'got SIGUSR2', 'got SIGTERM']);
      expect(p.stderr.text()).toContain('child done {"code":0}');
      // SIGUSR1 is Node's "start the inspector" signal: a listener must keep it from doing that.
      expect(p.stderr.text()).not.toContain('Debugger listening');
    });

    it('is already listening when the child starts: a signal provoked by the child at once is forwarded, not fatal', async () => {
      // The child signals its parent (the awsguard side) as its very first act.
      const p = awsguardSide(['sh', '-c', 'kill -TERM $PPID; sleep 1; exit 4'], { detached: true, via });
      expect(await p.exited).toEqual({ code: 143, signal: null });
    });

    it('exits 143 when a forwarded SIGTERM kills the child', async () => {
      const p = awsguardSide(['sh', '-c', 'echo ready; while :; do sleep 0.05; done'], { detached: true, via });
      await p.stdout.waitFor('ready');
      process.kill(p.child.pid!, 'SIGTERM');
      expect(await p.exited).toEqual({ code: 143, signal: null });
    });

    it('refuses arguments no process can receive, and leaves no handler behind', async () => {
      const before = process.listenerCount('SIGTERM');
      const err = await runChild(['echo', 'a\0b'], env).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChildStartError);
      expect((err as ChildStartError).exitCode).toBe(126);
      expect(process.listenerCount('SIGTERM')).toBe(before);
    });

    it('removes its handlers afterwards', async () => {
      const before = process.listenerCount('SIGINT');
      await runChild(['true'], env);
      await runChild(['no-such-command-xyz'], env).catch(() => undefined);
      expect(process.listenerCount('SIGINT')).toBe(before);
      expect(process.listenerCount('SIGWINCH')).toBe(0);
    });

    it('in a real terminal, Ctrl-C, Ctrl-\\ and a resize reach the child once, not twice', async () => {
      // `env` has PATH and HOME only: no CI, as in a person's terminal.
      const t = runInPty(process.execPath, ['--import', 'tsx', RUN_CHILD, 'node', LOGGER, 'SIGUSR2'], { ...env, AWSGUARD_TEST_SPAWNER: via }, 80, 24);
      const { pty } = t;
      const waitFor = (text: string) => t.waitFor(text, 10_000);
      await waitFor('ready');
      pty.write('\x03');
      await waitFor('got SIGINT');
      pty.write('\x1c');
      await waitFor('got SIGQUIT');
      pty.resize(100, 30);
      await waitFor('got SIGWINCH');
      // A signal from a process (not the terminal) still goes through awsguard, after the ones above.
      process.kill(pty.pid, 'SIGUSR2');
      expect((await t.exited).exitCode).toBe(0);
      // The terminal echoes ^C and ^\ before the child's lines: match the lines' text only.
      expect([...t.output().matchAll(/got (SIG[A-Z0-9]+)/g)].map((m) => m[1])).toEqual(['SIGINT', 'SIGQUIT', 'SIGWINCH', 'SIGUSR2']);
    });
  });
});
