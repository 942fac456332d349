// The picker as a person meets it, in a real pseudo-terminal: from spawn to the first frame,
// to "ready": the screen showing the effect of a query typed the moment the first frame
// appears, and to "complete": that query answered over the whole rows. From 2,000 profiles
// the picker answers keys while it builds the rows, matching names alone ("12+ of 10001"),
// so ready comes before complete; below that they are the same frame. Each run of the picker is paired with `node -e ''` spawned the same way (in a pty,
// to its exit), so the machine's load touches both alike.
// Usage: node bench/ready.mjs [N ...]   (default 1000 10000; writes nothing, prints JSON)
//        import { measureReady } from './ready.mjs' (bench/picker.mjs and bench/scale.mjs do)
import { spawn as spawnPty } from '@lydell/node-pty';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from './gen-config.mjs';

const ROOT = resolve(import.meta.dirname, '..');
// BENCH_BIN: another build's dist/awsguard.cjs, to compare two builds in the same conditions.
const bin = () => process.env.BENCH_BIN ?? join(ROOT, 'dist/awsguard.cjs');

/** A query typed at once: the generator's first profile, which every size has. */
const QUERY = 'team0-dev-0';
const plain = (text) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

/** Writes a generated config of n profiles under dir; returns the environment that reads it. */
export function configHome(dir, n) {
  mkdirSync(dir, { recursive: true });
  const { config, credentials } = generate(n);
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  return { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
}

/** Spawns argv in a pty with a clean environment (no NODE_EXTRA_CA_CERTS, no NODE_OPTIONS). */
function ptySpawn(argv, env) {
  return spawnPty(argv[0], argv.slice(1), { name: 'xterm-256color', cols: 120, rows: 40, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8', ...env } });
}

/** `node -e ''` in a pty, to its exit. */
function nodeOnce() {
  return new Promise((done) => {
    const t = performance.now();
    const pty = ptySpawn([process.execPath, '-e', ''], {});
    pty.onExit(() => done(performance.now() - t));
  });
}

/**
 * One picker run: ms to the first frame with every row counted ("N of N"), to Ink's first frame
 * (Ink hides the cursor as it starts), and to the frame that shows the query typed at the first
 * frame (the prompt with the whole query, fewer rows counted). Then Esc. `wrap` runs it under another command (pickPeakRss).
 */
function pickOnce(env, total, wrap = []) {
  const home = mkdtempSync(join(tmpdir(), 'awsguard-ready-'));
  const fullEnv = { ...env, HOME: home, XDG_STATE_HOME: join(home, 's'), XDG_CACHE_HOME: join(home, 'c'), XDG_CONFIG_HOME: join(home, 'x') };
  return new Promise((done, fail) => {
    let frame;
    let ink;
    let ready;
    let complete;
    let seen = '';
    let typedAt = -1;
    const t = performance.now();
    // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p", to look inside one run.
    // `wrap`: a command that runs the picker, e.g. /usr/bin/time for its peak RSS.
    const pty = ptySpawn([...wrap, process.execPath, ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), bin(), 'pick'], fullEnv);
    const timer = setTimeout(() => pty.kill(), 20_000);
    pty.onData((d) => {
      seen += d;
      const now = performance.now() - t;
      if (frame === undefined && seen.includes(`${total} of ${total}`)) {
        frame = now;
        typedAt = seen.length;
        pty.write(QUERY);
      }
      const inkAt = seen.indexOf('\u001b[?25l');
      if (ink === undefined && inkAt !== -1) ink = now;
      // The prompt with the whole query and fewer rows counted: the frame of the query's effect.
      const typed = typedAt === -1 ? '' : plain(seen.slice(typedAt));
      const after = new RegExp(`> ${QUERY} +(\\d+)\\+? of ${total}`).exec(typed);
      if (ready === undefined && after && Number(after[1]) < total) {
        ready = now;
        // Esc waits for the whole rows, as every key but a query edit does.
        pty.write('\u001b');
      }
      const whole = new RegExp(`> ${QUERY} +(\\d+) of ${total}`).exec(typed);
      if (complete === undefined && whole && Number(whole[1]) < total) complete = now;
    });
    pty.onExit(({ exitCode }) => {
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
      if (ready === undefined || complete === undefined) fail(new Error(`picker at ${total}: not ready or not complete (exit ${exitCode}): ${JSON.stringify(seen.slice(-400))}`));
      else done({ frame, ink, ready, complete });
    });
  });
}

/** The picker's peak resident set in MiB, over one run typed and left as measureReady's are (GNU time's %M). */
export async function pickPeakRss(env, total) {
  const dir = mkdtempSync(join(tmpdir(), 'awsguard-rss-'));
  try {
    const file = join(dir, 'rss');
    await pickOnce(env, total, ['/usr/bin/time', '-f', '%M', '-o', file]);
    return Math.round(Number(readFileSync(file, 'utf8').trim().split('\n').pop()) / 1024);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const r = (x) => Math.round(x * 10) / 10;
  return { median_ms: r(at(0.5)), min_ms: r(s[0]), p90_ms: r(at(0.9)), max_ms: r(s[s.length - 1]), runs: s.length };
}

/**
 * The picker over `total` rows (generate(n) writes n profiles and [default]: n + 1), each run
 * paired with node: medians and spread of each figure, and of each run's excess over its node.
 */
export async function measureReady(env, total, runs = 15, warmup = 2) {
  const node = [];
  const got = { frame: [], ink: [], ready: [], complete: [] };
  // Differences paired run by run: node's time and the picker's under the same load.
  const over = { frame: [], ready: [], complete: [] };
  for (let i = 0; i < warmup + runs; i++) {
    const n = await nodeOnce();
    const p = await pickOnce(env, total);
    if (i < warmup) continue;
    node.push(n);
    for (const k of ['frame', 'ink', 'ready', 'complete']) got[k].push(p[k]);
    for (const k of ['frame', 'ready', 'complete']) over[k].push(p[k] - n);
  }
  return {
    node_e: summary(node),
    first_frame: summary(got.frame),
    ink_frame: summary(got.ink),
    ready: summary(got.ready),
    complete: summary(got.complete),
    first_frame_over_node: summary(over.frame),
    ready_over_node: summary(over.ready),
    complete_over_node: summary(over.complete),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number);
  const runs = Number(process.env.BENCH_RUNS ?? 15);
  const work = mkdtempSync(join(tmpdir(), 'awsguard-ready-cfg-'));
  try {
    const out = {};
    for (const n of sizes.length ? sizes : [1000, 10000]) {
      const env = configHome(join(work, String(n)), n);
      out[n] = await measureReady(env, n + 1, runs);
    }
    console.log(JSON.stringify(out, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
