import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/**
 * Optional external tools in tests (the real AWS CLI, boto3, a shell...).
 * Locally a missing tool skips the tests that need it, with the reason in the
 * test name; with AWSGUARD_TEST_REQUIRE_ALL=1 (CI) a missing tool fails them.
 *
 *   const aws = requireTool('/usr/bin/aws');
 *   describe.skipIf(aws.skip)(aws.label('real AWS CLI'), () => {
 *     beforeAll(() => aws.assert());   // fails loudly when required but missing
 *     ...
 *   });
 */

export const REQUIRE_ALL_ENV = 'AWSGUARD_TEST_REQUIRE_ALL';

/** Read at call time, so a test can flip the variable. */
export const requireAll = (): boolean => process.env[REQUIRE_ALL_ENV] === '1';

/** An executable file at this absolute path. */
export function hasTool(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `python` can import `module` (e.g. 'boto3'). */
export function hasPython(module: string, python = '/usr/bin/python3'): boolean {
  if (!hasTool(python)) return false;
  const r = spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 20_000, env: { PATH: '/usr/bin:/bin' } });
  return r.status === 0;
}

export interface Requirement {
  /** What is needed, e.g. "/usr/bin/aws". */
  what: string;
  available: boolean;
  /** True when the tests should be skipped: missing and not required. */
  skip: boolean;
  /** Why it is unavailable ('' when available). */
  reason: string;
  /**
   * A describe/it title that carries the skip reason when skipping; also
   * prints that reason once, since the default reporter hides skipped titles.
   */
  label(title: string): string;
  /** Throws when the requirement is missing (use in beforeAll or at the top of a test). */
  assert(): void;
}

export function requireOrSkip(what: string, available: boolean, reason = `${what} is not available`): Requirement {
  const required = requireAll();
  const skip = !available && !required;
  const why = available ? '' : reason;
  return {
    what,
    available,
    skip,
    reason: why,
    label: (title) => {
      if (!skip) return title;
      const labelled = `${title} [skipped: ${why}; set ${REQUIRE_ALL_ENV}=1 to make this an error]`;
      process.stderr.write(`${labelled}\n`);
      return labelled;
    },
    assert: () => {
      if (!available) throw new Error(`${what} is required (${REQUIRE_ALL_ENV}=1) but missing: ${why}`);
    },
  };
}

export const requireTool = (path: string): Requirement =>
  requireOrSkip(path, hasTool(path), `${path} is not installed or not executable`);

export const requirePython = (module: string, python = '/usr/bin/python3'): Requirement =>
  requireOrSkip(`${python} with ${module}`, hasPython(module, python), `${python} cannot import ${module}`);
