#!/usr/bin/env node
/**
 * What the prompt segment costs: each shell renders it 1,000 times in a loop, timed against
 * the same loop without it (shell start-up and loop overhead cancel out), median of several
 * runs. Also counts processes started per 100 renders under strace, when strace is there.
 *
 *   node bench/prompt.mjs        → bench/results/prompt.json
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const N = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'awsguard-bench-prompt-'));

const shells = {
  bash: { path: '/usr/bin/bash', args: ['--norc', '--noprofile'], version: ['--version'] },
  zsh: { path: '/usr/bin/zsh', args: ['-f'], version: ['--version'] },
  fish: { path: '/usr/bin/fish', args: ['--no-config'], version: ['--version'] },
};

// A loop of `n` iterations of `body`, in each shell's own syntax and without starting a process.
const loop = {
  bash: (n, body) => `PS1='\\u \\w\\$ '\nfor ((i = 0; i < ${n}; i++)); do ${body}; done`,
  zsh: (n, body) => `RPROMPT='%~'\nrepeat ${n} { ${body} }`,
  fish: (n, body) => `set -l i 0\nwhile test $i -lt ${n}\n  set i (math $i + 1)\n  ${body}\nend`,
};

// What is timed: the segment function alone, the whole prompt path (hook + expansion), and an
// empty body; plus, for scale, a body that starts one process (what `$(date)` would cost).
const bodies = {
  bash: {
    segment: 'awsguard_prompt_update',
    prompt: '_awsguard_prompt_hook; p=${PS1@P}',
    baseline: ': ; p=${PS1@P}',
    one_fork: 'p=$(/bin/true)',
  },
  zsh: {
    segment: 'awsguard_prompt_update',
    prompt: '_awsguard_precmd; p=${(%)RPROMPT}',
    baseline: ': ; p=${(%)RPROMPT}',
    one_fork: 'p=$(/bin/true)',
  },
  fish: {
    segment: 'set -l p (awsguard_prompt)',
    prompt: 'set -l p (fish_right_prompt)',
    baseline: 'set -l p (printf "")',
    one_fork: 'set -l p (/bin/true)',
  },
};

const now = Math.floor(Date.now() / 1000);
const env = {
  PATH: '/usr/bin:/bin',
  HOME: tmp,
  LANG: 'C.UTF-8',
  AWSGUARD_PROFILE: 'prod-admin',
  AWSGUARD_ACCOUNT_ID: '333333333333',
  AWSGUARD_ACCOUNT_ALIAS: 'acme-prod',
  AWSGUARD_PROTECTED: '1',
  AWSGUARD_EXPIRES: String(now + 3600),
};

function script(shell, n, body) {
  const init = join(root, 'shell', `awsguard.${shell}`);
  const source = shell === 'fish' ? `source ${init}` : `. ${init}`;
  return `${source}\n${loop[shell](n, body)}`;
}

function wallMs(shell, n, body) {
  const { path, args } = shells[shell];
  const t = process.hrtime.bigint();
  const r = spawnSync(path, [...args, '-c', script(shell, n, body)], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 || r.stderr) throw new Error(`${shell}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Microseconds per iteration of `body` beyond the empty loop. */
function perRenderUs(shell, body, n = N) {
  const samples = (b) => Array.from({ length: RUNS }, () => wallMs(shell, n, b));
  const base = median(samples(bodies[shell].baseline));
  const with_ = median(samples(body));
  return Math.round(((with_ - base) / n) * 1000 * 10) / 10;
}

/** Processes (not threads) created by 100 renders beyond the empty loop, or null without strace. */
function forksPer100(shell, body) {
  if (!existsSync('/usr/bin/strace')) return null;
  const count = (b) => {
    const out = join(tmp, 'strace.txt');
    const { path, args } = shells[shell];
    const r = spawnSync('/usr/bin/strace', ['-f', '-qq', '-o', out, '-e', 'trace=fork,vfork,clone,clone3', path, ...args, '-c', script(shell, 100, b)], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`strace ${shell}: ${r.stderr}`);
    return readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => /^\d+\s+(clone3?|v?fork)\(/.test(l) && !l.includes('CLONE_THREAD')).length;
  };
  return count(body) - count(bodies[shell].baseline);
}

const results = {};
for (const [shell, spec] of Object.entries(shells)) {
  if (!existsSync(spec.path)) {
    results[shell] = { skipped: `${spec.path} is not installed` };
    continue;
  }
  const version = spawnSync(spec.path, spec.version, { encoding: 'utf8' }).stdout.split('\n')[0];
  results[shell] = {
    version,
    segment_us_per_render: perRenderUs(shell, bodies[shell].segment),
    prompt_us_per_render: perRenderUs(shell, bodies[shell].prompt),
    // For scale: one process per render, as `$(date +%s)` in a prompt would start.
    one_process_us_per_render: perRenderUs(shell, bodies[shell].one_fork, 100),
    processes_per_100_renders: forksPer100(shell, bodies[shell].prompt),
  };
  console.log(shell, results[shell]);
}

const cpu = cpus();
const record = {
  benchmark: 'prompt segment: time per render (median of runs, minus the same loop without it) and processes started',
  renders: N,
  runs: RUNS,
  machine: { cpus: cpu.length, cpu_model: cpu[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
  date: new Date().toISOString(),
  results,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'prompt.json'), JSON.stringify(record, null, 2) + '\n');
rmSync(tmp, { recursive: true, force: true });
console.log('wrote bench/results/prompt.json');
