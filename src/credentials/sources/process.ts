/**
 * credential_process: the command is run by the helper runner (split as botocore splits it, no
 * shell, a time limit). Its stdout holds secrets and is never shown; its stderr is, on failure.
 */
import { CredentialError } from '../../errors.js';
import type { BaseSource } from '../../config/chain.js';
import { HelperFailure, runHelper, splitCommand } from '../helper-process.js';
import type { Credentials } from '../types.js';

export type ProcessBase = Extract<BaseSource, { kind: 'process' }>;

export function isProcess(base: BaseSource): base is ProcessBase {
  return base.kind === 'process';
}

export interface ProcessOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** `profile`: the profile asked for, first in the error. */
export async function resolveProcessCredentials(profile: string, base: ProcessBase, opts: ProcessOptions): Promise<Credentials> {
  const step = 'credential_process';
  try {
    const { file, stdout } = await runHelper(splitCommand(base.command), { env: opts.env, timeoutMs: opts.timeoutMs, stdin: 'inherit' });
    return parseProcessOutput(profile, file, stdout);
  } catch (err) {
    if (err instanceof HelperFailure) throw new CredentialError(profile, step, err.message);
    throw err;
  }
}

/** The documented format: `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`. */
export function parseProcessOutput(profile: string, file: string, stdout: string): Credentials {
  const step = 'credential_process';
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    // Never echo the output: it may hold a secret even when it is not valid JSON.
    throw new CredentialError(profile, step, `${file} printed something that is not JSON (${stdout.length} bytes)`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CredentialError(profile, step, `${file} printed JSON that is not an object`);
  if (data.Version !== 1) throw new CredentialError(profile, step, `${file} printed Version ${JSON.stringify(data.Version ?? null)}; only Version 1 is supported`);
  const missing = ['AccessKeyId', 'SecretAccessKey'].filter((k) => typeof data[k] !== 'string' || data[k] === '');
  if (missing.length) throw new CredentialError(profile, step, `${file} printed no ${missing.join(' or ')}`);
  const creds: Credentials = { accessKeyId: data.AccessKeyId as string, secretAccessKey: data.SecretAccessKey as string };
  if (typeof data.SessionToken === 'string' && data.SessionToken) creds.sessionToken = data.SessionToken;
  if (data.Expiration !== undefined) {
    const d = typeof data.Expiration === 'string' ? new Date(data.Expiration) : new Date(NaN);
    if (Number.isNaN(d.getTime())) throw new CredentialError(profile, step, `${file} printed an Expiration that is not an ISO 8601 time`);
    creds.expiration = d;
  }
  return creds;
}
