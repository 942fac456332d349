/**
 * Keys written in the shared files: which file they are read from (as botocore reads them), and
 * a session pasted in handed on as it is.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveChain } from '../../../src/config/chain.js';
import { loadAwsConfig } from '../../../src/config/load.js';
import { isStaticKeys, resolveStaticKeys } from '../../../src/credentials/sources/static-keys.js';
import { useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const keysOf = (profile: string) => {
  const config = loadAwsConfig({ env: t.w.env });
  const base = resolveChain(config, profile).base;
  if (!isStaticKeys(base)) throw new Error(`${profile} has no keys in a file`);
  return resolveStaticKeys(base, config);
};

describe('keys in the credentials or config file', () => {
  it('reads them from the credentials file before the config file, never mixing the two', () => {
    writeFileSync(t.w.env.AWS_SHARED_CREDENTIALS_FILE!, `[both]\naws_access_key_id = AKIAFROMCREDENTIALS1\naws_secret_access_key = from-credentials\n`);
    writeFileSync(
      t.w.env.AWS_CONFIG_FILE!,
      `[profile both]\naws_access_key_id = AKIAFROMCONFIG000001\naws_secret_access_key = from-config\naws_session_token = config-token\n\n[profile config-only]\naws_access_key_id = AKIAFROMCONFIG000002\naws_secret_access_key = s\naws_security_token = older-name\n`,
    );
    expect(keysOf('both')).toEqual({ accessKeyId: 'AKIAFROMCREDENTIALS1', secretAccessKey: 'from-credentials' });
    expect(keysOf('config-only')).toEqual({ accessKeyId: 'AKIAFROMCONFIG000002', secretAccessKey: 's', sessionToken: 'older-name' });
  });

  it('hands on a session pasted into the file as it is, without calling STS', async () => {
    writeFileSync(t.w.env.AWS_SHARED_CREDENTIALS_FILE!, `[pasted]\naws_access_key_id = ASIAFAKEPASTED000001\naws_secret_access_key = s\naws_session_token = pasted-token\n`);
    writeFileSync(t.w.env.AWS_CONFIG_FILE!, '');
    const r = await t.resolve('pasted');
    expect(r.credentials).toEqual({ accessKeyId: 'ASIAFAKEPASTED000001', secretAccessKey: 's', sessionToken: 'pasted-token' });
    expect(r.fromCache).toBe(false);
    expect(t.w.fake.requests).toHaveLength(0);
  });

  it('long-term keys from the file become a session signed with them', async () => {
    const r = await t.resolve('ci');
    expect(r.credentials.sessionToken).toBeTruthy();
    expect(t.w.fake.requests.find((q) => q.action === 'GetSessionToken')).toMatchObject({ status: 200, accessKeyId: 'AKIAFAKECIBOT0000001' });
  });
});
