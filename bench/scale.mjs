// How awsguard's cost grows with the config: at 100, 1,000, 10,000 and 50,000 profiles, the
// profiles listing (--names, --json) after an edit (nothing kept), pick's first frame and
// "ready" (bench/ready.mjs), exec on a cache hit through the guard, and doctor; each timed run
// paired with `node -e ''` (its excess over node is the figure), each with its peak RSS.
// Usage: node bench/scale.mjs [N ...]   (writes bench/results/scale.{json,md}; BENCH_RUNS, default 9)
// Every command runs in an environment of its own making (no NODE_EXTRA_CA_CERTS, no NODE_OPTIONS).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from './gen-config.mjs';
import { measureReady, pickPeakRss, summary } from './ready.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = process.env.BENCH_BIN ?? join(ROOT, 'dist/awsguard.cjs');
const NODE = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const SIZES = process.argv.slice(2).map(Number);
/** The profile timed for exec: the demo's role chain (keys, MFA session, AssumeRole), cached after one run. */
const EXEC_PROFILE = 'staging-deploy';
const RSS_TARGET_MIB = 150;
const DOCTOR_LIMIT_S = Number(process.env.BENCH_DOCTOR_LIMIT_S ?? 60);
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);

/** The fake AWS in a process of its own (the timed commands run synchronously here); its environment. */
async function startFake() {
  const fake = spawn(NODE, ['--import', 'tsx', 'test/support/fake-aws/main.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const printed = await new Promise((done, fail) => {
    let out = '';
    fake.stdout.setEncoding('utf8').on('data', (d) => (out += d).includes('AWS_DATA_PATH=') && done(out));
    fake.on('exit', (code) => fail(new Error(`the fake AWS exited (${code})`)));
  });
  return { vars: Object.fromEntries([...printed.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]])), stop: () => fake.kill() };
}

/** The demo's config (which the fake knows) and n generated profiles after it, in a home of their own. */
function world(work, n, vars) {
  const home = join(work, `home-${n}`);
  mkdirSync(join(home, '.aws'), { recursive: true });
  const { config, credentials } = generate(n);
  // The generated [default] would repeat the demo's, which botocore refuses.
  const generated = config.replace(/^\[default\]\nregion = us-east-1\n\n/, '');
  writeFileSync(join(home, '.aws/config'), readFileSync(join(ROOT, 'fixtures/demo/config'), 'utf8') + '\n' + generated);
  writeFileSync(join(home, '.aws/credentials'), readFileSync(join(ROOT, 'fixtures/demo/credentials'), 'utf8') + '\n' + credentials);
  const env = { ...vars, PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, USER: 'bench', LANG: 'C.UTF-8', AWS_CONFIG_FILE: join(home, '.aws/config'), AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws/credentials') };
  const bytes = statSync(env.AWS_CONFIG_FILE).size + statSync(env.AWS_SHARED_CREDENTIALS_FILE).size;
  return { env, bytes };
}

function run(argv, env, ok = [0]) {
  const t = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!ok.includes(r.status)) throw new Error(`${argv.slice(1).join(' ')}: exit ${r.status}: ${r.stderr.toString().slice(0, 400)}`);
  return { ms, stdout: r.stdout };
}

/** A command and `node -e ''` in turns; the median and spread of the command's excess over node, run by run. */
function overNode(argv, env, ok) {
  const floor = [NODE, '-e', ''];
  const over = [];
  const node = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const n = run(floor, { PATH: env.PATH }).ms;
    const c = run(argv, env, ok).ms;
    if (i < 2) continue;
    node.push(n);
    over.push(c - n);
  }
  return { over_node: summary(over), node_e: summary(node) };
}

/** Peak RSS in MiB (GNU time's %M), the largest of three runs. */
function peakRss(argv, env, ok = [0]) {
  let peak = 0;
  for (let i = 0; i < 3; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (!ok.includes(r.status)) throw new Error(`${argv.slice(1).join(' ')}: exit ${r.status}: ${r.stderr.toString().slice(-400)}`);
    peak = Math.max(peak, Number(r.stderr.toString().trim().split('\n').pop()));
  }
  return Math.round(peak / 1024);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'awsguard-scale-'));
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const fake = await startFake();
  const results = {
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString(), load_average_at_start: load() },
    method: `each timed run paired with node -e '' spawned the same way, ${RUNS} pairs after 2 warm-ups; figures are the command's excess over node, run by run (median, min, p90). Profiles "after an edit": no kept answer (cache directory unusable). pick: in a 120x40 pty, first frame = "N of N" shown, ready = a query typed at the first frame answered (bench/ready.mjs). exec: ${EXEC_PROFILE} (the demo's keys -> MFA session -> AssumeRole chain) with its session cached, child true. Peak RSS: GNU time %M, largest of 3 runs (pick: 1 run, typed and left as timed).`,
    rss_target_mib_at_50k: RSS_TARGET_MIB,
    sizes: {},
  };
  try {
    for (const n of SIZES.length ? SIZES : [100, 1000, 10000, 50000]) {
      const { env, bytes } = world(work, n, fake.vars);
      const cold = { ...env, XDG_CACHE_HOME: '/dev/null/no-cache' };
      const profiles = run([NODE, BIN, 'profiles', '--names'], cold).stdout.toString().split('\n').filter(Boolean).length;
      const at = { profiles, config_bytes: bytes, load_average_before: load() };
      for (const [key, args] of [['profiles_names', ['profiles', '--names']], ['profiles_json', ['profiles', '--json']]]) {
        at[key] = { ...overNode([NODE, BIN, ...args], cold), peak_rss_mib: peakRss([NODE, BIN, ...args], cold) };
      }
      const warm = run([NODE, BIN, 'exec', '-p', EXEC_PROFILE, '--mfa-code', '123456', '--', 'true'], env);
      void warm;
      const exec = [NODE, BIN, 'exec', '-p', EXEC_PROFILE, '--', 'true'];
      at.exec_hit = { ...overNode(exec, env), peak_rss_mib: peakRss(exec, env) };
      // doctor exits 1 when a check fails (the generated profiles' SSO sessions are not logged in): both are answers.
      // Stopped after DOCTOR_LIMIT_S (timeout's 124): at 50,000 profiles it ran for minutes.
      const doctor = ['/usr/bin/timeout', String(DOCTOR_LIMIT_S), NODE, BIN, 'doctor', '--json'];
      const once = run(['/usr/bin/time', '-f', '%M', ...doctor], env, [0, 1, 124]);
      if (once.ms > DOCTOR_LIMIT_S * 1000 * 0.9) at.doctor = { stopped_after_s: DOCTOR_LIMIT_S, peak_rss_mib: null };
      else at.doctor = { ...overNode(doctor, env, [0, 1]), peak_rss_mib: peakRss(doctor, env, [0, 1]) };
      const pick = await measureReady({ AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE }, profiles, RUNS);
      at.pick = { ...pick, peak_rss_mib: await pickPeakRss({ AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE }, profiles) };
      at.load_average_after = load();
      results.sizes[n] = at;
      console.error(`scale: ${n} profiles done (load ${at.load_average_after.join(' ')})`);
      // Written as each size is done: a long run stopped part way keeps what it measured.
      writeFileSync(join(ROOT, 'bench/results/scale.json'), JSON.stringify(results, null, 2) + '\n');
    }
  } finally {
    fake.stop();
    rmSync(work, { recursive: true, force: true });
  }
  results.machine.load_average_at_end = load();
  writeFileSync(join(ROOT, 'bench/results/scale.json'), JSON.stringify(results, null, 2) + '\n');
  const md = table(results);
  writeFileSync(join(ROOT, 'bench/results/scale.md'), md + '\n');
  console.log(md);
}

/** The Markdown table: one row per size, each cell the excess over node (median) and the peak RSS; then growth against the config's. */
function table(results) {
  const sizes = Object.keys(results.sizes);
  const m = results.machine;
  const cell = (c, k = 'over_node') => (c.stopped_after_s ? `stopped after ${c.stopped_after_s} s` : `+${Math.round(c[k].median_ms)} ms · ${c.peak_rss_mib} MiB`);
  const lines = [
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} cores (${m.cpu_model}), Node ${m.node}; load average ${m.load_average_at_start.join(' ')} at the start, ${m.load_average_at_end.join(' ')} at the end (a machine shared with other work: absolute times are inflated, the excess over node run by run less so).`,
    `Each cell: median excess over \`node -e ''\` (run by run, ${RUNS} pairs) · peak RSS. pick: first frame / ready for keys (a query typed at the first frame answered), in a pty.`,
    '',
    '| profiles | config | `profiles --names` | `profiles --json` | `pick` first frame / ready | `exec` (cache hit) | `doctor` |',
    '| ---: | ---: | --- | --- | --- | --- | --- |',
    ...sizes.map((n) => {
      const s = results.sizes[n];
      return `| ${s.profiles.toLocaleString('en')} | ${Math.round(s.config_bytes / 1024).toLocaleString('en')} KiB | ${cell(s.profiles_names)} | ${cell(s.profiles_json)} | +${Math.round(s.pick.first_frame_over_node.median_ms)} / +${Math.round(s.pick.ready_over_node.median_ms)} ms · ${s.pick.peak_rss_mib} MiB | ${cell(s.exec_hit)} | ${cell(s.doctor)} |`;
    }),
  ];
  // Growth from one size to the next against the config's: a figure growing no faster than the config has a ratio <= 1.
  if (sizes.length > 1) {
    lines.push('', 'Growth from each size to the next, as (excess over node at the larger) / (at the smaller) ÷ (profiles at the larger / at the smaller): at most 1 grows no faster than the config.', '', '| from → to | config ×| `--names` | `--json` | pick ready | exec | doctor | peak RSS (largest) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (let i = 1; i < sizes.length; i++) {
      const a = results.sizes[sizes[i - 1]];
      const b = results.sizes[sizes[i]];
      const grow = b.profiles / a.profiles;
      // Excess below 1 ms (noise around node's own start) counts as 1 ms.
      const g = (x, y) => (x === undefined || y === undefined ? '-' : (Math.max(1, y) / Math.max(1, x) / grow).toFixed(2));
      const rss = (s) => Math.max(s.profiles_names.peak_rss_mib, s.profiles_json.peak_rss_mib, s.exec_hit.peak_rss_mib, s.doctor.peak_rss_mib ?? 0, s.pick.peak_rss_mib);
      lines.push(`| ${a.profiles.toLocaleString('en')} → ${b.profiles.toLocaleString('en')} | ${grow.toFixed(1)} | ${g(a.profiles_names.over_node.median_ms, b.profiles_names.over_node.median_ms)} | ${g(a.profiles_json.over_node.median_ms, b.profiles_json.over_node.median_ms)} | ${g(a.pick.ready_over_node.median_ms, b.pick.ready_over_node.median_ms)} | ${g(a.exec_hit.over_node.median_ms, b.exec_hit.over_node.median_ms)} | ${g(a.doctor.over_node?.median_ms, b.doctor.over_node?.median_ms)} | ${(rss(b) / rss(a) / grow).toFixed(2)} |`);
    }
  }
  const last = results.sizes[sizes[sizes.length - 1]];
  if (last) {
    const peak = Math.max(last.profiles_names.peak_rss_mib, last.profiles_json.peak_rss_mib, last.exec_hit.peak_rss_mib, last.doctor.peak_rss_mib ?? 0, last.pick.peak_rss_mib);
    lines.push('', `Peak RSS at ${last.profiles.toLocaleString('en')} profiles: ${peak} MiB at most (target at 50,000: <= ${results.rss_target_mib_at_50k} MiB).`);
  }
  return lines.join('\n');
}

await main();
