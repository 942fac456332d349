/**
 * What the store keeps for one profile: the long-term key and, while a rotation is under way,
 * the key it replaces (so `keys rotate --resume` can still reach IAM and finish the job).
 * The whole record is one secret in the store; nothing of it is ever printed but the key ids.
 */
import { AwsguardError, ExitCode } from '../errors.js';

export interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface StoredKey extends KeyPair {
  version: 1;
  /** When awsguard stored it (ISO 8601); IAM's CreateDate is asked for when IAM is reachable. */
  addedAt: string;
  /** The IAM user's ARN, from GetCallerIdentity when the key was stored. */
  arn?: string;
  /**
   * A rotation that has not finished (`keys rotate --resume` goes on from `stage`). The key
   * above is the one awsguard signs with: the old one until the new one is known to work.
   */
  rotation?: Rotation;
}

export interface Rotation {
  old: KeyPair;
  new: KeyPair;
  /** created: the new key exists and is stored; verified: it works (and is the one in use); deactivated: the old one is Inactive. */
  stage: 'created' | 'verified' | 'deactivated';
  startedAt: string;
}

/** The store cannot be used, or holds something that is not a record of ours. */
export class KeyStoreError extends AwsguardError {
  override name = 'KeyStoreError';
  constructor(message: string, exitCode: number = ExitCode.credentials) {
    super(message, exitCode);
  }
}

/** AKIA… is an IAM user's long-term key; ASIA… is temporary (a session), never stored. */
export const LONG_TERM_KEY_ID = /^AKIA[A-Z0-9]{12,124}$/;
export const TEMPORARY_KEY_ID = /^ASIA/;

export function parseRecord(text: string, where: string): StoredKey {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new KeyStoreError(`the entry for ${where} in the key store is not awsguard's (not JSON)`);
  }
  const r = data as Partial<StoredKey> | null;
  if (!r || r.version !== 1 || typeof r.accessKeyId !== 'string' || typeof r.secretAccessKey !== 'string' || typeof r.addedAt !== 'string') {
    throw new KeyStoreError(`the entry for ${where} in the key store is not an awsguard key record`);
  }
  return r as StoredKey;
}

export function serializeRecord(record: StoredKey): string {
  return JSON.stringify(record);
}
