// Two builds of the picker, run by run in turns, each run paired with `node -e ''` (ready.mjs):
// for before/after figures on a machine whose load changes from minute to minute.
// Usage: node bench/compare-ready.mjs OLD_BIN NEW_BIN [N] [RUNS]   (prints JSON)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configHome, measureReady, summary } from './ready.mjs';

const [oldBin, newBin, n = '10000', runs = '15'] = process.argv.slice(2);
if (!oldBin || !newBin) throw new Error('usage: node bench/compare-ready.mjs OLD_BIN NEW_BIN [N] [RUNS]');
const work = mkdtempSync(join(tmpdir(), 'awsguard-compare-'));
try {
  const env = configHome(join(work, 'cfg'), Number(n));
  const got = { old: { frame: [], ready: [], complete: [] }, new: { frame: [], ready: [], complete: [] } };
  const bins = { old: resolve(oldBin), new: resolve(newBin) };
  for (let i = 0; i < Number(runs) + 1; i++) {
    for (const which of i % 2 ? ['old', 'new'] : ['new', 'old']) {
      process.env.BENCH_BIN = bins[which];
      const one = await measureReady(env, Number(n) + 1, 1, 0);
      // The first round warms the disk cache for both.
      if (i === 0) continue;
      got[which].frame.push(one.first_frame_over_node.median_ms);
      got[which].ready.push(one.ready_over_node.median_ms);
      got[which].complete.push(one.complete_over_node.median_ms);
    }
  }
  const out = {};
  for (const which of ['old', 'new']) out[which] = { bin: bins[which], first_frame_over_node: summary(got[which].frame), ready_over_node: summary(got[which].ready), complete_over_node: summary(got[which].complete) };
  console.log(JSON.stringify(out, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
