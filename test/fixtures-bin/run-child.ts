/**
 * The awsguard side of `exec`, alone: runs argv under runChild with this process's environment
 * and exits with what runChild says. Tests send this process signals and watch the grandchild.
 *   node --import tsx test/fixtures-bin/run-child.ts COMMAND [ARGS...]
 * AWSGUARD_TEST_SPAWNER=child_process starts the child through node:child_process.
 */
import { runChild } from '../../src/exec/supervise.js';
import { spawnWithChildProcess } from '../../src/exec/spawn.js';

// The tests run both ways of starting the child: the default (libuv's process handle on Node 20) and child_process.
const spawner = process.env.AWSGUARD_TEST_SPAWNER === 'child_process' ? spawnWithChildProcess : undefined;

try {
  const result = await runChild(process.argv.slice(2), process.env as Record<string, string>, {
    onSpawn: (pid) => process.stderr.write(`spawned ${pid}\n`),
    ...(spawner ? { spawner } : {}),
  });
  process.stderr.write(`child done ${JSON.stringify(result)}\n`);
  process.exitCode = result.code;
} catch (err) {
  const e = err as Error & { exitCode?: number };
  process.stderr.write(`awsguard: ${e.message}\n`);
  process.exitCode = e.exitCode ?? 1;
}
