/**
 * Keys in awsguard's store (the encrypted file backend, unlocked by AWSGUARD_FILE_PASSPHRASE), for a
 * profile whose credential_process is the line `keys import` leaves: a session from the fake STS,
 * and a cached session found by the key id alone, without opening the store.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { isStoredKeys, resolveStoredKeys, type KeyStoreAccess } from '../../../src/credentials/sources/stored-keys.js';
import { openFileStore } from '../../../src/keys/file-store.js';
import { updateKeyIndex } from '../../../src/keys/key-index.js';
import { KeyStoreError } from '../../../src/keys/record.js';
import { fakeSecret } from '../../support/fake-aws/index.js';
import { credentialFailure as failure, useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const PASSPHRASE = 'correct horse battery staple';
const CI = { accessKeyId: 'AKIAFAKECIBOT0000001', secretAccessKey: fakeSecret('ci-bot') };
const BASE = { kind: 'stored' as const, profile: 'ci-stored' };
let access: KeyStoreAccess;

async function store(name: string, key: typeof CI, index = true): Promise<void> {
  const file = await openFileStore({ dataDir: access.dataDir, passphrase: async () => PASSPHRASE });
  file.set(name, { version: 1, ...key, addedAt: '2026-01-01T00:00:00Z' });
  if (index) updateKeyIndex(access.dataDir, name, { accessKeyId: key.accessKeyId, backend: 'file', addedAt: '2026-01-01T00:00:00Z' });
}
const unlocked = () => ({ ...t.w.env, AWSGUARD_FILE_PASSPHRASE: PASSPHRASE });

beforeEach(() => {
  access = { setting: 'file', dataDir: join(t.w.home, '.local', 'share', 'awsguard') };
  writeFileSync(t.w.env.AWS_CONFIG_FILE!, `[profile ci-stored]\ncredential_process = awsguard export -p ci-stored --format credential-process\nregion = us-east-1\n`);
});

describe('a profile whose keys are in the store', () => {
  it('makes a session from the stored key, then finds it by the key id without opening the store', async () => {
    await store('ci-stored', CI);
    const r = await t.resolve('ci-stored', { env: unlocked(), keyStore: access });
    expect(r.chain.base).toEqual(BASE);
    expect(await t.arnOf(r.credentials)).toBe('arn:aws:iam::111111111111:user/ci-bot');
    expect(t.w.fake.requests.find((q) => q.action === 'GetSessionToken')).toMatchObject({ status: 200, accessKeyId: CI.accessKeyId });
    // No passphrase now: opening the store would fail, and the cached session needs no key.
    const again = await t.resolve('ci-stored', { keyStore: access });
    expect(again.fromCache).toBe(true);
    expect(again.credentials.accessKeyId).toBe(r.credentials.accessKeyId);
    await expect(t.resolve('ci-stored', { keyStore: access, refresh: true })).rejects.toThrow(KeyStoreError);
    await expect(t.resolve('ci-stored', { keyStore: access, refresh: true })).rejects.toThrow('set AWSGUARD_FILE_PASSPHRASE for unattended use');
  });

  it('shares the sessions the same key made from the credentials file (keys import keeps them)', async () => {
    writeFileSync(t.w.env.AWS_SHARED_CREDENTIALS_FILE!, `[ci-stored]\naws_access_key_id = ${CI.accessKeyId}\naws_secret_access_key = ${CI.secretAccessKey}\n`);
    writeFileSync(t.w.env.AWS_CONFIG_FILE!, `[profile ci-stored]\nregion = us-east-1\n`);
    const before = await t.resolve('ci-stored');
    await store('ci-stored', CI);
    writeFileSync(t.w.env.AWS_SHARED_CREDENTIALS_FILE!, '');
    writeFileSync(t.w.env.AWS_CONFIG_FILE!, `[profile ci-stored]\ncredential_process = awsguard export -p ci-stored --format credential-process\nregion = us-east-1\n`);
    const after = await t.resolve('ci-stored', { keyStore: access });
    expect(after.fromCache).toBe(true);
    expect(after.credentials.accessKeyId).toBe(before.credentials.accessKeyId);
    expect(t.w.fake.calls('GetSessionToken')).toBe(1);
  });
});

describe('resolveStoredKeys', () => {
  it('knows the key id from the index and reads the secret once, when asked', async () => {
    expect(isStoredKeys(BASE)).toBe(true);
    await store('ci-stored', CI);
    const keys = await resolveStoredKeys('asked', BASE, access, unlocked());
    expect(keys.accessKeyId).toBe(CI.accessKeyId);
    expect(await keys.load()).toEqual(CI);
    expect(keys.load()).toBe(keys.load());
  });

  it('reads the store for the id when the index lost it', async () => {
    await store('ci-stored', CI, false);
    expect((await resolveStoredKeys('asked', BASE, access, unlocked())).accessKeyId).toBe(CI.accessKeyId);
  });

  it('says what to do when no key is stored, or the command cannot reach the store', async () => {
    await store('someone-else', CI);
    const missing = await failure(resolveStoredKeys('asked', BASE, access, unlocked()));
    expect(missing.message).toBe('ci-stored: read the key store: NoCredentials: no key is stored for profile "ci-stored"; run: awsguard keys add ci-stored');
    const none = await failure(resolveStoredKeys('asked', BASE, undefined, unlocked()));
    expect(none.message).toBe('asked: read the key store: NoCredentials: this command cannot read the key store');
  });
});
