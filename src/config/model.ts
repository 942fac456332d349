/** The profile model: what botocore would see, plus where every setting came from. */

export type FileKind = 'config' | 'credentials';

export interface Origin {
  file: string;
  kind: FileKind;
  line: number;
}

/** A value is a string, or for a nested sub-section (`s3 =` + indented lines) a map of strings. */
export type SettingValue = string | Map<string, string>;

/** One file read; shared by all of its settings so a 10,000-profile file allocates little. */
export interface SourceFile {
  path: string;
  kind: FileKind;
}

export interface Setting {
  value: SettingValue;
  file: SourceFile;
  line: number;
}

/** Read-only: the reader may build a section's settings only when they are first read. */
export interface Section {
  readonly name: string;
  readonly settings: ReadonlyMap<string, Setting>;
  /** Where the section header is (the first file that declared it). */
  readonly origin: Origin;
}

export interface Profile extends Section {
  /** What each file gave this profile before merging: botocore's providers look at one file each. */
  readonly fromConfig: ReadonlyMap<string, Setting> | undefined;
  readonly fromCredentials: ReadonlyMap<string, Setting> | undefined;
}

export interface AwsConfig {
  configFile: string;
  credentialsFile: string;
  /** In botocore's `available_profiles` order. */
  profiles: Map<string, Profile>;
  ssoSessions: Map<string, Section>;
  services: Map<string, Section>;
}

/** A string setting of a profile; nested sub-sections are not strings and give `undefined`. */
export function str(section: Section | undefined, key: string): string | undefined {
  const v = section?.settings.get(key)?.value;
  return typeof v === 'string' ? v : undefined;
}

export function has(section: Section | undefined, key: string): boolean {
  return section?.settings.has(key) ?? false;
}

/** `file:line` of a setting, or of the section when the setting is absent. */
export function whereIs(section: Section, key?: string): [string, number] {
  const s = key === undefined ? undefined : section.settings.get(key);
  return s ? [s.file.path, s.line] : [section.origin.file, section.origin.line];
}

/** Plain JSON for a settings map, nested sub-sections as objects; any key is data, `__proto__` included. */
export function settingsToJSON(settings: ReadonlyMap<string, Setting>, redact: (key: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, { value }] of settings) {
    if (typeof value === 'string') putData(out, key, redact(key) ? '<redacted>' : value);
    else {
      const nested: Record<string, string> = {};
      for (const [k, v] of value) putData(nested, k, redact(k) ? '<redacted>' : v);
      putData(out, key, nested);
    }
  }
  return out;
}

/**
 * Sets `key` on a plain object as an own data property, whatever the key. Plain objects rather
 * than null-prototype ones: V8 keeps a null-prototype object in dictionary mode, which costs
 * several times as much to fill and to stringify, ten thousand times over in `profiles --json`.
 * Only `__proto__` is special on a plain object (assigning it sets the prototype): it is defined.
 */
export function putData<T>(object: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** Settings that are secrets: never printed, logged or written anywhere but the AWS files themselves. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['aws_secret_access_key', 'aws_session_token', 'aws_security_token']);
export const isSecretKey = (key: string): boolean => SECRET_KEYS.has(key);
