// What touching fresh memory costs on this machine, and how much of each command's excess over
// `node -e ''` that explains. On these Firecracker VMs a page the process has not touched yet
// costs ~12 µs to fault in, even on a second run (the balloon driver hands freed pages back to
// the host), so a command that builds 40 MB of strings and objects pays for it in faults before
// any of its own code runs: the figure to cut is memory touched, not only instructions run.
// Usage: node bench/faults.mjs [N]   (N profiles, default 10000; BENCH_RUNS, default 7)
// Prints, per command, the median wall time, minor page faults and the faults' estimated share.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from './gen-config.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = process.env.BENCH_BIN ?? join(ROOT, 'dist/awsguard.cjs');
const NODE = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const N = Number(process.argv[2] ?? 10000);
const PAGE = 4096;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Microseconds per 4 KiB page first touched, in a process of its own (as a command would meet it). */
function faultCost() {
  const probe = `
    const n = 64 << 20, out = [];
    for (let i = 0; i < 5; i++) {
      const b = Buffer.allocUnsafeSlow(n);
      const t = performance.now(); b.fill(i + 1); out.push((performance.now() - t) * 1000 / (n / ${PAGE}));
    }
    console.log(JSON.stringify(out));`;
  const r = spawnSync(NODE, ['-e', probe], { env: cleanEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the page probe failed: ${r.stderr}`);
  return median(JSON.parse(r.stdout));
}

function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  return env;
}

// getrusage(RUSAGE_CHILDREN) after one child is that child's own count; Node has no way to ask.
const RUSAGE = `
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
ms = (time.perf_counter() - t) * 1000
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.returncode, ms, u.ru_minflt, u.ru_maxrss)
`;

function measure(argv, env) {
  const r = spawnSync('/usr/bin/python3', ['-c', RUSAGE, ...argv], { env, encoding: 'utf8' });
  const [code, ms, faults, rssKiB] = r.stdout.trim().split(' ').map(Number);
  if (r.status !== 0 || code !== 0) throw new Error(`${argv.join(' ')}: exit ${code}: ${r.stderr.slice(0, 400)}`);
  return { ms, faults, rssKiB };
}

const work = mkdtempSync(join(tmpdir(), 'awsguard-faults-'));
try {
  const home = join(work, 'home');
  mkdirSync(join(home, '.aws'), { recursive: true });
  const { config, credentials } = generate(N);
  writeFileSync(join(home, '.aws/config'), config);
  writeFileSync(join(home, '.aws/credentials'), credentials);
  // As bench/run.ts's "after an edit": no cache directory, so nothing is kept between runs.
  const env = cleanEnv({ HOME: home, AWS_CONFIG_FILE: join(home, '.aws/config'), AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws/credentials'), XDG_CACHE_HOME: '/dev/null/no-cache' });
  const commands = [
    ['node -e ""', [NODE, '-e', '']],
    ['profiles --names', [NODE, BIN, 'profiles', '--names']],
    ['profiles --json', [NODE, BIN, 'profiles', '--json']],
  ];
  const samples = commands.map(() => []);
  for (let i = 0; i < RUNS; i++) commands.forEach(([, argv], j) => samples[j].push(measure(argv, env)));
  const us = faultCost();
  const rows = samples.map((s) => ({ ms: median(s.map((x) => x.ms)), faults: median(s.map((x) => x.faults)), rssMiB: median(s.map((x) => x.rssKiB)) / 1024 }));
  console.log(`${N} profiles, ${RUNS} runs each in turns; a fresh page costs ${us.toFixed(1)} µs here`);
  console.log('command            median ms  minor faults  excess ms  excess faults × cost  peak RSS');
  rows.forEach((row, j) => {
    const dms = row.ms - rows[0].ms;
    const dfaults = row.faults - rows[0].faults;
    const fms = (dfaults * us) / 1000;
    console.log(
      `${commands[j][0].padEnd(18)} ${row.ms.toFixed(1).padStart(9)}  ${String(row.faults).padStart(12)}  ${(j ? dms.toFixed(1) : '-').padStart(9)}  ${(j ? `${dfaults} × = ${fms.toFixed(1)} ms` : '-').padStart(20)}  ${row.rssMiB.toFixed(1)} MiB`,
    );
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
