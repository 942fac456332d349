import { describe, expect, it } from 'vitest';
import { renewalMargin, startCredentialServer } from '../../src/exec/credential-server.js';

const creds = (n: number, endsAt: number) => ({ accessKeyId: `ASIA${n}`, secretAccessKey: `secret${n}`, sessionToken: `token${n}`, expiration: new Date(endsAt) });

describe('credential server', () => {
  it('answers the container-credentials format to the token holder only', async () => {
    let now = 1_000_000;
    const s = await startCredentialServer({ initial: creds(1, now + 3600_000), now: () => now, renew: async () => creds(2, now + 3600_000) });
    try {
      const ok = await fetch(s.url, { headers: { authorization: s.token } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ AccessKeyId: 'ASIA1', SecretAccessKey: 'secret1', Token: 'token1', Expiration: new Date(now + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z') });
      expect((await fetch(s.url)).status).toBe(403);
      expect((await fetch(s.url, { headers: { authorization: s.token.slice(0, -1) + 'x' } })).status).toBe(403);
      expect((await fetch(s.url + 'role/Admin', { headers: { authorization: s.token } })).status).toBe(404);
      expect(s.stats).toMatchObject({ requests: 4, refused: 2, renewals: 0 });
      now += 3600_000 - 60_000;
      const renewed = await Promise.all([1, 2, 3].map(() => fetch(s.url, { headers: { authorization: s.token } }).then((r) => r.json())));
      expect(renewed.map((r) => (r as { AccessKeyId: string }).AccessKeyId)).toEqual(['ASIA2', 'ASIA2', 'ASIA2']);
      expect(s.stats.renewals).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('answers an error the SDKs surface when renewal fails, and keeps serving', async () => {
    let now = 0;
    const failures: string[] = [];
    const s = await startCredentialServer({
      initial: creds(1, 10_000),
      now: () => now,
      renew: async () => {
        throw new Error('prod-admin: get session token with MFA: needs an MFA code');
      },
      onRenewFailure: (e) => failures.push(e.message),
    });
    try {
      now = 9_000;
      const r = await fetch(s.url, { headers: { authorization: s.token } });
      expect(r.status).toBe(500);
      expect(await r.json()).toMatchObject({ Code: 'RenewalFailed', Message: expect.stringContaining('needs an MFA code') });
      expect(failures.length).toBeGreaterThanOrEqual(1);
    } finally {
      await s.close();
    }
  });

  it('renews fifteen minutes ahead, or a third of a short session', () => {
    expect(renewalMargin(3600_000)).toBe(15 * 60_000);
    expect(renewalMargin(9_000)).toBe(3_000);
  });
});
