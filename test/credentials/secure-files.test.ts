import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../../src/credentials/secure-files.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writePrivateFile', () => {
  it('writes every byte of a large content, 0600, and leaves no temporary file', () => {
    dir = mkdtempSync(join(tmpdir(), 'awsguard-secure-'));
    const path = join(dir, 'big.json');
    const content = 'ä'.repeat(3 * 1024 * 1024);
    writePrivateFile(path, content);
    expect(readFileSync(path, 'utf8')).toBe(content);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['big.json']);
  });

  it('a failed write leaves the old content and no stray temporary file', () => {
    dir = mkdtempSync(join(tmpdir(), 'awsguard-secure-'));
    const path = join(dir, 'taken');
    // A directory in the way: the rename fails after the temporary file was written in full.
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'old');
    expect(() => writePrivateFile(path, 'new')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('old');
  });
});
