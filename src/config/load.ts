/**
 * Reads the shared config and credentials files into the profile model the way botocore's
 * `Session.full_config` does: `raw_config_parse` on each file, `build_profile_map` on the
 * config file, then the credentials file's sections merged over the profiles of the same name.
 * A file botocore cannot parse is rejected whole, with its file and line.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { IniFile, readIni } from './configparser.js';
import type { AwsConfig, FileKind, Origin, Profile, Section, Setting } from './model.js';
import { configPaths } from './aws-file-paths.js';
import { join } from 'node:path';
import { xdgPaths } from '../xdg-dirs.js';
import { ShlexError, shlexSplit } from './shlex.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Each file's text as last read, when it is the file's text as it is (without a \r, which the
 * reader makes a \n). The AWS SDK reads the shared config files again for its own settings;
 * credentials/aws-clients.ts hands it these instead, so a big config is not held twice (at
 * 50,000 profiles the SDK's copies were 30 MiB of doctor's peak).
 */
const textsRead = new Map<string, string>();

export function fileTextsRead(): ReadonlyMap<string, string> {
  return textsRead;
}

/** Reads one file as `raw_config_parse` does; `undefined` when it is missing (not a regular file). */
export function readSections(path: string, kind: FileKind): IniFile | undefined {
  textsRead.delete(path);
  let bytes: Buffer;
  try {
    if (!statSync(path).isFile()) return undefined;
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigError(`cannot read: ${(err as Error).message.replace(/^[A-Z]+: /, '')}`, path);
  }
  let text: string;
  try {
    // ASCII is its own UTF-8, and Latin-1 decoding is a plain copy.
    text = isAscii(bytes) ? bytes.toString('latin1') : decoder.decode(bytes);
  } catch {
    throw new ConfigError(`not valid UTF-8 (at ${firstBadLine(bytes)}); the AWS CLI and boto3 cannot read it either`, path, firstBadLine(bytes));
  }
  const ini = parseSections(text, path, kind);
  // The reader keeps the text itself when it had no \r to turn into \n.
  if (ini.text === text) textsRead.set(path, text);
  return ini;
}

/** The sections of one file's text, each with DEFAULT's options offered after its own. */
export function parseSections(text: string, path: string, kind: FileKind): IniFile {
  return readIni(text, path, kind);
}

function firstBadLine(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return 1;
}

/** A shell word with nothing for shlex to undo: no whitespace, quotes or backslashes. */
const PLAIN_WORD = /^[^ \t\r\n'"\\]+$/;

/** `[profile NAME]` and `[sso-session NAME]`: two shell words after a prefix botocore only checks with startswith. */
function sectionName(header: string, prefix: string): string | undefined {
  if (!header.startsWith(prefix)) return undefined;
  // Nearly every header is `prefix NAME` with one space and a plain NAME; shlex agrees on those.
  if (header.charCodeAt(prefix.length) === 0x20) {
    const name = header.slice(prefix.length + 1);
    if (PLAIN_WORD.test(name)) return name;
  }
  let parts: string[];
  try {
    parts = shlexSplit(header);
  } catch (err) {
    if (err instanceof ShlexError) return undefined;
    throw err;
  }
  return parts.length === 2 ? parts[1] : undefined;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
}

export function loadAwsConfig(options: LoadOptions = {}): AwsConfig {
  const env = options.env ?? process.env;
  const paths = configPaths(env);
  const config = buildConfig(paths.config, readSections(paths.config, 'config'), paths.credentials, readSections(paths.credentials, 'credentials'));
  addSyncedProfiles(config, syncedProfilesFile(env));
  return config;
}

/** The files each config was read from, for releaseSettings. */
const filesOf = new WeakMap<AwsConfig, IniFile[]>();

/**
 * Lets go of every section's settings built so far (a profile in both files keeps its merge);
 * they are built again, the same, when next read. For a pass over all profiles that needs each
 * only once.
 */
export function releaseSettings(config: AwsConfig): void {
  for (const ini of filesOf.get(config) ?? []) ini.releaseSettings();
}

/** How many profiles a pass reads between two releases: the settings of a few hundred die young, in V8's young generation. */
const PASS_CHUNK = 256;

/**
 * A config's profiles for a pass that reads each once or twice and keeps nothing of its
 * settings (doctor's checks). Every few hundred profiles the settings built so far are let go,
 * so they die young instead of all living to the end of the pass: at 50,000 profiles, a pass
 * that kept them grew the heap by about 25 MiB. A profile read again is built again, the same.
 */
export function* eachProfile(config: AwsConfig): Generator<[string, Profile]> {
  let n = 0;
  for (const entry of config.profiles) {
    yield entry;
    if (++n % PASS_CHUNK === 0) releaseSettings(config);
  }
  releaseSettings(config);
}

/** Where `awsguard sso sync` writes profiles: a file of awsguard's own, never the person's config. */
export function syncedProfilesFile(env: NodeJS.ProcessEnv): string {
  return join(xdgPaths(env).configDir, 'sso-profiles');
}

/** Synced profiles fill in names the person has not defined; the person's own always win. */
function addSyncedProfiles(config: AwsConfig, file: string): void {
  const ini = readSections(file, 'config');
  if (!ini) return;
  for (let i = 0; i < ini.size; i++) {
    const name = sectionName(ini.headers[i]!, 'profile');
    if (name === undefined || config.profiles.has(name)) continue;
    config.profiles.set(name, new FileProfile(name, ini, i));
  }
  filesOf.get(config)?.push(ini);
}

/**
 * A profile as botocore's `full_config` has it: a section of the config file with the
 * credentials file's section of the same name merged over it, or either alone. The merge is
 * made when first read, like the sections' settings. One of these per profile, so it is small.
 */
class FileProfile implements Profile {
  // Declared, not defined, fields: a class field definition costs a call per object, and a
  // 10,000-profile config makes 10,000 of these while nothing is optimised yet.
  declare readonly name: string;
  /** The file that declared the profile first: the config file, or the credentials file alone. */
  private declare readonly ini: IniFile;
  private declare readonly at: number;
  private declare credentials: CredentialsPart | undefined;
  /** A profile in both files: the merged settings once read (the chain resolver reads them many times). */
  private declare cache: ReadonlyMap<string, Setting> | undefined;

  constructor(name: string, ini: IniFile, at: number) {
    this.name = name;
    this.ini = ini;
    this.at = at;
    this.credentials = undefined;
    this.cache = undefined;
  }

  get origin(): Origin {
    return this.ini.origin(this.at);
  }

  get fromConfig(): ReadonlyMap<string, Setting> | undefined {
    return this.ini.file.kind === 'config' ? this.ini.settings(this.at) : undefined;
  }

  get fromCredentials(): ReadonlyMap<string, Setting> | undefined {
    if (this.ini.file.kind === 'credentials') return this.ini.settings(this.at);
    return this.credentials?.ini.settings(this.credentials.at);
  }

  get settings(): ReadonlyMap<string, Setting> {
    const credentials = this.credentials;
    // A section of one file is kept by its IniFile (and released with it); only a merge is kept here.
    if (credentials === undefined) return this.ini.settings(this.at);
    return (this.cache ??= merge(this.ini.settings(this.at), credentials.ini.settings(credentials.at)));
  }

  addCredentials(ini: IniFile, at: number): void {
    this.credentials = { ini, at };
    this.cache = undefined;
  }
}

/** dict.update: keys already there keep their place, new ones are appended. */
function merge(base: ReadonlyMap<string, Setting>, over: ReadonlyMap<string, Setting>): ReadonlyMap<string, Setting> {
  if (over.size === 0) return base;
  const merged = new Map(base);
  for (const [key, setting] of over) merged.set(key, setting);
  return merged;
}

/** The credentials file's section of a profile the config file declares too. */
interface CredentialsPart {
  ini: IniFile;
  at: number;
}

/** The profile a header of the config file declares: `[profile NAME]`, `[default]`. */
function profileHeaderName(header: string): string | undefined {
  if (header.startsWith('profile')) {
    // `profile NAME` with a plain NAME is nearly every header of a big config: sectionName's
    // fast path, inline.
    const plain = header.charCodeAt(7) === 0x20 ? header.slice(8) : '';
    return PLAIN_WORD.test(plain) ? plain : sectionName(header, 'profile');
  }
  return header === 'default' ? header : undefined;
}

/**
 * The names of the profiles `loadAwsConfig` makes, in no particular order, without making them:
 * `profiles --names` (shell completion, at every Tab) needs only these, and at ten thousand
 * profiles making them costs about as much as checking the files, which is still done whole.
 */
export function loadProfileNames(options: LoadOptions = {}): string[] {
  const env = options.env ?? process.env;
  const paths = configPaths(env);
  const config = readSections(paths.config, 'config');
  const credentials = readSections(paths.credentials, 'credentials');
  const names = new Set<string>();
  for (const header of config?.headers ?? []) {
    const name = profileHeaderName(header);
    if (name !== undefined) names.add(name);
  }
  for (const header of credentials?.headers ?? []) names.add(header);
  for (const header of readSections(syncedProfilesFile(env), 'config')?.headers ?? []) {
    const name = sectionName(header, 'profile');
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

export function buildConfig(configFile: string, config: IniFile | undefined, credentialsFile: string, credentials: IniFile | undefined): AwsConfig {
  const profiles = new Map<string, FileProfile>();
  const ssoSessions = new Map<string, Section>();
  const services = new Map<string, Section>();

  const headers = config?.headers ?? [];
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    let name = profileHeaderName(header);
    if (name !== undefined) {
      // A later [profile x] replaces an earlier [x]-style entry whole, keeping its place in the order.
      profiles.set(name, new FileProfile(name, config!, i));
    } else if (header.startsWith('sso-session')) {
      name = sectionName(header, 'sso-session');
      if (name !== undefined) ssoSessions.set(name, config!.section(i, name));
    } else if (header.startsWith('services')) {
      // Newer botocore reads [services NAME] for endpoint overrides; 1.29 keeps them as plain sections.
      name = sectionName(header, 'services');
      if (name !== undefined) services.set(name, config!.section(i, name));
    }
  }
  for (let i = 0; i < (credentials?.size ?? 0); i++) {
    const name = credentials!.headers[i]!;
    const existing = profiles.get(name);
    if (existing) existing.addCredentials(credentials!, i);
    else profiles.set(name, new FileProfile(name, credentials!, i));
  }
  const built = { configFile, credentialsFile, profiles, ssoSessions, services };
  filesOf.set(built, [config, credentials].filter((ini): ini is IniFile => ini !== undefined));
  return built;
}
