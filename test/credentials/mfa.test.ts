/**
 * MFA codes without typing: `mfa_process` and a YubiKey through `ykman`, with stand-ins that
 * print real RFC 6238 codes for a seeded secret, and a fake AWS that checks them and refuses a
 * code reused within its step, as AWS does. Waiting for the next step moves the clocks (the
 * fake's, awsguard's and the stand-ins') instead of sleeping.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAwsConfig } from '../../src/config/load.js';
import { resolveProfile, type ResolveOptions } from '../../src/credentials/resolver.js';
import { stsClient } from '../support/fake-aws/clients.js';
import { fakeSecret, totpAt, totpStep } from '../support/fake-aws/index.js';
import { credentialFailure as failure } from '../support/resolve.js';
import { createWorld, type World } from '../support/world.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const SERIAL = 'arn:aws:iam::111111111111:mfa/carol';
const TOTP = resolvePath('test/fixtures-bin/totp.py');
const KEYS = { accessKeyId: 'AKIAFAKECAROL0000001', secretAccessKey: fakeSecret('carol') };

let w: World;
let notices: string[];
let waits: number[];
let offsetFile: string;
let advanced: number;

/** Moves every clock in the test by `seconds`: the fake AWS's, awsguard's (w.now) and the stand-ins'. */
function advance(seconds: number): void {
  w.fake.clock.advance(seconds);
  advanced += seconds;
  writeFileSync(offsetFile, String(advanced));
}

function opts(extra: Partial<ResolveOptions['mfa']> = {}, more: Partial<ResolveOptions> = {}): ResolveOptions {
  return {
    env: { ...w.env, STANDIN_TOTP_SECRET: SECRET, STANDIN_TOTP_OFFSET_FILE: offsetFile, STANDIN_YKMAN_ACCOUNT: 'aws-carol', PATH: `${resolvePath('test/fixtures-bin')}:${w.env.PATH}` },
    now: w.now,
    cacheDir: w.cacheDir,
    mfa: {
      notice: (t) => notices.push(t),
      sleep: async (ms) => {
        waits.push(ms);
        advance(ms / 1000);
      },
      ...extra,
    },
    ...more,
  };
}
const resolve = (profile: string, mfa: Partial<ResolveOptions['mfa']> = {}, more: Partial<ResolveOptions> = {}) =>
  resolveProfile(loadAwsConfig({ env: w.env }), profile, opts(mfa, more));
const sessionTokenCalls = () => w.fake.requests.filter((q) => q.action === 'GetSessionToken' && q.serialNumber === SERIAL);

beforeEach(async () => {
  w = await createWorld();
  notices = [];
  waits = [];
  advanced = 0;
  offsetFile = join(mkdtempSync(join(tmpdir(), 'awsguard-totp-')), 'offset');
  w.fake.seed.users.push({
    account: '111111111111',
    name: 'carol',
    userId: 'AIDAFAKECAROL00000001',
    accessKeys: [KEYS],
    mfa: { serialNumber: SERIAL, totpSecret: SECRET },
  });
  const keys = (name: string) => `[${name}]\naws_access_key_id = ${KEYS.accessKeyId}\naws_secret_access_key = ${KEYS.secretAccessKey}\n`;
  appendFileSync(w.env.AWS_SHARED_CREDENTIALS_FILE!, keys('carol') + keys('carol-keys'));
  writeFileSync(
    w.env.AWS_CONFIG_FILE!,
    `[profile carol]\nmfa_serial = ${SERIAL}\nmfa_process = /usr/bin/python3 ${TOTP}\n\n` +
      `[profile carol-deploy]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = carol\n\n` +
      `[profile carol-prod]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nsource_profile = carol\n\n` +
      `[profile yk]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nsource_profile = carol-keys\nmfa_serial = ${SERIAL}\nmfa_ykman_account = aws-carol\n\n` +
      `[profile by-settings]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nsource_profile = carol-keys\nmfa_serial = ${SERIAL}\n\n` +
      `[profile fails]\nmfa_serial = ${SERIAL}\nmfa_process = ${TOTP} --fail\n\n` +
      `[profile hangs]\nmfa_serial = ${SERIAL}\nmfa_process = ${TOTP} --hang\n`,
  );
  appendFileSync(w.env.AWS_SHARED_CREDENTIALS_FILE!, keys('fails') + keys('hangs'));
  // Start one second into a 30-second step, so a test's few seconds stay inside it.
  const now = w.now();
  advance((30_000 - (now % 30_000) + 1000) / 1000);
});
afterEach(async () => w.close());

describe('the fake checks real TOTP codes', () => {
  it('matches RFC 6238 (SHA-1 test vector, T = 59 s) and the stand-in', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", 8 digits 94287082; six digits are its last six.
    expect(totpAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1)).toBe('287082');
  });

  it('refuses a code already used in its step, like AWS', async () => {
    const sts = stsClient(w.fake, KEYS);
    const code = totpAt(SECRET, totpStep(w.now()));
    await sts.send(new GetSessionTokenCommand({ SerialNumber: SERIAL, TokenCode: code }));
    await expect(sts.send(new GetSessionTokenCommand({ SerialNumber: SERIAL, TokenCode: code }))).rejects.toThrow('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    await expect(sts.send(new GetSessionTokenCommand({ SerialNumber: SERIAL, TokenCode: '000000' }))).rejects.toThrow('invalid MFA one time pass code');
  });
});

describe('mfa_process', () => {
  it('takes the code from the command, says so in a note, and one MFA session serves both roles behind the serial', async () => {
    const deploy = await resolve('carol-deploy');
    expect(deploy.notes).toEqual([`the MFA code for ${SERIAL} came from mfa_process of profile carol`]);
    const prod = await resolve('carol-prod');
    expect(prod.notes).toEqual([]);
    expect(sessionTokenCalls().map((q) => q.status)).toEqual([200]);
    expect(w.fake.requests.filter((q) => q.action === 'AssumeRole').map((q) => q.status)).toEqual([200, 200]);
    const code = totpAt(SECRET, totpStep(w.now()));
    expect(JSON.stringify([deploy.notes, notices, w.fake.requests])).not.toContain(code);
  });

  it('waits for the next 30-second step when this device already used a code in this one', async () => {
    await resolve('carol');
    const first = sessionTokenCalls()[0]!.mfaStep!;
    await resolve('carol', {}, { refresh: true });
    expect(notices).toEqual([
      expect.stringMatching(/^MFA for \S+: a code for this device was already used in this 30-second window and AWS takes each code once; waiting \d+s for the next code$/),
    ]);
    // Computed from the clock (to the next step boundary), never measured.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(20_000);
    expect(waits[0]).toBeLessThanOrEqual(31_500);
    expect(sessionTokenCalls().map((q) => [q.status, q.mfaStep])).toEqual([
      [200, first],
      [200, first + 1],
    ]);
  });

  it('when AWS refuses the code (another tool used it), waits for the next step once and retries', async () => {
    await stsClient(w.fake, KEYS).send(new GetSessionTokenCommand({ SerialNumber: SERIAL, TokenCode: totpAt(SECRET, totpStep(w.now())) }));
    const r = await resolve('carol');
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(notices).toEqual([expect.stringMatching(/^MFA for .*: AWS refused the MFA code, which happens when it was already used in this 30-second window; waiting \d+s for the next code$/)]);
    expect(sessionTokenCalls().map((q) => q.status)).toEqual([200, 403, 200]);
  });

  it('a failing helper is an error with its exit code and stderr; with a terminal, a warning and the question', async () => {
    const err = await failure(resolve('fails'));
    expect(err.message).toBe(
      `fails: get session token with MFA (fails): MFA code from mfa_process of profile fails: MfaHelperFailed: ${TOTP} failed (exit code 3); it said:\n  the password manager is locked\n  run: pm unlock`,
    );
    const asked: string[] = [];
    const r = await resolve('fails', {
      prompt: async (serial) => {
        asked.push(serial);
        return totpAt(SECRET, totpStep(w.now()));
      },
    });
    expect(asked).toEqual([SERIAL]);
    expect(notices).toEqual([`${err.message}; asking instead`]);
    expect(r.notes).toEqual([]);
  });

  it('stops a helper that hangs', async () => {
    const err = await failure(resolve('hangs', { helperTimeoutMs: 400 }));
    expect(err.message).toContain(`${TOTP} did not finish within 0.4s and was stopped`);
  });
});

describe('ykman', () => {
  it("reads the profile's OATH account from the YubiKey, telling the person to touch it", async () => {
    const r = await resolve('yk');
    expect(r.notes).toEqual([`the MFA code for ${SERIAL} came from YubiKey (ykman account aws-carol, from mfa_ykman_account of profile yk)`]);
    expect(notices).toEqual([`MFA for ${SERIAL}: reading the code from your YubiKey (account aws-carol); touch it if it blinks`]);
    expect(w.fake.requests.find((q) => q.action === 'AssumeRole')).toMatchObject({ status: 200, serialNumber: SERIAL });
  });

  it("uses awsguard's [mfa] ykman for a profile that names none, and reports an unknown account", async () => {
    const r = await resolve('by-settings', { ykmanAccount: 'aws-carol' });
    expect(r.notes[0]).toContain('from awsguard settings [mfa] ykman');
    const err = await failure(resolve('by-settings', { ykmanAccount: 'nobody' }, { refresh: true }));
    expect(err.message).toContain('ykman failed (exit code 1); it said:\n  Error: No matching account found.');
  });
});
