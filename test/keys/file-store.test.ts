import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/keys/file-store.js';
import type { StoredKey } from '../../src/keys/record.js';

const record: StoredKey = { version: 1, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', addedAt: '2026-01-01T00:00:00.000Z' };

describe('the encrypted key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'awsguard-fs-')), 'data');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
  const open = (pass: string, asked: boolean[] = []) => openFileStore({ dataDir: dir, passphrase: async (creating) => (asked.push(creating), pass) });

  it('keeps records sealed: private, no secret in the bytes, readable with the passphrase only', async () => {
    const asked: boolean[] = [];
    (await open('pw one', asked)).set('dev', record);
    const path = join(dir, 'keys.enc');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const bytes = readFileSync(path, 'utf8');
    expect(bytes).not.toContain(record.secretAccessKey);
    expect(bytes).not.toContain(record.accessKeyId);
    const again = await open('pw one', asked);
    expect(again.get('dev')).toEqual(record);
    expect(again.names()).toEqual(['dev']);
    expect(asked).toEqual([true, false]);
    await expect(open('pw two')).rejects.toThrow(/wrong passphrase, or the file was altered/);
    expect(again.remove('dev')).toBe(true);
    expect((await open('pw one')).get('dev')).toBeUndefined();
  });

  it('refuses a header that was altered (the KDF parameters are authenticated) and sane-checks them', async () => {
    (await open('pw')).set('dev', record);
    const path = join(dir, 'keys.enc');
    const sealed = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...sealed, kdf: { ...sealed.kdf, r: 9 } }), { mode: 0o600 });
    await expect(open('pw')).rejects.toThrow(/wrong passphrase, or the file was altered/);
    writeFileSync(path, JSON.stringify({ ...sealed, kdf: { ...sealed.kdf, N: 2 ** 30 } }), { mode: 0o600 });
    await expect(open('pw')).rejects.toThrow(/scrypt parameters out of range/);
    await expect(open('')).rejects.toThrow(/needs a passphrase/);
  });
});
