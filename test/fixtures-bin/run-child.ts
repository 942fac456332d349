/**
 * The awsguard side of `exec`, alone: runs argv under runChild with this process's environment
 * and exits with what runChild says. Tests send this process signals and watch the grandchild.
 *   node --import tsx test/fixtures-bin/run-child.ts COMMAND [ARGS...]
 */
import { runChild } from '../../src/exec/supervise.js';

try {
  const result = await runChild(process.argv.slice(2), process.env as Record<string, string>, {
    onSpawn: (pid) => process.stderr.write(`spawned ${pid}\n`),
  });
  process.stderr.write(`child done ${JSON.stringify(result)}\n`);
  process.exitCode = result.code;
} catch (err) {
  const e = err as Error & { exitCode?: number };
  process.stderr.write(`awsguard: ${e.message}\n`);
  process.exitCode = e.exitCode ?? 1;
}
