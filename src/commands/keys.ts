/**
 * `awsguard keys`: long-term IAM user keys in the OS keychain (or the encrypted file) instead of
 * ~/.aws/credentials. add, import, list, remove, export-plaintext, rotate. Secrets are read on
 * the terminal without echo or from the environment, and never printed, except by
 * export-plaintext after a typed confirmation.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AwsguardError, ExitCode, UsageError, displayPath } from '../errors.js';
import { loadAwsConfig } from '../config/load.js';
import { configPaths } from '../config/aws-file-paths.js';
import { isOwnExportLine, ownExportLine } from '../config/own-export-line.js';
import { str, type AwsConfig } from '../config/model.js';
import { resolveChain } from '../config/chain.js';
import { getCallerIdentity, type StepContext } from '../credentials/sts.js';
import { SessionCache } from '../credentials/session-cache.js';
import { writePrivateFile } from '../credentials/secure-files.js';
import { loadSettings, parseDuration, type GuardSettings } from '../guard/settings.js';
import { xdgPaths } from '../xdg-dirs.js';
import { KeyStoreError, LONG_TERM_KEY_ID, TEMPORARY_KEY_ID, type KeyPair, type StoredKey } from '../keys/record.js';
import { readKeyIndex, updateKeyIndex, type IndexEntry } from '../keys/key-index.js';
import { openKeyStore, type KeyStore } from '../keys/store.js';
import { askOnTerminal, PromptCancelled } from '../tty/ask.js';
import { hasTerminal } from '../tty/device.js';
import { writeData } from '../tty/output.js';
import type { CommandContext } from '../cli/context.js';
import { subcommandOf, type Parsed } from '../cli/command.js';
import { keyStoreAccess } from './key-passphrase.js';
import { keys as keysSpec } from './specs/keys.js';
import { renderTable } from './table.js';

type Flags = Parsed<typeof keysSpec.flags>['flags'];

interface Keys {
  ctx: CommandContext;
  flags: Flags;
  settings: GuardSettings;
  dataDir: string;
}

export async function run(ctx: CommandContext, { flags, positionals }: Parsed<typeof keysSpec.flags>): Promise<number> {
  const [given, ...names] = positionals;
  const sub = subcommandOf(keysSpec, given);
  const k: Keys = { ctx, flags, settings: loadSettings(ctx.env), dataDir: xdgPaths(ctx.env).dataDir };
  switch (sub) {
    case 'add':
      return add(k, one(sub, names));
    case 'import':
      return importKeys(k, names);
    case 'list':
      return list(k);
    case 'remove':
      return remove(k, one(sub, names));
    case 'export-plaintext':
      return exportPlaintext(k, one(sub, names));
    case 'rotate':
      return rotate(k, one(sub, names));
  }
}

function one(sub: string, names: string[]): string {
  if (names.length !== 1) throw new UsageError(`keys ${sub}: give one profile name`);
  const name = names[0]!;
  // The name becomes a section header and a shell word in the credential_process line.
  if (name === '' || /[\0-\x1f\x7f[\]]/.test(name) || name.startsWith('-') || name !== name.trim()) throw new UsageError(`keys ${sub}: ${JSON.stringify(name)} cannot be a profile name here`);
  return name;
}

const say = (k: Keys, text: string) => k.ctx.stderr.write(`awsguard: ${text}\n`);

function access(k: Keys) {
  return { ...keyStoreAccess(k.ctx.env, k.settings.defaults), env: k.ctx.env };
}

/** The backend a profile's key is in (from the index), or where new keys go. */
async function storeFor(k: Keys, name?: string): Promise<KeyStore> {
  const entry = name === undefined ? undefined : readKeyIndex(k.dataDir).get(name);
  return openKeyStore(access(k), entry?.backend);
}

function stepContext(k: Keys, name: string, config?: AwsConfig): StepContext {
  const region = str(config?.profiles.get(name), 'region') ?? k.ctx.env.AWS_REGION ?? k.ctx.env.AWS_DEFAULT_REGION ?? k.settings.defaults.region ?? 'us-east-1';
  return { env: k.ctx.env, region, profile: name };
}

function indexEntry(store: KeyStore, record: StoredKey): IndexEntry {
  return { accessKeyId: record.accessKeyId, backend: store.backend, addedAt: record.addedAt, ...(record.arn ? { arn: record.arn } : {}) };
}

function checkKeyId(id: string): void {
  if (TEMPORARY_KEY_ID.test(id)) throw new UsageError('keys add: ASIA... keys are temporary (a session) and expire; store the IAM user\'s long-term key (AKIA...)');
  if (!LONG_TERM_KEY_ID.test(id)) throw new UsageError('keys add: that is not an access key id (AKIA followed by 16 or more capital letters and digits)');
}

// ---- add ----

async function add(k: Keys, name: string): Promise<number> {
  const { env } = k.ctx;
  const paths = configPaths(env);
  const config = loadAwsConfig({ env });
  const profile = config.profiles.get(name);
  if (profile?.fromCredentials?.has('aws_access_key_id')) {
    throw new UsageError(`keys add: profile "${name}" has keys in ${displayPath(paths.credentials)}; move them with: awsguard keys import ${name}`);
  }
  const chain = profile ? resolveChain(config, name) : undefined;
  if (chain && (chain.roles.length || (chain.base.kind !== 'stored' && chain.base.kind !== 'none'))) {
    throw new UsageError(`keys add: profile "${name}" already gets credentials another way (${chain.roles.length ? 'role_arn' : chain.base.kind}); a stored key would not be used. Pick a new name, or remove that setting first`);
  }
  const needsLine = !chain || chain.base.kind === 'none';
  if (needsLine && profile?.fromCredentials) {
    throw new UsageError(`keys add: add this line to [${name}] in ${displayPath(paths.credentials)} first: credential_process = ${ownExportLine(name)}`);
  }
  let keys: KeyPair;
  if (k.flags['from-env']) {
    if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) throw new UsageError('keys add --from-env: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set');
    if (env.AWS_SESSION_TOKEN) throw new UsageError('keys add --from-env: AWS_SESSION_TOKEN is set, so these are temporary credentials; only long-term IAM user keys are stored');
    keys = { accessKeyId: env.AWS_ACCESS_KEY_ID.trim(), secretAccessKey: env.AWS_SECRET_ACCESS_KEY.trim() };
  } else {
    if (!hasTerminal()) throw new AwsguardError('keys add: no terminal to ask for the key on; use --from-env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', ExitCode.noTerminal);
    const id = (await askOnTerminal(`Access key ID for ${name}: `)).trim();
    checkKeyId(id);
    const secret = (await askOnTerminal('Secret access key (not shown): ', { echo: false })).trim();
    keys = { accessKeyId: id, secretAccessKey: secret };
  }
  checkKeyId(keys.accessKeyId);
  if (!keys.secretAccessKey) throw new UsageError('keys add: the secret access key is empty');
  // A key that AWS does not accept is not worth keeping: ask STS whose it is first.
  const who = await getCallerIdentity(stepContext(k, name, config), keys);
  const store = await storeFor(k);
  const existing = store.get(name);
  if (existing?.rotation) throw new KeyStoreError(`a rotation of ${name} has not finished; run: awsguard keys rotate ${name} --resume`);
  const record: StoredKey = { version: 1, ...keys, addedAt: new Date(k.ctx.now()).toISOString(), arn: who.arn };
  store.set(name, record);
  updateKeyIndex(k.dataDir, name, indexEntry(store, record));
  if (existing && existing.accessKeyId !== keys.accessKeyId) forgetSessions(k, existing.accessKeyId);
  say(k, `stored ${keys.accessKeyId} (${who.arn}) for profile ${name} in ${store.description}${existing ? `, replacing ${existing.accessKeyId}` : ''}`);
  if (needsLine) {
    await appendProfile(paths.credentials, name);
    say(k, `added [${name}] to ${displayPath(paths.credentials)} with: credential_process = ${ownExportLine(name)}`);
  }
  return ExitCode.ok;
}

/** A new section at the end of the credentials file (made 0600 in a 0700 ~/.aws when missing). */
async function appendProfile(path: string, name: string): Promise<void> {
  const section = `[${name}]\ncredential_process = ${ownExportLine(name)}\n`;
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writePrivateFile(path, section);
    return;
  }
  const { replaceCredentialsFile } = await import('../keys/credentials-file.js');
  const before = readFileSync(path, 'utf8');
  const sep = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  replaceCredentialsFile(path, before, before + sep + section);
}

// ---- import ----

async function importKeys(k: Keys, names: string[]): Promise<number> {
  const { moveKeysOut, profilesWithKeys, backupCredentialsFile, replaceCredentialsFile } = await import('../keys/credentials-file.js');
  const path = configPaths(k.ctx.env).credentials;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KeyStoreError(`cannot read ${displayPath(path)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, ExitCode.config);
  }
  if (k.flags.all && names.length) throw new UsageError('keys import: give profile names or --all, not both');
  const chosen = k.flags.all ? profilesWithKeys(text, path) : names;
  if (!chosen.length) {
    if (k.flags.all) {
      say(k, `no long-term keys in ${displayPath(path)}: nothing to import`);
      return ExitCode.ok;
    }
    throw new UsageError('keys import: give profile names, or --all');
  }
  chosen.forEach((n) => one('import', [n]));
  // Every profile is checked before anything moves: a refusal leaves the file as it was.
  let after = text;
  const moved: Array<{ name: string; keys: KeyPair }> = [];
  for (const name of chosen) {
    const result = moveKeysOut(after, path, name);
    after = result.text;
    moved.push({ name, keys: result.keys });
  }
  const store = await storeFor(k);
  for (const { name, keys } of moved) {
    const existing = store.get(name);
    if (existing?.rotation) throw new KeyStoreError(`a rotation of ${name} has not finished; run: awsguard keys rotate ${name} --resume`);
    const record: StoredKey = { version: 1, ...keys, addedAt: new Date(k.ctx.now()).toISOString() };
    store.set(name, record);
    // Read back before the plaintext goes: the file is the only other copy.
    const back = store.get(name);
    if (back?.secretAccessKey !== keys.secretAccessKey) throw new KeyStoreError(`${store.description} did not keep the key of ${name}; ${displayPath(path)} was not changed`);
    updateKeyIndex(k.dataDir, name, indexEntry(store, record));
  }
  if (k.flags.backup) say(k, `a private copy of the file as it was: ${displayPath(backupCredentialsFile(path, k.dataDir, new Date(k.ctx.now())))} (it holds the keys in plaintext: delete it when you are sure)`);
  replaceCredentialsFile(path, text, after);
  for (const { name, keys } of moved) say(k, `moved ${keys.accessKeyId} of profile ${name} into ${store.description}`);
  say(k, `${displayPath(path)} now says, in ${moved.length === 1 ? 'that section' : 'each of those sections'}: credential_process = awsguard export -p NAME --format credential-process`);
  say(k, 'the AWS CLI, boto3 and the SDKs get short-lived sessions through it; awsguard reads the store directly');
  return ExitCode.ok;
}

// ---- list ----

interface Listed {
  name: string;
  access_key_id: string;
  backend: string;
  added: string;
  arn: string | null;
  created: string | null;
  status: string | null;
  last_used: string | null;
  last_service: string | null;
  rotating_from: string | null;
  iam_error: string | null;
}

async function list(k: Keys): Promise<number> {
  const index = readKeyIndex(k.dataDir);
  const rows: Listed[] = [];
  let store: KeyStore | undefined;
  const config = safeConfig(k.ctx.env);
  for (const [name, e] of index) {
    const row: Listed = {
      name,
      access_key_id: e.accessKeyId,
      backend: e.backend,
      added: e.addedAt,
      arn: e.arn ?? null,
      created: null,
      status: null,
      last_used: null,
      last_service: null,
      rotating_from: e.rotatingFrom ?? null,
      iam_error: null,
    };
    try {
      store ??= await storeFor(k, name);
      const record = store.backend === e.backend ? store.get(name) : (await storeFor(k, name)).get(name);
      if (record) {
        const { listAccessKeys, lastUsed } = await import('../keys/iam.js');
        const ctx = stepContext(k, name, config);
        // Last use first: the listing is itself a use of the key.
        const used = await lastUsed(ctx, record, record.accessKeyId);
        row.last_used = used.at?.toISOString() ?? null;
        row.last_service = used.service ?? null;
        const keys = await listAccessKeys(ctx, record);
        const mine = keys.find((x) => x.accessKeyId === record.accessKeyId);
        row.created = mine?.created?.toISOString() ?? null;
        row.status = mine?.status ?? null;
      } else row.iam_error = 'not in the store';
    } catch (err) {
      // IAM unreachable or refusing: the list still shows what is stored.
      row.iam_error = err instanceof AwsguardError ? err.message : String(err);
    }
    rows.push(row);
  }
  if (k.flags.json) {
    writeData(k.ctx.stdout, JSON.stringify(rows, null, 2) + '\n');
    return ExitCode.ok;
  }
  if (!rows.length) {
    say(k, 'no keys stored; add one with: awsguard keys add NAME, or move them out of ~/.aws/credentials with: awsguard keys import --all');
    return ExitCode.ok;
  }
  const now = k.ctx.now();
  const age = (iso: string | null) => (iso ? `${Math.floor((now - Date.parse(iso)) / 86_400_000)}d` : '-');
  k.ctx.stdout.write(
    renderTable(
      ['NAME', 'KEY ID', 'BACKEND', 'AGE', 'LAST USED', 'NOTE'],
      rows.map((r) => [
        r.name,
        r.access_key_id,
        r.backend,
        r.created ? age(r.created) : `${age(r.added)} stored`,
        r.last_used ? `${age(r.last_used)} ago${r.last_service ? ` (${r.last_service})` : ''}` : r.iam_error ? '-' : 'never',
        r.rotating_from ? `rotation unfinished (old ${r.rotating_from}): keys rotate ${r.name} --resume` : r.iam_error ? `IAM: ${r.iam_error}` : r.status === 'Inactive' ? 'Inactive' : '',
      ]),
      { color: false, width: k.ctx.stdout.isTTY ? k.ctx.stdout.columns : undefined, shrink: [5, 4] },
    ),
  );
  return ExitCode.ok;
}

function safeConfig(env: NodeJS.ProcessEnv): AwsConfig | undefined {
  try {
    return loadAwsConfig({ env });
  } catch {
    return undefined;
  }
}

// ---- remove ----

async function remove(k: Keys, name: string): Promise<number> {
  const store = await storeFor(k, name);
  const record = store.get(name);
  if (!record) throw new KeyStoreError(`no key is stored for profile "${name}"`, ExitCode.config);
  if (!k.flags.yes) {
    if (!hasTerminal()) throw new AwsguardError(`keys remove: no terminal to ask on; pass --yes to remove the key of ${name}`, ExitCode.noTerminal);
    const answer = await askOnTerminal(`Remove ${record.accessKeyId} of ${name} from ${store.description}? It stays valid in IAM. [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new PromptCancelled('nothing removed');
  }
  store.remove(name);
  updateKeyIndex(k.dataDir, name, undefined);
  const forgotten = forgetSessions(k, record.accessKeyId);
  say(k, `removed ${record.accessKeyId} of profile ${name} from ${store.description}${forgotten ? ` and ${forgotten} cached session${forgotten === 1 ? '' : 's'} made from it` : ''}`);
  say(k, `the key itself is still valid in IAM: deactivate or delete it there if it is no longer used`);
  const config = safeConfig(k.ctx.env);
  const line = str(config?.profiles.get(name), 'credential_process');
  if (line !== undefined && isOwnExportLine(line, name)) say(k, `profile ${name} still has its credential_process line, which fails until a key is added again (awsguard keys add ${name})`);
  return ExitCode.ok;
}

// ---- export-plaintext ----

async function exportPlaintext(k: Keys, name: string): Promise<number> {
  if (!hasTerminal()) throw new AwsguardError('keys export-plaintext: this prints a long-term secret and needs a typed confirmation on a terminal', ExitCode.noTerminal);
  const store = await storeFor(k, name);
  const record = store.get(name);
  if (!record) throw new KeyStoreError(`no key is stored for profile "${name}"`, ExitCode.config);
  const typed = await askOnTerminal(`This prints the long-term secret key of ${name} (${record.accessKeyId}) in plaintext. Type the profile name to go on: `);
  if (typed.trim() !== name) throw new AwsguardError('keys export-plaintext: the name typed does not match; nothing printed', ExitCode.refused);
  writeData(k.ctx.stdout, `[${name}]\naws_access_key_id = ${record.accessKeyId}\naws_secret_access_key = ${record.secretAccessKey}\n`);
  say(k, `the key is still stored; remove it with: awsguard keys remove ${name}`);
  return ExitCode.ok;
}

// ---- rotate ----

async function rotate(k: Keys, name: string): Promise<number> {
  const { rotateKey } = await import('../keys/rotate.js');
  const config = safeConfig(k.ctx.env);
  const store = await storeFor(k, name);
  const waitSeconds = k.flags.wait === undefined ? 120 : parseDuration(k.flags.wait);
  if (waitSeconds === undefined) throw new UsageError(`keys rotate: --wait: cannot read "${k.flags.wait}" (use e.g. 30s, 2m)`);
  const mfaSerial = str(config?.profiles.get(name), 'mfa_serial');
  const code = k.flags['mfa-code'];
  const terminal = hasTerminal();
  // Ctrl-C stops at the next safe point instead of killing awsguard between two IAM calls.
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) return;
    interrupted = true;
    say(k, 'Ctrl-C: stopping after the current step');
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await rotateKey({
      name,
      store,
      dataDir: k.dataDir,
      ctx: stepContext(k, name, config),
      ...(mfaSerial ? { mfaSerial } : {}),
      ...(code ? { mfaCode: async () => code } : terminal ? { mfaCode: (serial: string) => askOnTerminal(`MFA code for ${serial}: `, { echo: false }) } : {}),
      keepInactive: Boolean(k.flags['keep-inactive']),
      resume: Boolean(k.flags.resume),
      waitMs: waitSeconds * 1000,
      pollMs: 2000,
      progress: (text) => say(k, text),
      interrupted: () => interrupted,
      forgetSessions: (id) => forgetSessions(k, id),
      now: k.ctx.now,
    });
    say(
      k,
      `rotated ${name}: ${result.newKeyId} is stored and in use; ${result.oldKeyId} is ${result.deleted ? 'deleted' : 'Inactive (kept, as asked)'}; ${result.forgotten} cached session${result.forgotten === 1 ? '' : 's'} from the old key forgotten`,
    );
    return ExitCode.ok;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function forgetSessions(k: Keys, accessKeyId: string): number {
  return new SessionCache(xdgPaths(k.ctx.env).cacheDir, k.ctx.now).remove((e) => e.sourceKeyId === accessKeyId);
}
