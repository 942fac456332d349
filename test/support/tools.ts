/** Absolute paths of the real programs the tests drive (PATH may hold other versions). */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

let botocore: boolean | undefined;
export function hasBotocore(): boolean {
  botocore ??= existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import botocore.session'], { stdio: 'ignore' }).status === 0;
  return botocore;
}

/** Under AWSGUARD_TEST_REQUIRE_ALL=1 (CI) a missing program is a failure, not a skip. */
export const requireAll = process.env.AWSGUARD_TEST_REQUIRE_ALL === '1';
