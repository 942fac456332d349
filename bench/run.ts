/**
 * `npm run bench`: every benchmark on this machine, each figure a ratio to a baseline
 * measured in the same run. Writes bench/results/latest.json and bench/results/latest.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './gen-config.mjs';
import { machine, round, timeCommand, type Timing } from './harness.js';
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';

const BIN = join(process.cwd(), 'dist/awsguard.js');
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
  const floor = timeCommand("node -e ''", [NODE, '-e', ''], process.env, runs);
  timings.node_floor = floor;

  // The profiles listing at 10,000 profiles.
  const big = mkdtempSync(join(tmpdir(), 'awsguard-bench-'));
  const { config, credentials } = generate(10_000);
  writeFileSync(join(big, 'config'), config);
  writeFileSync(join(big, 'credentials'), credentials);
  const bigEnv = { PATH: process.env.PATH, HOME: big, AWS_CONFIG_FILE: join(big, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(big, 'credentials') };
  timings.profiles_json_10k = timeCommand('awsguard profiles --json (10k)', [NODE, BIN, 'profiles', '--json'], bigEnv, runs);
  ratioRow('`awsguard profiles --json`, 10,000 profiles', timings.profiles_json_10k, floor, { max: 1.5, text: '<= 1.5x node' });
  timings.profiles_names_10k = timeCommand('awsguard profiles --names (10k)', [NODE, BIN, 'profiles', '--names'], bigEnv, runs);
  ratioRow('`awsguard profiles --names`, 10,000 profiles', timings.profiles_names_10k, floor, { max: 1.5, text: '<= 1.5x node' });
  rmSync(big, { recursive: true, force: true });

  // A cache hit through the whole guard, against the loopback fake AWS. The fake runs in a
  // process of its own: the timed commands are run synchronously, which would block it here.
  const world = await startWorld();
  try {
    const env = world.env;
    const warm = spawnSync(NODE, [BIN, 'export', '-p', 'ci', '--format', 'json'], { env, encoding: 'utf8' });
    if (warm.status !== 0) throw new Error(`export failed: ${warm.stderr}`);
    // The AWS CLI caches nothing for a static profile: give it the same short-lived session as a profile.
    const c = JSON.parse(warm.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const cliConfig = join(world.home, 'cli-config');
    writeFileSync(cliConfig, `[profile cached]\naws_access_key_id = ${c.AccessKeyId}\naws_secret_access_key = ${c.SecretAccessKey}\naws_session_token = ${c.SessionToken}\nregion = us-east-1\n`, { mode: 0o600 });
    timings.export_hit = timeCommand('awsguard export (cache hit)', [NODE, BIN, 'export', '-p', 'ci', '--format', 'json'], env, runs);
    ratioRow('`awsguard export -p P` on a cache hit', timings.export_hit, floor, { max: 1.5, text: '<= 1.5x node' });
    if (existsSync('/usr/bin/aws')) {
      timings.aws_cli_export = timeCommand('aws configure export-credentials', ['/usr/bin/aws', 'configure', 'export-credentials', '--profile', 'cached'], { ...env, AWS_CONFIG_FILE: cliConfig }, Math.max(5, Math.floor(runs / 2)));
      ratioRow('`awsguard export` vs `aws configure export-credentials`', timings.export_hit, timings.aws_cli_export, { min: 5, text: '>= 5x faster than the AWS CLI' });
    }
    const exec = timeCommand('awsguard exec -- true (cache hit)', [NODE, BIN, 'exec', '-p', 'ci', '--', 'true'], env, runs);
    timings.exec_hit = exec;
    ratioRow('`awsguard exec -p P -- true` on a cache hit', exec, floor, { max: 1.5, text: '<= 1.5x node' });
    if (timings.aws_cli_export) ratioRow('`awsguard exec -- true` vs `aws configure export-credentials`', exec, timings.aws_cli_export, { min: 5, text: '>= 5x faster than the AWS CLI' });
    // A cache miss: AssumeRole + GetCallerIdentity + ListAccountAliases over loopback.
    const miss = timeCommand('awsguard whoami --refresh (cache miss)', [NODE, BIN, 'whoami', '-p', 'staging-deploy', '--refresh', '--mfa-code', '123456'], env, Math.max(5, Math.floor(runs / 2)));
    timings.cache_miss = miss;
    ratioRow('cache miss: AssumeRole + identity + alias (fake AWS)', miss, floor, { text: 'known cost' });
  } finally {
    world.close();
  }

  for (const extra of ['bench/picker.mjs', 'bench/prompt.mjs']) {
    if (!existsSync(extra)) continue;
    const r = spawnSync(NODE, [extra], { stdio: 'inherit' });
    if (r.status !== 0) console.error(`${extra} failed`);
  }

  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', JSON.stringify({ ...record, rows }, null, 2) + '\n');
  const m = record.machine as ReturnType<typeof machine>;
  const md = [
    `Measured ${m.date.slice(0, 10)} on ${m.cpus} cores (${m.cpu_model}), Node ${m.node}; median of ${runs} runs.`,
    '',
    '| benchmark | median | baseline | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.benchmark} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met === null ? '-' : r.met ? 'yes' : 'no'} |`),
  ].join('\n');
  writeFileSync('bench/results/latest.md', md + '\n');
  console.log(md);
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
