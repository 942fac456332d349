/**
 * `keys import`: takes a profile's long-term keys out of ~/.aws/credentials and leaves the
 * line that sends the AWS CLI, boto3 and the SDKs to awsguard instead. Only the two key lines
 * (and any continuation lines of theirs) change; every other byte of the file (comments,
 * blank lines, order, line endings, other sections) stays. The result is read back with the
 * same reader as botocore's before anything is written: the profiles and their settings must
 * be what they were, apart from the keys, and the secret must appear nowhere in the new text.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, displayPath } from '../errors.js';
import { parseSections } from '../config/load.js';
import { ownExportLine } from '../config/own-export-line.js';
import type { Setting } from '../config/model.js';
import type { IniFile } from '../config/configparser.js';
import { ensurePrivateDir, writeAtomically, writePrivateFile } from '../credentials/secure-files.js';
import { KeyStoreError, TEMPORARY_KEY_ID, type KeyPair } from './record.js';

export interface MovedKeys {
  /** The file's new text. */
  text: string;
  keys: KeyPair;
}

const KEY_NAMES = ['aws_access_key_id', 'aws_secret_access_key'] as const;

/** The profiles of a credentials file that hold long-term keys (what `--all` imports). */
export function profilesWithKeys(text: string, path: string): string[] {
  const ini = parseSections(text, path, 'credentials');
  const out: string[] = [];
  for (let i = 0; i < ini.size; i++) {
    const s = ini.settings(i);
    if (s.has('aws_access_key_id') && !s.has('aws_session_token') && !s.has('aws_security_token')) out.push(ini.headers[i]!);
  }
  return out;
}

export function moveKeysOut(text: string, path: string, profile: string): MovedKeys {
  const shown = displayPath(path);
  const ini = parseSections(text, path, 'credentials');
  const index = ini.headers.indexOf(profile);
  if (index === -1) throw new KeyStoreError(`${shown} has no [${profile}] section`, 3);
  const settings = ini.settings(index);
  const refuse = (line: number, why: string): never => {
    throw new ConfigError(`[${profile}]: ${why}`, path, line);
  };
  const header = ini.lines[index]!;
  const own = (name: string): Setting | undefined => {
    const s = settings.get(name);
    if (s && ini.defaults?.get(name) === s) refuse(s.line, `${name} comes from [DEFAULT], which every profile shares; move it into the profile by hand first`);
    return s;
  };
  const id = own('aws_access_key_id');
  const secret = own('aws_secret_access_key');
  if (!id || !secret) refuse(header, 'has no aws_access_key_id and aws_secret_access_key to import');
  if (typeof id!.value !== 'string' || typeof secret!.value !== 'string') refuse(id!.line, 'the keys are not plain values');
  const token = settings.get('aws_session_token') ?? settings.get('aws_security_token');
  if (token || TEMPORARY_KEY_ID.test(id!.value as string)) refuse((token ?? id)!.line, 'holds temporary credentials (a session), which expire; only long-term IAM user keys (AKIA...) are imported');
  const process = settings.get('credential_process');
  if (process) refuse(process.line, 'already has a credential_process line; remove it or the keys by hand first');
  const keys = { accessKeyId: (id!.value as string).trim(), secretAccessKey: (secret!.value as string).trim() };

  // Lines with their own ends, as Python's universal newlines split them (the reader's lines).
  const pieces = text.split(/(\r\n|\r|\n)/);
  const lines: Array<{ content: string; end: string }> = [];
  for (let i = 0; i < pieces.length; i += 2) lines.push({ content: pieces[i]!, end: pieces[i + 1] ?? '' });
  const drop = new Set<number>();
  for (const s of [id!, secret!]) {
    let n = s.line - 1;
    drop.add(n);
    // A value continued on indented lines goes with its key.
    while (n + 1 < lines.length && /^[ \t]+\S/.test(lines[n + 1]!.content)) drop.add(++n);
  }
  const first = Math.min(id!.line, secret!.line) - 1;
  const out: string[] = [];
  lines.forEach((l, i) => {
    if (i === first) out.push(`credential_process = ${ownExportLine(profile)}${l.end || '\n'}`);
    if (!drop.has(i)) out.push(l.content + l.end);
  });
  const result = out.join('');
  check(ini, result, path, profile, keys);
  return { text: result, keys };
}

/** The new text must read as the old one did, apart from the keys and the new line. */
function check(before: IniFile, text: string, path: string, profile: string, keys: KeyPair): void {
  const fail = (why: string): never => {
    throw new KeyStoreError(`${displayPath(path)} cannot be rewritten safely (${why}); nothing was changed: move the keys by hand with 'awsguard keys add ${profile}'`);
  };
  if (text.includes(keys.secretAccessKey)) fail('the secret key appears elsewhere in the file too, e.g. in a comment');
  const after = parseSections(text, path, 'credentials');
  if (after.size !== before.size) fail('the sections changed');
  for (let i = 0; i < before.size; i++) {
    if (after.headers[i] !== before.headers[i]) fail('the sections changed');
    const was = values(before.settings(i));
    const now = values(after.settings(i));
    if (before.headers[i] === profile) {
      for (const k of KEY_NAMES) was.delete(k);
      if (now.get('credential_process') !== ownExportLine(profile)) fail('the new credential_process line does not read back');
      now.delete('credential_process');
    }
    if (JSON.stringify([...was]) !== JSON.stringify([...now])) fail(`the settings of [${before.headers[i]}] would change`);
  }
}

function values(settings: ReadonlyMap<string, Setting>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, s] of settings) out.set(k, typeof s.value === 'string' ? s.value : JSON.stringify([...s.value]));
  return out;
}

/**
 * Writes the credentials file atomically in place: a temporary file beside the real one (a
 * link to the file, as dotfile managers make, is followed, not replaced), the file's own mode,
 * then a rename. Refuses when the file changed since it was read.
 */
export function replaceCredentialsFile(path: string, before: string, after: string): void {
  const real = realpathSync(path);
  writeAtomically(real, after, statSync(real).mode & 0o700, () => {
    if (readFileSync(real, 'utf8') !== before) {
      throw new KeyStoreError(`${displayPath(path)} changed while awsguard was importing from it; nothing was changed there, run the import again`);
    }
  });
}

/** `--backup`: a private copy (0600 in a 0700 directory) of the file before the import. */
export function backupCredentialsFile(path: string, dataDir: string, now: Date): string {
  const dir = join(dataDir, 'backups');
  ensurePrivateDir(dir);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const target = join(dir, `credentials-${stamp}`);
  writePrivateFile(target, readFileSync(realpathSync(path), 'utf8'));
  return target;
}
