/**
 * `awsguard keys rotate` against the fake IAM, through every point where it can fail: each run
 * must end consistent (IAM, the store and the index agree on which key is in use) and say what
 * exists and what to run; `--resume` must then finish the job.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { fakeSecret } from '../support/fake-aws/index.js';
import type { SeedUser } from '../support/fake-aws/index.js';
import { createWorld, type World } from '../support/world.js';
import { readKeyIndex } from '../../src/keys/key-index.js';

let w: World;
let env: Record<string, string>;
const awsguard = (args: string[], extra: Record<string, string> = {}) => runAsync(process.execPath, [BIN, ...args], { ...env, ...extra });
const dataDir = () => join(w.home, '.local', 'share', 'awsguard');
const DAY = 86_400_000;

beforeAll(async () => {
  w = await createWorld();
  const settings = join(w.home, 'settings.ini');
  writeFileSync(settings, '[keys]\nbackend = file\n');
  env = { ...w.env, AWSGUARD_CONFIG: settings, AWSGUARD_FILE_PASSPHRASE: 'rotation passphrase' };
});
afterAll(async () => w?.close());

let n = 0;
/** A new IAM user with one 100-day-old key, stored under a profile of the same name. */
async function userWithStoredKey(opts: { mfa?: boolean } = {}): Promise<SeedUser> {
  n++;
  const name = `rot${n}`;
  const keyId = `AKIAFAKEROTATE${String(n).padStart(6, '0')}`;
  const user: SeedUser = {
    account: '111111111111',
    name,
    userId: `AIDAFAKEROT${String(n).padStart(10, '0')}`,
    accessKeys: [{ accessKeyId: keyId, secretAccessKey: fakeSecret(name), createdAt: w.fake.clock.now() - 100 * DAY }],
    ...(opts.mfa ? { mfa: { serialNumber: `arn:aws:iam::111111111111:mfa/${name}`, code: '654321' } } : {}),
  };
  w.fake.seed.users.push(user);
  const r = await awsguard(['keys', 'add', name, '--from-env'], { AWS_ACCESS_KEY_ID: keyId, AWS_SECRET_ACCESS_KEY: fakeSecret(name) });
  expect(r.status, r.stderr).toBe(0);
  if (opts.mfa) {
    const config = env.AWS_CONFIG_FILE!;
    writeFileSync(config, `${readFileSync(config, 'utf8')}\n[profile ${name}]\nmfa_serial = arn:aws:iam::111111111111:mfa/${name}\n`);
  }
  return user;
}

/** IAM, the store's index and a fresh session agree on the key in use. */
async function expectConsistent(user: SeedUser, inUse: string): Promise<void> {
  expect(readKeyIndex(dataDir()).get(user.name)?.accessKeyId).toBe(inUse);
  expect(user.accessKeys.find((k) => k.accessKeyId === inUse)?.active).not.toBe(false);
  await awsguard(['logout', '-p', user.name]);
  const who = await awsguard(['whoami', '-p', user.name, '--json', ...(user.mfa ? ['--mfa-code', '654321'] : [])]);
  expect(who.status, who.stderr).toBe(0);
  expect(JSON.parse(who.stdout).arn).toBe(`arn:aws:iam::111111111111:user/${user.name}`);
}

/** `--resume` ends the rotation: only the new key is left, and it is the one in use. */
async function resumeFinishes(user: SeedUser, fresh: string): Promise<void> {
  const resumed = await awsguard(['keys', 'rotate', user.name, '--resume']);
  expect(resumed.status, resumed.stderr).toBe(0);
  expect(ids(user)).toEqual([`${fresh}:Active`]);
  await expectConsistent(user, fresh);
}

const ids = (u: SeedUser) => u.accessKeys.map((k) => `${k.accessKeyId}:${k.active === false ? 'Inactive' : 'Active'}`);

describe('keys rotate', () => {
  it('creates, waits out the propagation delay with progress, deactivates, deletes, and forgets the old sessions', async () => {
    const user = await userWithStoredKey();
    const old = user.accessKeys[0]!.accessKeyId;
    const warm = await awsguard(['export', '-p', user.name]);
    expect(warm.status, warm.stderr).toBe(0);
    w.fake.setKeyPropagationDelay(3000);
    const r = await awsguard(['keys', 'rotate', user.name]);
    w.fake.setKeyPropagationDelay(0);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/created the new key AKIA\w+/);
    expect(r.stderr).toMatch(/waiting for IAM to make the new key usable \(\d+s of at most 120s, try 1\)/);
    const fresh = user.accessKeys[0]!.accessKeyId;
    expect(user.accessKeys).toHaveLength(1);
    expect(fresh).not.toBe(old);
    expect(r.stderr).toContain(`rotated ${user.name}: ${fresh} is stored and in use; ${old} is deleted; 1 cached session from the old key forgotten`);
    // The new secret never reached the output.
    expect(r.stdout + r.stderr).not.toContain(user.accessKeys[0]!.secretAccessKey);
    await expectConsistent(user, fresh);
  }, 60_000);

  it('gets an MFA session first when the profile has mfa_serial, and keeps the old key Inactive if asked', async () => {
    const user = await userWithStoredKey({ mfa: true });
    const old = user.accessKeys[0]!.accessKeyId;
    w.fake.reset();
    const r = await awsguard(['keys', 'rotate', user.name, '--mfa-code', '654321', '--keep-inactive']);
    expect(r.status, r.stderr).toBe(0);
    expect(w.fake.requests.find((q) => q.action === 'GetSessionToken')?.serialNumber).toBe(user.mfa!.serialNumber);
    // Every IAM call was signed by the MFA session, not the long-term key.
    const iam = w.fake.requests.filter((q) => ['CreateAccessKey', 'UpdateAccessKey', 'ListAccessKeys'].includes(q.action ?? ''));
    expect(iam.map((q) => q.accessKeyId!.slice(0, 4))).toEqual(iam.map(() => 'ASIA'));
    expect(ids(user)).toEqual([`${old}:Inactive`, `${user.accessKeys[1]!.accessKeyId}:Active`]);
    expect(r.stderr).toContain(`${old} is Inactive (kept, as asked)`);
    await expectConsistent(user, user.accessKeys[1]!.accessKeyId);
  }, 60_000);

  it('create fails: nothing changed, and it says so', async () => {
    const user = await userWithStoredKey();
    const before = ids(user);
    w.fake.failNext('CreateAccessKey', { status: 403, code: 'AccessDenied', message: 'not authorized' });
    const r = await awsguard(['keys', 'rotate', user.name]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(`creating the new key failed (create access key: AccessDenied: not authorized). Nothing changed: ${before[0]!.split(':')[0]} is still the only key awsguard knows, stored and in use`);
    expect(ids(user)).toEqual(before);
    await expectConsistent(user, user.accessKeys[0]!.accessKeyId);
  }, 60_000);

  it('two keys already: LimitExceeded explained with the ids and ages of both', async () => {
    const user = await userWithStoredKey();
    user.accessKeys.push({ accessKeyId: 'AKIAFAKEFORGOTTEN001', secretAccessKey: 'x'.repeat(40), active: false, createdAt: w.fake.clock.now() - 400 * DAY });
    const r = await awsguard(['keys', 'rotate', user.name]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(
      `IAM allows two access keys per user and this user has two already: ${user.accessKeys[0]!.accessKeyId} (Active, 100 days old, the one stored here) and AKIAFAKEFORGOTTEN001 (Inactive, 400 days old). Nothing changed. If AKIAFAKEFORGOTTEN001 is no longer used anywhere, delete it (aws iam delete-access-key --access-key-id AKIAFAKEFORGOTTEN001) and rotate again`,
    );
    expect(user.accessKeys).toHaveLength(2);
    await expectConsistent(user, user.accessKeys[0]!.accessKeyId);
  }, 60_000);

  it('the new key never works: both active, the old one still in use, and --resume finishes once it does', async () => {
    const user = await userWithStoredKey();
    const old = user.accessKeys[0]!.accessKeyId;
    w.fake.setKeyPropagationDelay(3_600_000);
    const r = await awsguard(['keys', 'rotate', user.name, '--wait', '3s']);
    w.fake.setKeyPropagationDelay(0);
    expect(r.status).toBe(4);
    const fresh = user.accessKeys[1]!.accessKeyId;
    expect(r.stderr).toContain(`the new key ${fresh} still does not work after 3s (IAM may still be propagating it). Now two keys are active: the old one (${old}) is still the one awsguard uses, and the new one (${fresh}) is stored but not known to work yet; run: awsguard keys rotate ${user.name} --resume`);
    expect(ids(user)).toEqual([`${old}:Active`, `${fresh}:Active`]);
    await expectConsistent(user, old);
    // A plain rotate now refuses to start a second one.
    const again = await awsguard(['keys', 'rotate', user.name]);
    expect(again.status).toBe(4);
    expect(again.stderr).toContain('has not finished');
    user.accessKeys[1]!.usableAt = 0;
    await resumeFinishes(user, fresh);
  }, 60_000);

  /** A rotation whose IAM call `action` is refused: it stops (exit 4) after making the new key. */
  async function stoppedAt(action: string) {
    const user = await userWithStoredKey();
    const old = user.accessKeys[0]!.accessKeyId;
    w.fake.failNext(action, { status: 403, code: 'AccessDenied', message: 'not authorized' });
    const r = await awsguard(['keys', 'rotate', user.name]);
    expect(r.status).toBe(4);
    return { user, old, fresh: user.accessKeys[1]!.accessKeyId, stderr: r.stderr };
  }

  it('deactivate fails: the new key is in use, both active; --resume finishes', async () => {
    const { user, old, fresh, stderr } = await stoppedAt('UpdateAccessKey');
    expect(stderr).toContain(`deactivating the old key failed (deactivate access key ${old}: AccessDenied: not authorized). Now two keys are active: the new one (${fresh}) is stored and in use, and the old one (${old}) is still active; run: awsguard keys rotate ${user.name} --resume`);
    expect(ids(user)).toEqual([`${old}:Active`, `${fresh}:Active`]);
    await expectConsistent(user, fresh);
    await resumeFinishes(user, fresh);
  }, 60_000);

  it('delete fails: the old key is Inactive and says so; --resume deletes it', async () => {
    const { user, old, fresh, stderr } = await stoppedAt('DeleteAccessKey');
    expect(stderr).toContain(`deleting the old key failed (delete access key ${old}: AccessDenied: not authorized). Now the new key (${fresh}) is stored and in use; the old one (${old}) is Inactive (it cannot sign anything) but still exists`);
    expect(ids(user)).toEqual([`${old}:Inactive`, `${fresh}:Active`]);
    await expectConsistent(user, fresh);
    await resumeFinishes(user, fresh);
    const nothing = await awsguard(['keys', 'rotate', user.name, '--resume']);
    expect(nothing.status).toBe(4);
    expect(nothing.stderr).toContain('there is no unfinished rotation');
  }, 60_000);

  it('Ctrl-C while waiting: stops at a safe point, says what exists, and --resume finishes', async () => {
    const user = await userWithStoredKey();
    const old = user.accessKeys[0]!.accessKeyId;
    w.fake.setKeyPropagationDelay(3_600_000);
    const child = spawn(process.execPath, [BIN, 'keys', 'rotate', user.name, '--wait', '60s'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) =>
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('waiting for IAM')) resolve();
      }),
    );
    child.kill('SIGINT');
    const status = await done;
    w.fake.setKeyPropagationDelay(0);
    expect(status).toBe(4);
    const fresh = user.accessKeys[1]!.accessKeyId;
    expect(stderr).toContain('Ctrl-C: stopping after the current step');
    expect(stderr).toContain(`stopped at Ctrl-C. Now two keys are active: the old one (${old}) is still the one awsguard uses, and the new one (${fresh}) is stored but not known to work yet`);
    await expectConsistent(user, old);
    user.accessKeys[1]!.usableAt = 0;
    await resumeFinishes(user, fresh);
  }, 60_000);
});
