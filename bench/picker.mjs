// The picker's numbers: filtering time per keystroke (ours against uFuzzy) and time to the
// first frame in a real pseudo-terminal, at 1,000 and 10,000 profiles.
// Usage: node bench/picker.mjs   (writes bench/results/picker.json)
// Targets (issues 6 and 18): p95 under 5 ms per keystroke at 10,000 profiles; ready for keys
// within 150 ms of `node -e ''` at 1,000 profiles and 200 ms at 10,000.
import uFuzzy from '@leeoniya/ufuzzy';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from './gen-config.mjs';
import { measureReady } from './ready.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PASSES = 7;
const work = mkdtempSync(join(tmpdir(), 'awsguard-picker-bench-'));

// Typing as a person does: one character at a time, several terms, some fuzzy, one id.
const QUERIES = ['prod eu admin', 'team42 staging', 'readonly us-west', '100000384', 't7p187', 'sandbox ap deploy'];

// What a person would expect first for a query, to compare ranking, not only speed.
const EXPECTED = [
  ['team7 prod 187', 'team7-prod-187'],
  ['team7-prod-187', 'team7-prod-187'],
  ['t7p187', 'team7-prod-187'],
  ['7 prod 187', 'team7-prod-187'],
  ['team12 qa 304', 'team12-qa-304'],
];

async function main() {
  const lib = await bundleLib();
  const results = {
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString(), load_average_at_start: loadavg().map((l) => Math.round(l * 100) / 100) },
    targets: { keystroke_p95_ms_at_10k: 5, ready_over_node_ms: { 1000: 150, 10000: 200 } },
    filtering: {},
    matcher_comparison: {},
    first_frame: {},
  };
  for (const n of [1000, 10000]) {
    const dir = writeConfig(n);
    const rows = lib.rowsFromProfiles(lib.loadAwsConfig({ env: configEnv(dir) }), { cache: lib.emptyCacheView() });
    results.filtering[n] = measureFilter(lib, rows);
    if (n === 10000) results.matcher_comparison = compareMatchers(lib, rows);
  }
  results.first_frame = await firstFrames();
  results.first_frame.phases_10k = phases();
  results.machine.load_average_at_end = loadavg().map((l) => Math.round(l * 100) / 100);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/picker.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results, null, 2));
}

/** The picker's plain modules, compiled the way the CLI is, to call them in-process. */
async function bundleLib() {
  const out = join(work, 'lib.mjs');
  await build({
    stdin: {
      contents: `export { loadAwsConfig } from './src/config/load.ts';
export { rowsFromProfiles } from './src/tui/rows.ts';
export { emptyCacheView } from './src/tui/cache-view.ts';
export { Filter, parseQuery } from './src/tui/filter.ts';`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'warning',
  });
  return import(out);
}

function writeConfig(n) {
  const dir = join(work, `cfg-${n}`);
  mkdirSync(dir, { recursive: true });
  const { config, credentials } = generate(n);
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  return dir;
}

const configEnv = (dir) => ({ AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir });

const medians = (perKey) => perKey.map((samples) => [...samples].sort((a, b) => a - b)[samples.length >> 1]);

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const r = (x) => Math.round(x * 1000) / 1000;
  return { keystrokes: s.length, mean_ms: r(s.reduce((a, b) => a + b, 0) / s.length), p50_ms: r(at(0.5)), p95_ms: r(at(0.95)), max_ms: r(s[s.length - 1]) };
}

/**
 * Per keystroke: the filter run, the first screenful selected (30 rows) and highlighted, as the
 * picker does. Each typing sequence runs PASSES times and each keystroke keeps its median, so a
 * busy machine's pauses do not pass for the filter's cost.
 */
function measureFilter(lib, rows) {
  const frecency = Float64Array.from(rows, (_, i) => (i % 97 === 0 ? 3 : 0));
  const keystroke = (filter, query) => {
    const t = performance.now();
    const order = filter.run(query);
    const terms = lib.parseQuery(query);
    for (let i = 0; i < Math.min(30, order.length); i++) if (terms.length) filter.index.highlights(order.at(i), terms);
    else order.at(i);
    return performance.now() - t;
  };
  const typed = (fresh) => {
    const perKey = [];
    for (let pass = 0; pass < PASSES; pass++) {
      let filter = new lib.Filter(rows, frecency);
      filter.warm();
      let k = 0;
      for (const query of QUERIES) {
        for (let end = 1; end <= query.length; end++) {
          if (fresh) {
            filter = new lib.Filter(rows, frecency);
            filter.warm();
          }
          (perKey[k++] ??= []).push(keystroke(filter, query.slice(0, end)));
        }
      }
    }
    return perKey.map((samples) => samples.sort((a, b) => a - b)[samples.length >> 1]);
  };
  // Typing a query, then Backspace back to nothing: each shorter query was answered on the way in.
  const erasing = () => {
    const perKey = [];
    for (let pass = 0; pass < PASSES; pass++) {
      const filter = new lib.Filter(rows, frecency);
      filter.warm();
      const query = 'prod eu admin';
      for (let end = 1; end <= query.length; end++) keystroke(filter, query.slice(0, end));
      for (let end = query.length - 1, k = 0; end >= 0; end--) (perKey[k++] ??= []).push(keystroke(filter, query.slice(0, end)));
    }
    return medians(perKey);
  };
  // The first keystroke of a session, before the JIT has seen the filter.
  const cold = new lib.Filter(rows, frecency);
  let t = performance.now();
  cold.warm();
  const indexBuild = performance.now() - t;
  const first = keystroke(cold, 'p');
  return {
    rows: rows.length,
    index_build_ms: Math.round(indexBuild * 100) / 100,
    first_keystroke_cold_ms: Math.round(first * 100) / 100,
    typing: stats(typed(false)),
    backspace: stats(erasing()),
    // Every keystroke scanning all rows, as when a query is edited in the middle or reordered.
    full_scan: stats(typed(true)),
  };
}

/** Ours against uFuzzy on the same rows: time per keystroke and where the expected row lands. */
function compareMatchers(lib, rows) {
  const haystack = rows.map((r) => [r.profile, r.alias, r.accountId, r.role, r.region].filter(Boolean).join(' '));
  const frecency = new Float64Array(rows.length);
  const configs = {
    // uFuzzy's defaults: each term a substring (no gaps inside a term), terms in any order.
    ufuzzy_default: new uFuzzy({}),
    // Closer to ours: characters of a term may have gaps, as a fuzzy finder allows.
    ufuzzy_gaps: new uFuzzy({ intraMode: 0, intraIns: Infinity, interIns: Infinity }),
  };
  const out = { haystack: 'name alias account role region, space-joined', ours: {} };
  const typedOurs = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const ours = new lib.Filter(rows, frecency);
    ours.warm();
    let k = 0;
    for (const query of QUERIES) for (let end = 1; end <= query.length; end++) {
      const t = performance.now();
      const order = ours.run(query.slice(0, end));
      order.at(0); // the ranking is lazy: include selecting the first screenful
      (typedOurs[k++] ??= []).push(performance.now() - t);
    }
  }
  out.ours = { ...stats(medians(typedOurs)), note: 'filter and ordering (quality, frecency) of the first screenful; incremental, as the picker runs it' };
  for (const [name, uf] of Object.entries(configs)) {
    const fresh = [];
    const prefiltered = [];
    for (let pass = 0; pass < PASSES; pass++) {
      for (const withPrevious of [false, true]) {
        let k = 0;
        for (const query of QUERIES) {
          let previous = null;
          for (let end = 1; end <= query.length; end++) {
            const needle = query.slice(0, end);
            const t = performance.now();
            // outOfOrder permutes the terms (up to 3! orders), as our terms match in any order.
            const [idxs] = uf.search(haystack, needle, 3, 1000, withPrevious ? previous : null);
            ((withPrevious ? prefiltered : fresh)[k++] ??= []).push(performance.now() - t);
            previous = idxs && !needle.endsWith(' ') ? idxs : null;
          }
        }
      }
    }
    const ranks = EXPECTED.map(([query, expected]) => {
      const [idxs, info, order] = uf.search(haystack, query, 3, 1000);
      const ranked = order ? order.map((i) => info.idx[i]) : (idxs ?? []);
      const at = ranked.findIndex((i) => rows[i].profile === expected);
      return { query, expected, rank: at === -1 ? null : at + 1, matches: ranked.length, ranked: Boolean(order) };
    });
    out[name] = { fresh: stats(medians(fresh)), with_previous_matches: stats(medians(prefiltered)), expected_first: ranks };
  }
  out.ours.expected_first = EXPECTED.map(([query, expected]) => {
    const order = [...new lib.Filter(rows, frecency).run(query)];
    const at = order.findIndex((i) => rows[i].profile === expected);
    return { query, expected, rank: at === -1 ? null : at + 1, matches: order.length };
  });
  out.note =
    'uFuzzy ranks only when there are at most 1,000 matches (infoThresh); above that its order is the haystack order. ' +
    'It also lets a term span two fields and has no frecency, so its times are a lower bound for the same job.';
  return out;
}

/**
 * In a pty, each run paired with `node -e ''` spawned the same way (bench/ready.mjs): time to
 * the first frame, to Ink's, and to "ready", the screen showing a query typed at the first frame.
 */
async function firstFrames() {
  const result = { binary: 'dist/awsguard.cjs pick', runs: RUNS, pick_bundle_bytes: statSync(join(ROOT, 'dist/pick.js')).size };
  for (const n of [1000, 10000]) result[`cli_${n}`] = await measureReady(configEnv(join(work, `cfg-${n}`)), n + 1, RUNS);
  return result;
}

const median = (samples) => ({ median_ms: Math.round([...samples].sort((a, b) => a - b)[samples.length >> 1]) });

/** Where the time goes before the first frame at 10,000 profiles, each phase timed in a fresh process. */
function phases() {
  const script = `
const t0 = performance.now();
const lib = await import(${JSON.stringify(join(work, 'lib.mjs'))});
const t1 = performance.now();
const config = lib.loadAwsConfig({ env: ${JSON.stringify(configEnv(join(work, 'cfg-10000')))} });
const t2 = performance.now();
const rows = lib.rowsFromProfiles(config, { cache: lib.emptyCacheView() });
const t3 = performance.now();
new lib.Filter(rows, new Float64Array(rows.length)).run('');
const t4 = performance.now();
await Promise.all([import('ink'), import('react')]);
const t5 = performance.now();
console.log(JSON.stringify({ process_start_to_script_ms: t0, modules_ms: t1 - t0, read_config_ms: t2 - t1, rows_ms: t3 - t2, empty_query_order_ms: t4 - t3, import_ink_react_unbundled_ms: t5 - t4 }));`;
  const samples = [];
  for (let i = 0; i < 5; i++) samples.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })));
  const out = {};
  for (const key of Object.keys(samples[0])) out[key] = median(samples.map((s) => s[key])).median_ms;
  return out;
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
