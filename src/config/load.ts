/**
 * Reads the shared config and credentials files into the profile model the way botocore's
 * `Session.full_config` does: `raw_config_parse` on each file, `build_profile_map` on the
 * config file, then the credentials file's sections merged over the profiles of the same name.
 * A file botocore cannot parse is rejected whole, with its file and line.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { readIni } from './configparser.js';
import type { AwsConfig, FileKind, Profile, Section } from './model.js';
import { configPaths } from './paths.js';
import { join } from 'node:path';
import { xdgPaths } from '../paths.js';
import { ShlexError, shlexSplit } from './shlex.js';

type RawSections = Map<string, Section>;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads one file as `raw_config_parse` does; `undefined` when it is missing (not a regular file). */
export function readSections(path: string, kind: FileKind): RawSections | undefined {
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
    text = decoder.decode(bytes);
  } catch {
    throw new ConfigError(`not valid UTF-8 (at ${firstBadLine(bytes)}); the AWS CLI and boto3 cannot read it either`, path, firstBadLine(bytes));
  }
  return parseSections(text, path, kind);
}

/** The sections of one file's text, each with DEFAULT's options offered after its own. */
export function parseSections(text: string, path: string, kind: FileKind): RawSections {
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

const PLAIN_HEADER = /^([^ \t\r\n'"\\]+)[ \t\r\n]+([^ \t\r\n'"\\]+)[ \t\r\n]*$/;

/** `[profile NAME]` and `[sso-session NAME]`: two shell words after a prefix botocore only checks with startswith. */
function sectionName(header: string, prefix: string): string | undefined {
  if (!header.startsWith(prefix)) return undefined;
  // Nearly every header is `prefix NAME` with no quotes or escapes; shlex agrees on those.
  const plain = PLAIN_HEADER.exec(header);
  if (plain && plain[1] === prefix) return plain[2];
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

/** Where `awsguard sso sync` writes profiles: a file of awsguard's own, never the person's config. */
export function syncedProfilesFile(env: NodeJS.ProcessEnv): string {
  return join(xdgPaths(env).configDir, 'sso-profiles');
}

/** Synced profiles fill in names the person has not defined; the person's own always win. */
function addSyncedProfiles(config: AwsConfig, file: string): void {
  const sections = readSections(file, 'config');
  if (!sections) return;
  for (const [header, section] of sections) {
    const name = sectionName(header, 'profile');
    if (name === undefined || config.profiles.has(name)) continue;
    config.profiles.set(name, { name, settings: section.settings, origin: section.origin, fromConfig: section.settings, fromCredentials: undefined });
  }
}

export function buildConfig(
  configFile: string,
  configSections: RawSections | undefined,
  credentialsFile: string,
  credentialSections: RawSections | undefined,
): AwsConfig {
  const profiles = new Map<string, Profile>();
  const ssoSessions = new Map<string, Section>();
  const services = new Map<string, Section>();
  const asProfile = (name: string, section: Section, kind: FileKind): Profile => ({
    name,
    settings: section.settings,
    origin: section.origin,
    fromConfig: kind === 'config' ? section.settings : undefined,
    fromCredentials: kind === 'credentials' ? section.settings : undefined,
  });

  for (const [header, section] of configSections ?? []) {
    let name: string | undefined;
    if (header.startsWith('profile')) {
      name = sectionName(header, 'profile');
      // A later [profile x] replaces an earlier [x]-style entry whole, keeping its place in the order.
      if (name !== undefined) profiles.set(name, asProfile(name, section, 'config'));
    } else if (header.startsWith('sso-session')) {
      name = sectionName(header, 'sso-session');
      if (name !== undefined) ssoSessions.set(name, { ...section, name });
    } else if (header === 'default') {
      profiles.set(header, asProfile(header, section, 'config'));
    } else if (header.startsWith('services')) {
      // Newer botocore reads [services NAME] for endpoint overrides; 1.29 keeps them as plain sections.
      name = sectionName(header, 'services');
      if (name !== undefined) services.set(name, { ...section, name });
    }
  }
  for (const [name, section] of credentialSections ?? []) {
    const existing = profiles.get(name);
    if (!existing) {
      profiles.set(name, asProfile(name, section, 'credentials'));
      continue;
    }
    // dict.update: keys already there keep their place, new ones are appended.
    const merged = new Map(existing.settings);
    for (const [key, setting] of section.settings) merged.set(key, setting);
    existing.settings = merged;
    existing.fromCredentials = section.settings;
  }
  return { configFile, credentialsFile, profiles, ssoSessions, services };
}
