/**
 * `npm run bench`: every benchmark on this machine, each figure a ratio to a baseline
 * measured in the same run. Writes bench/results/latest.json and bench/results/latest.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './gen-config.mjs';
import { machine, round, timePair, timeReported, type Command, type Timing } from './harness.js';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';

const BIN = join(process.cwd(), 'dist/awsguard.cjs');
const NODE = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 20);

interface Row {
  benchmark: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

const rows: Row[] = [];
const record: Record<string, unknown> = { machine: machine(), timings: {} as Record<string, Timing> };
const timings = record.timings as Record<string, Timing>;

function ratioRow(benchmark: string, t: Timing, base: Timing, target: { max?: number; min?: number; text: string }) {
  const ratio = t.median_ms / base.median_ms;
  const met = target.max !== undefined ? ratio <= target.max : target.min !== undefined ? base.median_ms / t.median_ms >= target.min : null;
  rows.push({
    benchmark,
    value: `${t.median_ms} ms`,
    baseline: `${base.name}: ${base.median_ms} ms`,
    ratio: target.min !== undefined ? `${round(base.median_ms / t.median_ms)}x faster` : `${round(ratio)}x`,
    target: target.text,
    met,
  });
}

async function main() {
  spawnSync(NODE, ['scripts/build.mjs'], { stdio: 'inherit' });
  // A clean environment: this script runs under tsx, whose NODE_OPTIONS would slow every node.
  const floor: Command = { name: "node -e ''", argv: [NODE, '-e', ''], env: { PATH: process.env.PATH, HOME: process.env.HOME } };
  const vs = (key: string, c: Command, base: Command, label: string, target: { max?: number; min?: number; text: string }, n = runs) => {
    const [t, b] = timePair(c, base, n);
    timings[key] = t;
    timings[`${key}__baseline`] = b;
    ratioRow(label, t, b, target);
  };

  // The profiles listing at 10,000 profiles.
  const big = mkdtempSync(join(tmpdir(), 'awsguard-bench-'));
  const { config, credentials } = generate(10_000);
  writeFileSync(join(big, 'config'), config);
  writeFileSync(join(big, 'credentials'), credentials);
  const bigEnv = { PATH: process.env.PATH, HOME: big, AWS_CONFIG_FILE: join(big, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(big, 'credentials') };
  // Cold: a cache directory that cannot exist, so no answer is kept and every run reads and
  // builds all 10,000 profiles, as the first run after an edit of the config does.
  const coldEnv = { ...bigEnv, XDG_CACHE_HOME: '/dev/null/no-cache' };
  const at10k = (args: string[], cold = false): Command => ({ name: `awsguard ${args.join(' ')} (10k${cold ? ', cold' : ''})`, argv: [NODE, BIN, ...args], env: cold ? coldEnv : bigEnv });
  vs('profiles_json_10k_cold', at10k(['profiles', '--json'], true), floor, '`awsguard profiles --json`, 10,000 profiles, after an edit (nothing kept)', { max: 3, text: '<= 3x node' });
  vs('profiles_names_10k_cold', at10k(['profiles', '--names'], true), floor, '`awsguard profiles --names`, 10,000 profiles, after an edit (nothing kept)', { max: 1.5, text: '<= 1.5x node' });
  vs('profiles_json_10k', at10k(['profiles', '--json']), floor, '`awsguard profiles --json`, 10,000 profiles, files unchanged (kept answer)', { max: 1.5, text: '<= 1.5x node' });
  vs('profiles_names_10k', at10k(['profiles', '--names']), floor, '`awsguard profiles --names`, 10,000 profiles, files unchanged (kept answer)', { max: 1.5, text: '<= 1.5x node' });
  // The reader alone, timed inside a fresh process (cold, as every command runs it), bundled like the CLI.
  const loader = join(big, 'load-config.cjs');
  await build({ entryPoints: ['bench/load-config.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: loader, logLevel: 'warning' });
  const load = timeReported({ name: 'loadAwsConfig (10k)', argv: [NODE, loader], env: bigEnv }, runs);
  timings.load_config_10k = load;
  rows.push({ benchmark: '`loadAwsConfig`, 10,000 profiles, fresh process', value: `${load.median_ms} ms`, baseline: '-', ratio: '-', target: '< 50 ms', met: load.median_ms < 50 });
  rmSync(big, { recursive: true, force: true });

  // A cache hit through the whole guard, against the loopback fake AWS. The fake runs in a
  // process of its own: the timed commands are run synchronously, which would block it here.
  const world = await startWorld();
  try {
    const env = world.env;
    const warm = spawnSync(NODE, [BIN, 'exec', '-p', 'staging-deploy', '--mfa-code', '123456', '--', 'true'], { env, encoding: 'utf8' });
    if (warm.status !== 0) throw new Error(`exec failed: ${warm.stderr}`);
    const exported = spawnSync(NODE, [BIN, 'export', '-p', 'staging-deploy', '--format', 'json'], { env, encoding: 'utf8' });
    // The AWS CLI would assume the role itself; give it the same short-lived session as a profile.
    const c = JSON.parse(exported.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const cliConfig = join(world.home, 'cli-config');
    writeFileSync(cliConfig, `[profile cached]\naws_access_key_id = ${c.AccessKeyId}\naws_secret_access_key = ${c.SecretAccessKey}\naws_session_token = ${c.SessionToken}\nregion = us-east-1\n`, { mode: 0o600 });
    const cmd = (args: string[]): Command => ({ name: `awsguard ${args.join(' ')}`, argv: [NODE, BIN, ...args], env });
    const exportHit = cmd(['export', '-p', 'staging-deploy', '--format', 'json']);
    const execHit = cmd(['exec', '-p', 'staging-deploy', '--', 'true']);
    vs('export_hit', exportHit, floor, '`awsguard export -p P` on a cache hit', { max: 1.5, text: '<= 1.5x node' });
    vs('exec_hit', execHit, floor, '`awsguard exec -p P -- true` on a cache hit', { max: 1.4, text: '<= 1.4x node' });
    if (existsSync('/usr/bin/aws')) {
      const cli: Command = { name: 'aws configure export-credentials', argv: ['/usr/bin/aws', 'configure', 'export-credentials', '--profile', 'cached'], env: { ...env, AWS_CONFIG_FILE: cliConfig } };
      const few = Math.max(5, Math.floor(runs / 2));
      vs('export_vs_cli', exportHit, cli, '`awsguard export` vs `aws configure export-credentials`', { min: 5, text: '>= 5x faster than the AWS CLI' }, few);
      vs('exec_vs_cli', execHit, cli, '`awsguard exec -- true` vs `aws configure export-credentials`', { min: 5, text: '>= 5x faster than the AWS CLI' }, few);
    }
    // A cache miss (--refresh): GetSessionToken with MFA, AssumeRole, GetCallerIdentity and ListAccountAliases over loopback.
    const miss = cmd(['exec', '-p', 'staging-deploy', '--refresh', '--mfa-code', '123456', '--', 'true']);
    vs('cache_miss', miss, floor, 'cache miss: STS + IAM calls to the fake AWS, SDK loaded', { max: 4, text: '<= 4x node' }, Math.max(5, Math.floor(runs / 2)));
  } finally {
    world.close();
  }

  // BENCH_MAIN_ONLY=1 leaves the picker's and the prompt's results as they are.
  for (const extra of process.env.BENCH_MAIN_ONLY ? [] : ['bench/picker.mjs', 'bench/prompt.mjs']) {
    if (!existsSync(extra)) continue;
    // Without tsx's NODE_OPTIONS, which would slow every node those benchmarks start.
    const { NODE_OPTIONS: _tsx, ...cleanEnv } = process.env;
    const r = spawnSync(NODE, [extra], { stdio: 'inherit', env: cleanEnv });
    if (r.status !== 0) console.error(`${extra} failed`);
  }

  pickerRows();

  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', JSON.stringify({ ...record, rows }, null, 2) + '\n');
  const m = record.machine as ReturnType<typeof machine>;
  const md = [
    `Measured ${m.date.slice(0, 10)} on ${m.cpus} cores (${m.cpu_model}), Node ${m.node}, load average ${m.load_average.join(' ')} at the start; median of ${runs} runs.`,
    '',
    '| benchmark | median | baseline | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.benchmark} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met === null ? '-' : r.met ? 'yes' : 'no'} |`),
  ].join('\n');
  writeFileSync('bench/results/latest.md', md + '\n');
  console.log(md);
}

/** The picker's figures (bench/picker.mjs, bench/ready.mjs), as rows beside the others. */
function pickerRows() {
  if (!existsSync('bench/results/picker.json')) return;
  const p = JSON.parse(readFileSync('bench/results/picker.json', 'utf8'));
  const spread = (t: { median_ms: number; min_ms: number; max_ms: number }) => `${t.median_ms} ms (${t.min_ms}–${t.max_ms})`;
  for (const [n, target] of [[1000, 150], [10000, 200]] as const) {
    const r = p.first_frame?.[`cli_${n}`];
    if (!r) continue;
    const node = `node -e '' in a pty: ${r.node_e.median_ms} ms`;
    rows.push({ benchmark: `\`awsguard pick\`, ${n.toLocaleString('en')} profiles: first frame, over node (run by run)`, value: spread(r.first_frame_over_node), baseline: node, ratio: '-', target: '-', met: null });
    rows.push({ benchmark: `\`awsguard pick\`, ${n.toLocaleString('en')} profiles: ready (a query typed at the first frame shown), over node`, value: spread(r.ready_over_node), baseline: node, ratio: '-', target: `<= node + ${target} ms`, met: r.ready_over_node.median_ms <= target });
    rows.push({ benchmark: `\`awsguard pick\`, ${n.toLocaleString('en')} profiles: Ink's first frame, over node`, value: `${round(r.ink_frame.median_ms - r.node_e.median_ms)} ms`, baseline: node, ratio: '-', target: '-', met: null });
  }
  const typing = p.filtering?.['10000']?.typing;
  if (typing) rows.push({ benchmark: 'filtering, 10,000 profiles, per keystroke (p95; mean)', value: `${typing.p95_ms} ms; ${typing.mean_ms} ms`, baseline: '-', ratio: '-', target: 'p95 <= 5 ms', met: typing.p95_ms <= 5 });
  if (p.first_frame?.pick_bundle_bytes) rows.push({ benchmark: 'dist/pick.js (Ink, React and the picker)', value: `${Math.round(p.first_frame.pick_bundle_bytes / 1024)} KiB`, baseline: '-', ratio: '-', target: '-', met: null });
}

/** The fake AWS as a child process, and a throw-away home with the demo config. */
async function startWorld(): Promise<{ env: Record<string, string>; home: string; close(): void }> {
  const fake = spawn(process.execPath, ['--import', 'tsx', 'test/support/fake-aws/main.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const printed = await new Promise<string>((resolve, reject) => {
    let out = '';
    fake.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('AWS_DATA_PATH=')) resolve(out);
    });
    fake.on('exit', (code) => reject(new Error(`the fake AWS exited (${code})`)));
  });
  const vars = Object.fromEntries([...printed.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
  const home = mkdtempSync(join(tmpdir(), 'awsguard-bench-home-'));
  mkdirSync(join(home, '.aws'));
  copyFileSync('fixtures/demo/config', join(home, '.aws/config'));
  copyFileSync('fixtures/demo/credentials', join(home, '.aws/credentials'));
  const env: Record<string, string> = {
    ...vars,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USER: 'bench',
    AWS_CONFIG_FILE: join(home, '.aws/config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws/credentials'),
  };
  return {
    env,
    home,
    close() {
      fake.kill();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

await main();
