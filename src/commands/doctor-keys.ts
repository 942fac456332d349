/**
 * Doctor's view of long-term keys: where `awsguard keys` stores them and why, keys still in
 * plaintext in the AWS files, and (from IAM, when it answers) keys older than [keys]
 * max_age_days (CIS AWS Foundations 1.14 / 2.12) or unused for unused_days (CIS 2.11). It never
 * asks for the key file's passphrase: without AWSGUARD_FILE_PASSPHRASE those keys are counted
 * by the index alone.
 */
import { displayPath } from '../errors.js';
import type { Profile } from '../config/model.js';
import type { GuardSettings } from '../guard/settings.js';
import { readKeyIndex } from '../keys/key-index.js';
import type { KeyPair } from '../keys/record.js';
import { xdgPaths } from '../xdg-dirs.js';
import type { Finding } from './doctor-checks.js';

const DAY = 86_400_000;
/** IAM calls in flight at once for the key ages (IAM's own rate limits are far above it). */
const IAM_AT_ONCE = 6;

export interface PlaintextKey {
  profile: string;
  file: string;
  keys: KeyPair;
}

/** A profile's long-term keys when they sit in the AWS files themselves, with the file they are in. */
export function plaintextKey(name: string, p: Profile): PlaintextKey | undefined {
  for (const part of [p.fromCredentials, p.fromConfig]) {
    const id = part?.get('aws_access_key_id')?.value;
    const secret = part?.get('aws_secret_access_key')?.value;
    if (typeof id !== 'string' || typeof secret !== 'string' || part!.has('aws_session_token') || part!.has('aws_security_token') || id.startsWith('ASIA')) continue;
    return { profile: name, file: part!.get('aws_access_key_id')!.file.path, keys: { accessKeyId: id.trim(), secretAccessKey: secret.trim() } };
  }
  return undefined;
}

/** `plaintext`: the keys checkConfig found in the AWS files (none when it could not read them). */
export async function checkKeys(plaintext: readonly PlaintextKey[], settings: GuardSettings, env: NodeJS.ProcessEnv, now: number): Promise<Finding[]> {
  const findings: Finding[] = [];
  const { chooseBackend, openKeyStore } = await import('../keys/store.js');
  try {
    const chosen = chooseBackend({ setting: settings.keys.backend });
    findings.push({ check: 'key store', status: 'ok', detail: `new keys go to the ${chosen.backend === 'keychain' ? 'keychain' : 'encrypted file'}: ${chosen.reason}` });
  } catch (err) {
    findings.push({ check: 'key store', status: 'fail', detail: (err as Error).message, fix: 'start a Secret Service (gnome-keyring, KeePassXC), or set [keys] backend = file' });
  }
  const dataDir = xdgPaths(env).dataDir;
  if (plaintext.length) {
    const names = plaintext.map((p) => p.profile);
    findings.push({
      check: 'plaintext keys',
      status: 'warn',
      detail: `long-term keys in plaintext: ${plaintext.map((p) => `${p.profile} (${displayPath(p.file)})`).join(', ')}; any program that can read the file has them`,
      fix: `move them into the key store: awsguard keys import ${names.length > 3 ? '--all' : names.join(' ')}`,
    });
  } else {
    findings.push({ check: 'plaintext keys', status: 'ok', detail: 'no long-term keys in the AWS config or credentials files' });
  }
  // Every long-term key that can be read without asking: the plaintext ones and the stored ones.
  const keys: Array<{ profile: string; keys: KeyPair }> = plaintext.map(({ profile, keys }) => ({ profile, keys }));
  for (const [name, entry] of readKeyIndex(dataDir)) {
    if (entry.backend === 'file' && !env.AWSGUARD_FILE_PASSPHRASE) continue;
    try {
      const record = (await openKeyStore({ setting: settings.keys.backend, dataDir, env }, entry.backend)).get(name);
      if (record) keys.push({ profile: name, keys: record });
    } catch (err) {
      findings.push({ check: `key ${name}`, status: 'warn', detail: `cannot read the stored key: ${(err as Error).message}` });
    }
  }
  const { maxAgeDays, unusedDays } = settings.keys;
  const { listAccessKeys, lastUsed } = await import('../keys/iam.js');
  const ageFinding = async ({ profile, keys: pair }: { profile: string; keys: KeyPair }): Promise<Finding> => {
    const ctx = { env, region: settings.defaults.region ?? env.AWS_REGION ?? 'us-east-1', profile };
    try {
      const used = await lastUsed(ctx, pair, pair.accessKeyId);
      const created = (await listAccessKeys(ctx, pair)).find((k) => k.accessKeyId === pair.accessKeyId)?.created;
      const age = created ? Math.floor((now - created.getTime()) / DAY) : undefined;
      const idle = used.at ? Math.floor((now - used.at.getTime()) / DAY) : age;
      const problems: string[] = [];
      if (age !== undefined && age > maxAgeDays) problems.push(`${age} days old (more than ${maxAgeDays}; CIS 1.14)`);
      if (idle !== undefined && idle > unusedDays) problems.push(`${used.at ? `last used ${idle} days ago` : `never used in ${idle} days`} (more than ${unusedDays}; CIS 2.11)`);
      return problems.length
        ? { check: `key ${profile}`, status: 'warn', detail: `${pair.accessKeyId} is ${problems.join(' and ')}`, fix: idle !== undefined && idle > unusedDays ? `if nothing uses it, deactivate it; else rotate it: awsguard keys rotate ${profile}` : `rotate it: awsguard keys rotate ${profile}` }
        : { check: `key ${profile}`, status: 'ok', detail: `${pair.accessKeyId}${age !== undefined ? `, ${age} days old` : ''}${used.at ? `, last used ${idle} days ago` : ''}` };
    } catch (err) {
      return { check: `key ${profile}`, status: 'ok', detail: `${pair.accessKeyId}: IAM did not say how old it is (${(err as Error).message})` };
    }
  };
  // A few keys at a time: each asks IAM twice, and one by one a person with many keys waited
  // for every round trip (and every retry) in turn. Findings keep the keys' order.
  const ages: Finding[] = new Array<Finding>(keys.length);
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const i = next++;
      ages[i] = await ageFinding(keys[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IAM_AT_ONCE, keys.length) }, worker));
  findings.push(...ages);
  return findings;
}
