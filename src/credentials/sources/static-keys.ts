/**
 * Keys written in the shared credentials or config file (aws_access_key_id,
 * aws_secret_access_key, and aws_session_token for a session pasted in). botocore takes them from
 * the one file its provider reads, credentials before config; config/chain.ts has said which.
 */
import type { BaseSource } from '../../config/chain.js';
import type { AwsConfig } from '../../config/model.js';
import type { Credentials } from '../types.js';

export type StaticKeysBase = Extract<BaseSource, { kind: 'static' }>;

export function isStaticKeys(base: BaseSource): base is StaticKeysBase {
  return base.kind === 'static';
}

export function resolveStaticKeys(base: StaticKeysBase, config: AwsConfig | undefined): Credentials {
  const profile = config?.profiles.get(base.profile);
  const file = base.file === 'credentials' ? profile?.fromCredentials : profile?.fromConfig;
  const get = (key: string) => {
    const v = file?.get(key)?.value;
    return typeof v === 'string' ? v : undefined;
  };
  const c: Credentials = { accessKeyId: get('aws_access_key_id') ?? '', secretAccessKey: get('aws_secret_access_key') ?? '' };
  const token = get('aws_session_token') ?? get('aws_security_token');
  if (token) c.sessionToken = token;
  return c;
}
