import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCacheView } from '../../src/tui/cache-view.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'awsguard-cache-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'sessions'), { mode: 0o700 });
  return dir;
}

function session(dir: string, key: string, entry: Record<string, unknown>, mode = 0o600): void {
  const path = join(dir, 'sessions', `${key}.json`);
  writeFileSync(path, JSON.stringify({ version: 1, label: 'sso', ...entry }), { mode });
  chmodSync(path, mode);
}

const creds = (expiration: string) => ({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: SECRET, sessionToken: `token-${SECRET}`, expiration });

describe('readCacheView', () => {
  it('knows the latest expiry, the identity and the alias of each profile', () => {
    const dir = cache();
    session(dir, 'a', { profile: 'prod', credentials: creds('2026-03-02T10:00:00Z') });
    session(dir, 'b', { profile: 'prod', credentials: creds('2026-03-02T11:00:00Z'), identity: { accountId: '222222222222', arn: 'arn:aws:sts::222222222222:assumed-role/Admin/x', userId: 'u', alias: 'acme-prod' } });
    session(dir, 'c', { profile: 'dev', credentials: creds('2026-03-01T10:00:00Z'), identity: { accountId: '111111111111', arn: 'a', userId: 'u' } });
    writeFileSync(join(dir, 'aliases.json'), JSON.stringify({ '111111111111': { alias: 'acme-dev', at: 1 }, '333333333333': { alias: null, at: 1 } }), { mode: 0o600 });
    const view = readCacheView(dir);
    expect(view.sessions).toEqual(new Map([['prod', Date.parse('2026-03-02T11:00:00Z')], ['dev', Date.parse('2026-03-01T10:00:00Z')]]));
    expect(view.identities.get('prod')).toEqual({ accountId: '222222222222', alias: 'acme-prod' });
    expect(view.identities.get('dev')).toEqual({ accountId: '111111111111' });
    expect(view.aliases).toEqual(new Map([['111111111111', 'acme-dev'], ['222222222222', 'acme-prod']]));
  });

  it('keeps no credential but the expiry', () => {
    const dir = cache();
    session(dir, 'a', { profile: 'prod', credentials: creds('2026-03-02T10:00:00Z'), identity: { accountId: '222222222222', arn: 'a', userId: 'u' } });
    const view = readCacheView(dir);
    const everything = JSON.stringify([...view.sessions, ...view.identities, ...view.aliases]);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('ASIAEXAMPLE');
  });

  it('skips files others could have written, broken JSON and foreign shapes, and a missing cache', () => {
    const dir = cache();
    session(dir, 'open', { profile: 'p1', credentials: creds('2026-03-02T10:00:00Z') }, 0o666);
    writeFileSync(join(dir, 'sessions', 'broken.json'), '{', { mode: 0o600 });
    writeFileSync(join(dir, 'sessions', 'list.json'), '[1,2]', { mode: 0o600 });
    session(dir, 'nodate', { profile: 'p2', credentials: { expiration: 'soon' } });
    const view = readCacheView(dir);
    expect([...view.sessions.keys()]).toEqual([]);
    expect(readCacheView(join(dir, 'nothing-here')).sessions.size).toBe(0);
  });
});
