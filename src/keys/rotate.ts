/**
 * `keys rotate`, in the order the CIS benchmark asks for: an MFA session first when the profile
 * has mfa_serial (IAM refuses key management to sessions without MFA), CreateAccessKey, store
 * the new key, wait until it really works, UpdateAccessKey the old one to Inactive, delete it
 * (unless asked to keep it), forget the sessions the old key made. Each step is written to the
 * store before the next begins, so a failure or a Ctrl-C at any point leaves a state that is
 * consistent, is said in full, and that `--resume` finishes.
 */
import { KeyStoreError, type KeyPair, type Rotation, type StoredKey } from './record.js';
import type { KeyStore } from './store.js';
import { updateKeyIndex } from './key-index.js';
import { createAccessKey, deactivateAccessKey, deleteAccessKey, listAccessKeys, type AccessKeyInfo } from './iam.js';
import { getCallerIdentity, getSessionToken, type StepContext } from '../credentials/sts.js';
import type { Credentials } from '../credentials/types.js';
import { CredentialError } from '../errors.js';

export interface RotateOptions {
  name: string;
  store: KeyStore;
  dataDir: string;
  ctx: StepContext;
  mfaSerial?: string;
  mfaCode?: (serial: string) => Promise<string>;
  keepInactive: boolean;
  resume: boolean;
  /** How long to wait for IAM to make the new key usable, and how often to try it. */
  waitMs: number;
  pollMs: number;
  progress: (text: string) => void;
  /** Ctrl-C arrived: stop at the next safe point. */
  interrupted: () => boolean;
  /** Forgets cached sessions made from a key; returns how many. */
  forgetSessions: (accessKeyId: string) => number;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RotateResult {
  oldKeyId: string;
  newKeyId: string;
  deleted: boolean;
  forgotten: number;
}

/** Stopped with the store and IAM consistent; the message says what exists and what to run. */
export class RotationStopped extends KeyStoreError {
  override name = 'RotationStopped';
}

const resumeHint = (name: string) => `run: awsguard keys rotate ${name} --resume`;

/** What exists at each stage, in words a person can act on. */
export function describeStage(name: string, r: Rotation): string {
  switch (r.stage) {
    case 'created':
      return `two keys are active: the old one (${r.old.accessKeyId}) is still the one awsguard uses, and the new one (${r.new.accessKeyId}) is stored but not known to work yet; ${resumeHint(name)}`;
    case 'verified':
      return `two keys are active: the new one (${r.new.accessKeyId}) is stored and in use, and the old one (${r.old.accessKeyId}) is still active; ${resumeHint(name)}`;
    case 'deactivated':
      return `the new key (${r.new.accessKeyId}) is stored and in use; the old one (${r.old.accessKeyId}) is Inactive (it cannot sign anything) but still exists; ${resumeHint(name)} to delete it, or leave it with --keep-inactive`;
  }
}

export async function rotateKey(opts: RotateOptions): Promise<RotateResult> {
  const { name, store } = opts;
  let record = store.get(name);
  if (!record) throw new KeyStoreError(`no key is stored for profile "${name}"; run: awsguard keys add ${name}`);
  if (record.rotation && !opts.resume) throw new RotationStopped(`a rotation of ${name} has not finished: ${describeStage(name, record.rotation)}`);
  if (!record.rotation && opts.resume) throw new KeyStoreError(`there is no unfinished rotation of ${name} to resume; run: awsguard keys rotate ${name}`);
  const sessions = new MfaSessions(opts);
  const stop = (r: Rotation, why: string): never => {
    throw new RotationStopped(`${why}. Now ${describeStage(name, r)}`);
  };
  const checkpoint = (r: Rotation) => {
    if (opts.interrupted()) stop(r, 'stopped at Ctrl-C');
  };

  if (!record.rotation) record = await create(opts, record, sessions);
  let rotation = record.rotation!;
  checkpoint(rotation);

  if (rotation.stage === 'created') {
    await waitUntilUsable(opts, rotation, (why) => stop(rotation, why));
    record = save(opts, { ...record, accessKeyId: rotation.new.accessKeyId, secretAccessKey: rotation.new.secretAccessKey, rotation: { ...rotation, stage: 'verified' } });
    rotation = record.rotation!;
    opts.progress(`the new key ${rotation.new.accessKeyId} works and is the one awsguard uses now`);
    checkpoint(rotation);
  }

  const existing = await iamCall(sessions, rotation, (creds) => listAccessKeys(opts.ctx, creds)).catch((err: unknown) => stop(rotation, `cannot list the user's keys (${message(err)})`));
  const old = existing.find((k) => k.accessKeyId === rotation.old.accessKeyId);
  if (rotation.stage === 'verified') {
    if (old?.status === 'Active') {
      await iamCall(sessions, rotation, (creds) => deactivateAccessKey(opts.ctx, creds, rotation.old.accessKeyId)).catch((err: unknown) =>
        stop(rotation, `deactivating the old key failed (${message(err)})`),
      );
      opts.progress(`the old key ${rotation.old.accessKeyId} is Inactive`);
    }
    record = save(opts, { ...record, rotation: { ...rotation, stage: 'deactivated' } });
    rotation = record.rotation!;
    checkpoint(rotation);
  }

  let deleted = !old;
  if (!opts.keepInactive && old) {
    await iamCall(sessions, rotation, (creds) => deleteAccessKey(opts.ctx, creds, rotation.old.accessKeyId)).catch((err: unknown) =>
      stop(rotation, `deleting the old key failed (${message(err)})`),
    );
    deleted = true;
    opts.progress(`the old key ${rotation.old.accessKeyId} is deleted`);
  }
  const { rotation: _done, ...finished } = record;
  save(opts, finished);
  const forgotten = opts.forgetSessions(rotation.old.accessKeyId);
  return { oldKeyId: rotation.old.accessKeyId, newKeyId: rotation.new.accessKeyId, deleted, forgotten };
}

function message(err: unknown): string {
  return err instanceof CredentialError ? err.message.replace(/^[^:]+: /, '') : String((err as Error)?.message ?? err);
}

function save(opts: RotateOptions, record: StoredKey): StoredKey {
  opts.store.set(opts.name, record);
  updateKeyIndex(opts.dataDir, opts.name, {
    accessKeyId: record.accessKeyId,
    backend: opts.store.backend,
    addedAt: record.addedAt,
    ...(record.arn ? { arn: record.arn } : {}),
    ...(record.rotation ? { rotatingFrom: record.rotation.old.accessKeyId } : {}),
  });
  return record;
}

async function create(opts: RotateOptions, record: StoredKey, sessions: MfaSessions): Promise<StoredKey> {
  const old: KeyPair = { accessKeyId: record.accessKeyId, secretAccessKey: record.secretAccessKey };
  const signer = await sessions.for(old);
  let made: KeyPair;
  try {
    made = await createAccessKey(opts.ctx, signer);
  } catch (err) {
    if (err instanceof CredentialError && (err.code === 'LimitExceeded' || err.code === 'LimitExceededException')) throw await limitExplained(opts, signer, old);
    throw new RotationStopped(`creating the new key failed (${message(err)}). Nothing changed: ${old.accessKeyId} is still the only key awsguard knows, stored and in use`);
  }
  const next: KeyPair = { accessKeyId: made.accessKeyId, secretAccessKey: made.secretAccessKey };
  opts.progress(`created the new key ${next.accessKeyId}`);
  try {
    return save(opts, { ...record, rotation: { old, new: next, stage: 'created', startedAt: new Date(opts.now()).toISOString() } });
  } catch (err) {
    // The secret exists only in this process now: take the key back rather than leave it unusable.
    try {
      await deleteAccessKey(opts.ctx, signer, next.accessKeyId);
    } catch {
      throw new RotationStopped(
        `the new key ${next.accessKeyId} was created but could not be stored (${message(err)}), and deleting it failed too; delete it yourself (aws iam delete-access-key --access-key-id ${next.accessKeyId}); ${old.accessKeyId} is still stored and in use`,
      );
    }
    throw new RotationStopped(`the new key could not be stored (${message(err)}), so it was deleted again. Nothing changed: ${old.accessKeyId} is still stored and in use`);
  }
}

async function limitExplained(opts: RotateOptions, signer: Credentials, old: KeyPair): Promise<Error> {
  let keys: AccessKeyInfo[] = [];
  try {
    keys = await listAccessKeys(opts.ctx, signer);
  } catch {
    // Said without the list, then.
  }
  const day = 86_400_000;
  const described = keys
    .map((k) => `${k.accessKeyId} (${k.status}${k.created ? `, ${Math.floor((opts.now() - k.created.getTime()) / day)} days old` : ''}${k.accessKeyId === old.accessKeyId ? ', the one stored here' : ''})`)
    .join(' and ');
  const other = keys.find((k) => k.accessKeyId !== old.accessKeyId);
  return new RotationStopped(
    `IAM allows two access keys per user and this user has two already${described ? `: ${described}` : ''}. Nothing changed. ` +
      (other ? `If ${other.accessKeyId} is no longer used anywhere, delete it (aws iam delete-access-key --access-key-id ${other.accessKeyId}) and rotate again` : 'Delete the key you no longer use and rotate again'),
  );
}

/** Tries the new key with GetCallerIdentity until IAM has made it usable, within the bound. */
async function waitUntilUsable(opts: RotateOptions, rotation: Rotation, stop: (why: string) => never): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const start = opts.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await getCallerIdentity(opts.ctx, rotation.new);
      return;
    } catch (err) {
      const propagating = err instanceof CredentialError && (err.code === 'InvalidClientTokenId' || err.code === 'SignatureDoesNotMatch' || err.code === 'AuthFailure');
      if (!propagating) stop(`the new key does not work (${message(err)})`);
    }
    const waited = opts.now() - start;
    if (waited >= opts.waitMs) stop(`the new key ${rotation.new.accessKeyId} still does not work after ${Math.round(waited / 1000)}s (IAM may still be propagating it)`);
    if (opts.interrupted()) stop('stopped at Ctrl-C');
    opts.progress(`waiting for IAM to make the new key usable (${Math.round(waited / 1000)}s of at most ${Math.round(opts.waitMs / 1000)}s, try ${attempt})`);
    await sleep(Math.min(opts.pollMs, Math.max(0, opts.waitMs - waited)));
  }
}

/**
 * What signs the IAM calls: the long-term key itself, or with mfa_serial an MFA session made
 * from it (one code per key, asked once). The new key signs once it is known to work; the old
 * one before that.
 */
class MfaSessions {
  private readonly made = new Map<string, Credentials>();
  constructor(private readonly opts: RotateOptions) {}

  has(key: KeyPair): boolean {
    return this.made.has(key.accessKeyId);
  }

  async for(key: KeyPair): Promise<Credentials> {
    const serial = this.opts.mfaSerial;
    if (!serial) return key;
    const had = this.made.get(key.accessKeyId);
    if (had) return had;
    if (!this.opts.mfaCode) throw new KeyStoreError(`profile ${this.opts.name} has mfa_serial and IAM needs an MFA session to manage keys: give --mfa-code CODE or run in a terminal`);
    const code = await this.opts.mfaCode(serial);
    const session = await getSessionToken(this.opts.ctx, key, { durationSeconds: 900, mfa: { serial, code } }, 'get session token with MFA');
    this.made.set(key.accessKeyId, session);
    return session;
  }
}

/** Signs with the key in use (the new one from `verified` on); a refused signature falls back to the other key. */
async function iamCall<T>(sessions: MfaSessions, rotation: Rotation, run: (creds: Credentials) => Promise<T>): Promise<T> {
  const inUse = rotation.stage === 'created' ? [rotation.old, rotation.new] : [rotation.new, rotation.old];
  // An MFA session already made serves first: another would cost another code.
  const order = [...inUse.filter((k) => sessions.has(k)), ...inUse.filter((k) => !sessions.has(k))];
  let last: unknown;
  for (const key of order) {
    try {
      return await run(await sessions.for(key));
    } catch (err) {
      last = err;
      if (!(err instanceof CredentialError && err.code === 'InvalidClientTokenId')) throw err;
    }
  }
  throw last;
}
