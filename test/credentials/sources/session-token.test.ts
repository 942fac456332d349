/**
 * GetSessionToken from long-term keys, with and without MFA, against the fake AWS (SigV4 checked,
 * MFA codes checked against the seeded device).
 */
import { describe, expect, it } from 'vitest';
import { isSessionToken, resolveSessionToken, sessionTokenMaterial } from '../../../src/credentials/sources/session-token.js';
import type { WithMfa } from '../../../src/credentials/sources/source.js';
import { fakeSecret } from '../../support/fake-aws/index.js';
import { credentialFailure as failure, useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const { resolve, whoami } = t;
const ALICE = { accessKeyId: 'AKIAFAKEALICE0000001', secretAccessKey: fakeSecret('alice') };
const ALICE_MFA = 'arn:aws:iam::111111111111:mfa/alice';

describe('static keys', () => {
  it('never hands on long-term keys: a session token from GetSessionToken, cached', async () => {
    const r = await resolve('ci');
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(r.credentials.sessionToken).toBeTruthy();
    expect(r.fromCache).toBe(false);
    expect(t.w.fake.calls('GetSessionToken')).toBe(1);
    const again = await resolve('ci');
    expect(again.fromCache).toBe(true);
    expect(again.credentials.accessKeyId).toBe(r.credentials.accessKeyId);
    expect(t.w.fake.calls('GetSessionToken')).toBe(1);
    expect((await whoami('ci')).arn).toBe('arn:aws:iam::111111111111:user/ci-bot');
  });

  it('asks for the MFA code of mfa_serial once, then reuses the MFA session', async () => {
    const r = await resolve('alice');
    expect(t.prompts).toEqual(['arn:aws:iam::111111111111:mfa/alice']);
    expect(t.w.fake.requests.find((q) => q.action === 'GetSessionToken')?.serialNumber).toBe('arn:aws:iam::111111111111:mfa/alice');
    await resolve('alice');
    expect(t.prompts).toHaveLength(1);
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
  });

  it('fails a wrong MFA code the way AWS does, naming the step', async () => {
    const err = await failure(resolve('alice', { mfa: { code: '000000' } }));
    expect(err.message).toMatch(/^alice: get session token with MFA \(alice\): AccessDenied: MultiFactorAuthentication failed/);
  });

  it('without a terminal and no --mfa-code, says how to pass one', async () => {
    const err = await failure(resolve('alice', { mfa: {} }));
    expect(err.message).toContain('needs an MFA code for arn:aws:iam::111111111111:mfa/alice: pass --mfa-code');
  });
});

describe('resolveSessionToken', () => {
  const asked: string[] = [];
  const code =
    (value: string): WithMfa =>
    async (serial, step, declaredBy, call) => {
      asked.push(`${serial} ${step} ${declaredBy}`);
      return call({ serial, code: value });
    };

  it('without mfa_serial: a session signed by the keys, no MFA asked, no MFA claimed', async () => {
    asked.length = 0;
    const s = await resolveSessionToken(t.ctx('ci'), async () => ALICE, { profile: 'alice', durationSeconds: 1800 }, code('123456'));
    expect(s.mfa).toBeUndefined();
    expect(asked).toEqual([]);
    const call = t.w.fake.requests.find((q) => q.action === 'GetSessionToken')!;
    expect(call).toMatchObject({ status: 200, accessKeyId: ALICE.accessKeyId, durationSeconds: 1800 });
    expect(call.serialNumber).toBeUndefined();
    // The fake's clock runs on from its start: the session ends 30 minutes after it was made.
    expect(Math.round((s.credentials.expiration.getTime() - t.w.now()) / 60_000)).toBe(30);
    expect(await t.arnOf(s.credentials)).toBe('arn:aws:iam::111111111111:user/alice');
  });

  it("with mfa_serial: the code asked for on the keys' profile, sent with the serial, and the session carries MFA", async () => {
    asked.length = 0;
    const s = await resolveSessionToken(t.ctx('prod-admin'), async () => ALICE, { profile: 'alice', mfaSerial: ALICE_MFA }, code('123456'));
    expect(s.mfa).toBe(true);
    expect(asked).toEqual([`${ALICE_MFA} get session token with MFA (alice) alice`]);
    expect(t.w.fake.requests.find((q) => q.action === 'GetSessionToken')).toMatchObject({ status: 200, serialNumber: ALICE_MFA });
  });

  it('a refused code or key fails with the profile asked for and the step', async () => {
    const wrong = await failure(resolveSessionToken(t.ctx('prod-admin'), async () => ALICE, { profile: 'alice', mfaSerial: ALICE_MFA }, code('000000')));
    expect(wrong.message).toMatch(/^prod-admin: get session token with MFA \(alice\): AccessDenied: MultiFactorAuthentication failed/);
    const forged = await failure(resolveSessionToken(t.ctx('ci'), async () => ({ ...ALICE, secretAccessKey: fakeSecret('mallory') }), { profile: 'alice' }, code('123456')));
    expect(forged.message).toMatch(/^ci: get session token \(alice\): SignatureDoesNotMatch: /);
  });

  it('is made for the last hop, and before roles only to carry MFA; its material extends the keys', () => {
    expect([isSessionToken(true, undefined), isSessionToken(false, ALICE_MFA), isSessionToken(false, undefined)]).toEqual([true, true, false]);
    expect(sessionTokenMaterial([1, 'base', 'static', 'alice', 'AKIA1'], ALICE_MFA, undefined)).toEqual([1, 'base', 'static', 'alice', 'AKIA1', 'session-token', ALICE_MFA, null]);
  });
});
