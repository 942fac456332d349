/** Timing whole commands the way a person runs them: a fresh process each time, median of N. */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

export interface Timing {
  name: string;
  median_ms: number;
  min_ms: number;
  p90_ms: number;
  runs: number;
}

export function timeCommand(name: string, argv: string[], env: NodeJS.ProcessEnv, runs = 20, warmup = 3): Timing {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${name}: exit ${r.status}: ${r.stderr?.toString().slice(0, 400)}`);
    if (i >= warmup) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { name, median_ms: round(at(0.5)), min_ms: round(samples[0]!), p90_ms: round(at(0.9)), runs };
}

export const round = (n: number) => Math.round(n * 100) / 100;

export function machine() {
  return { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString(), load_average: loadavg().map((l) => round(l)) };
}

export interface Command {
  name: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * Times two commands run alternately, so a change in the machine's load touches both alike
 * and their ratio stays honest on a shared two-core machine.
 */
export function timePair(a: Command, b: Command, runs = 20, warmup = 3): [Timing, Timing] {
  const samples: [number[], number[]] = [[], []];
  const once = (c: Command) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(c.argv[0]!, c.argv.slice(1), { env: c.env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}: ${r.stderr?.toString().slice(0, 400)}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (let i = 0; i < warmup + runs; i++) {
    const ta = once(a);
    const tb = once(b);
    if (i >= warmup) {
      samples[0].push(ta);
      samples[1].push(tb);
    }
  }
  return [summarise(a.name, samples[0]), summarise(b.name, samples[1])];
}

/** Runs a command that prints a duration in ms (its own measurement) in a fresh process each time. */
export function timeReported(c: Command, runs = 20, warmup = 3): Timing {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const r = spawnSync(c.argv[0]!, c.argv.slice(1), { env: c.env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}: ${r.stderr.slice(0, 400)}`);
    const ms = Number(r.stdout.trim());
    if (!Number.isFinite(ms)) throw new Error(`${c.name}: printed ${JSON.stringify(r.stdout.slice(0, 100))}, not a duration`);
    if (i >= warmup) samples.push(ms);
  }
  return summarise(c.name, samples);
}

function summarise(name: string, samples: number[]): Timing {
  samples.sort((x, y) => x - y);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { name, median_ms: round(at(0.5)), min_ms: round(samples[0]!), p90_ms: round(at(0.9)), runs: samples.length };
}
