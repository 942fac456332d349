import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { NoTerminalError, openTerminal } from '../../src/tty/device.js';

describe('openTerminal', () => {
  it('says to pass -p, with exit code 6, when there is no terminal to open', () => {
    const err = (() => {
      try {
        openTerminal('/nonexistent/tty');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NoTerminalError);
    expect((err as NoTerminalError).exitCode).toBe(ExitCode.noTerminal);
    expect((err as Error).message).toMatch(/cannot open \/nonexistent\/tty: ENOENT.*-p PROFILE/);
  });

  it('refuses a path that is not a terminal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'awsguard-tty-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      expect(() => openTerminal(join(dir, 'file'))).toThrow(/is not a terminal/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
