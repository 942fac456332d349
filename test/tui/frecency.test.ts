import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyFrecency, frecencyPath, frecencyScore, loadFrecency, recordChoice, saveFrecency } from '../../src/tui/frecency.js';

const HOUR = 3600_000;
const NOW = Date.parse('2026-03-02T09:00:00Z');
const dirs: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'awsguard-frecency-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('frecencyScore', () => {
  it('weighs the rank by how recent the last choice was', () => {
    const entry = (age: number) => ({ rank: 4, last: NOW - age });
    expect(frecencyScore(entry(10 * 60_000), NOW)).toBe(16);
    expect(frecencyScore(entry(5 * HOUR), NOW)).toBe(8);
    expect(frecencyScore(entry(3 * 24 * HOUR), NOW)).toBe(2);
    expect(frecencyScore(entry(30 * 24 * HOUR), NOW)).toBe(1);
    expect(frecencyScore(undefined, NOW)).toBe(0);
  });

  it('puts the profile chosen every morning above one chosen often long ago', () => {
    let data = emptyFrecency();
    for (let day = 0; day < 20; day++) data = recordChoice(data, 'old-habit', NOW - (60 - day) * 24 * HOUR);
    for (let day = 5; day > 0; day--) data = recordChoice(data, 'daily', NOW - day * 24 * HOUR + HOUR);
    expect(frecencyScore(data.entries['daily'], NOW)).toBeGreaterThan(frecencyScore(data.entries['old-habit'], NOW));
  });
});

describe('recordChoice', () => {
  it('adds one to the rank and moves the last use, leaving the input alone', () => {
    const before = recordChoice(emptyFrecency(), 'a', NOW - HOUR);
    const after = recordChoice(before, 'a', NOW);
    expect(after.entries['a']).toEqual({ rank: 2, last: NOW });
    expect(before.entries['a']).toEqual({ rank: 1, last: NOW - HOUR });
  });

  it('ages every rank when the total passes the limit and forgets what falls below 1', () => {
    let data = emptyFrecency();
    for (let i = 0; i < 8; i++) data = recordChoice(data, 'busy', NOW);
    data = recordChoice(data, 'rare', NOW);
    data = recordChoice(data, 'busy', NOW, 10);
    // 10 in all, 9 for busy: nothing aged yet. One more passes the limit of 10.
    expect(data.entries['busy']!.rank).toBe(9);
    data = recordChoice(data, 'busy', NOW, 10);
    expect(data.entries['busy']!.rank).toBeCloseTo((10 * 9) / 11);
    expect(data.entries['rare']).toBeUndefined();
  });

  it('stores names that look like object keys as plain data', () => {
    const data = recordChoice(emptyFrecency(), '__proto__', NOW);
    expect(Object.keys(data.entries)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(data)).entries.__proto__).toEqual({ rank: 1, last: NOW });
  });
});

describe('frecency file', () => {
  it('lives under XDG_STATE_HOME, or ~/.local/state', () => {
    expect(frecencyPath({ XDG_STATE_HOME: '/s', HOME: '/h' })).toBe('/s/awsguard/frecency.json');
    expect(frecencyPath({ HOME: '/h' })).toBe('/h/.local/state/awsguard/frecency.json');
    // A relative XDG_STATE_HOME is invalid per the spec and ignored.
    expect(frecencyPath({ XDG_STATE_HOME: 'state', HOME: '/h' })).toBe('/h/.local/state/awsguard/frecency.json');
  });

  it('round-trips, creating the directory 0700 and the file 0600', () => {
    const root = tmp();
    const path = join(root, 'state', 'awsguard', 'frecency.json');
    const data = recordChoice(recordChoice(emptyFrecency(), 'a', NOW), 'b', NOW);
    saveFrecency(path, data);
    expect(loadFrecency(path)).toEqual(data);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'state', 'awsguard')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'state')).mode & 0o777).toBe(0o700);
  });

  it('replaces the file by renaming a complete new one over it, leaving no temporary file', () => {
    const root = tmp();
    const path = join(root, 'frecency.json');
    saveFrecency(path, recordChoice(emptyFrecency(), 'a', NOW));
    const before = statSync(path).ino;
    saveFrecency(path, recordChoice(emptyFrecency(), 'b', NOW));
    // A new inode: the old file was never opened for writing, so no reader saw it half written.
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(root)).toEqual(['frecency.json']);
    expect(Object.keys(loadFrecency(path).entries)).toEqual(['b']);
  });

  it('keeps 0600 when replacing a file that was more open', () => {
    const root = tmp();
    const path = join(root, 'frecency.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    saveFrecency(path, emptyFrecency());
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('treats a missing, corrupt or foreign file as no history', () => {
    const root = tmp();
    expect(loadFrecency(join(root, 'missing.json'))).toEqual(emptyFrecency());
    for (const text of ['not json', '[]', '{"version":2,"entries":{}}', 'null']) {
      writeFileSync(join(root, 'f.json'), text);
      expect(loadFrecency(join(root, 'f.json'))).toEqual(emptyFrecency());
    }
    writeFileSync(join(root, 'f.json'), JSON.stringify({ version: 1, entries: { ok: { rank: 2, last: 5 }, bad: { rank: 'x', last: 1 }, neg: { rank: -1, last: 1 } } }));
    expect(loadFrecency(join(root, 'f.json')).entries).toEqual({ ok: { rank: 2, last: 5 } });
    mkdirSync(join(root, 'dir.json'));
    expect(loadFrecency(join(root, 'dir.json'))).toEqual(emptyFrecency());
  });

  it('writes what it loads exactly as JSON', () => {
    const root = tmp();
    const path = join(root, 'f.json');
    saveFrecency(path, recordChoice(emptyFrecency(), 'x', NOW));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, entries: { x: { rank: 1, last: NOW } } });
  });
});
