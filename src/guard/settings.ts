/**
 * awsguard's own settings: the file named by $AWSGUARD_CONFIG, or <configDir>/config.ini
 * (~/.config/awsguard/config.ini). fixtures/settings/example.ini is a commented example.
 *
 *   [protect]
 *   ; accounts that always need a typed confirmation (comma or space separated)
 *   accounts = 333333333333 444444444444
 *   ; words that mark a profile name or account alias as protected (case-insensitive, whole words;
 *   ; `pre-prod` matches the words pre, prod in that order). An empty value protects by account only.
 *   patterns = prod production prd live
 *   [aliases]
 *   ; account id = alias, for roles that may not call iam:ListAccountAliases
 *   555555555555 = acme-partner
 *   [pins]
 *   ; profile = the only account it may reach
 *   prod.admin = 333333333333
 *   [defaults]
 *   region = eu-west-1
 *   duration = 1h
 *   [server]
 *   ; profiles that always run with the refreshing credentials server
 *   profiles = long-jobs
 *   [console]
 *   ; how `awsguard console` opens the browser (default: $BROWSER, else xdg-open/open/wslview)
 *   browser = firefox-container
 *   [mfa]
 *   ; MFA codes from a YubiKey: `ykman oath accounts code --single NAME` (a profile's
 *   ; mfa_process or mfa_ykman_account wins over it)
 *   ykman = aws-alice
 *   [keys]
 *   ; where `awsguard keys` keeps long-term keys: auto (the OS keychain when one answers, else
 *   ; the encrypted file), keychain, or file
 *   backend = auto
 *   ; doctor warns about keys older than this many days (CIS 1.14) or unused this long (CIS 2.11)
 *   max_age_days = 90
 *   unused_days = 45
 *   [network]
 *   ; how long to wait for AWS (s or ms), and how often to try again
 *   connect_timeout = 5s
 *   request_timeout = 30s
 *   attempts = 3
 *   throttle_attempts = 5
 *   ; the bases of the exponential backoff (the SDK's own: 50ms and 1s)
 *   retry_delay = 50ms
 *   throttle_delay = 1s
 *
 * One reader, line by line, so every error names its line. It reads values as the `ini` package
 * does (quotes, `;`/`#` comments after a value, `\;` `\#` `\\` escapes), but refuses what `ini`
 * would quietly accept (a typo'd section, a line with no `=`, an indented header that would
 * become a key): a guard that quietly forgets its rules is worse than none. A section name is
 * taken whole, dots and all (`ini` would split `[a.b]` into a → b); profile names, which may
 * have dots, only ever appear as keys.
 */
import { lstatSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_NETWORK, type NetworkSettings } from '../credentials/network.js';
import { ConfigError, displayPath } from '../errors.js';
import { xdgPaths } from '../xdg-dirs.js';
import { closest } from '../suggest.js';

export interface GuardSettings {
  /** The file read; undefined when there was none and everything is a default. */
  file: string | undefined;
  /** [protect] accounts: always protected, whatever they are called. */
  protectedAccounts: ReadonlySet<string>;
  /** [protect] unprotected: accounts declared unprotected when their alias cannot be learned. */
  unprotectedAccounts: ReadonlySet<string>;
  /** [protect] confirm_window: how long a typed confirmation holds for `export` (0: ask every time). */
  confirmWindowSeconds: number;
  /** [protect] patterns, lower-cased; DEFAULT_PATTERNS when the key is absent. */
  patterns: readonly string[];
  /** [aliases]: account id → alias, winning over IAM's. */
  aliases: ReadonlyMap<string, string>;
  /** [pins]: profile → the only account it may reach. */
  pins: ReadonlyMap<string, string>;
  /** `ykmanAccount` is [mfa] ykman: carried with the defaults because it, too, only feeds credential resolution. */
  defaults: { region?: string; durationSeconds?: number; ykmanAccount?: string; keysBackend?: KeysBackendSetting };
  /** [server] profiles. */
  serverProfiles: ReadonlySet<string>;
  /** [console]: how `awsguard console` opens the browser. */
  console?: { browser?: string };
  /** [keys]: where long-term keys are stored, and when doctor calls them old or unused. */
  keys: { backend: KeysBackendSetting; maxAgeDays: number; unusedDays: number };
  /** [network]: timeouts and retries for every call to AWS; DEFAULT_NETWORK where unset. */
  network: NetworkSettings;
}

export type KeysBackendSetting = 'auto' | 'keychain' | 'file';
const KEYS_BACKENDS: readonly KeysBackendSetting[] = ['auto', 'keychain', 'file'];
/** CIS AWS Foundations: rotate keys every 90 days (1.14 / 2.12), disable keys unused for 45 (2.11). */
export const DEFAULT_KEY_MAX_AGE_DAYS = 90;
export const DEFAULT_KEY_UNUSED_DAYS = 45;

export const DEFAULT_PATTERNS: readonly string[] = ['prod', 'production', 'prd', 'live'];

/** A burst of AWS CLI calls through `credential_process = awsguard export ...` asks once. */
export const DEFAULT_CONFIRM_WINDOW_SECONDS = 300;

/** Where the settings are read from. An empty AWSGUARD_CONFIG counts as unset. */
export function settingsFile(env: NodeJS.ProcessEnv): string {
  return env.AWSGUARD_CONFIG || join(xdgPaths(env).configDir, 'config.ini');
}

/**
 * The settings decide which accounts are protected, so whoever can write them can relabel
 * production or empty the patterns. They are trusted only when the person (or root) owns the
 * file, the directory it lives in, and any link on the way to it, and nobody else can write
 * any of them. Reading is not the concern: the file holds no secret.
 */
export function settingsPrivacyProblem(file: string): { detail: string; fix: string } | undefined {
  const me = typeof process.getuid === 'function' ? process.getuid() : -1;
  const shown = displayPath(file);
  const trusted = (st: Stats) => me === -1 || st.uid === me || st.uid === 0;
  const writableByOthers = (st: Stats) => (st.mode & 0o022) !== 0;
  const link = lstatSync(file);
  if (link.isSymbolicLink()) {
    if (!trusted(link)) return { detail: `it is a symbolic link owned by another user (uid ${link.uid})`, fix: `remove the link and put your own file at ${shown}` };
  }
  const real = realpathSync(file);
  const st = statSync(real);
  const where = real === file ? shown : `${shown} (a link to ${displayPath(real)})`;
  if (!st.isFile()) return { detail: `${where} ${st.isDirectory() ? 'it is a directory' : 'is not a regular file'}`, fix: 'point AWSGUARD_CONFIG at a file' };
  if (!trusted(st)) return { detail: `${where} belongs to another user (uid ${st.uid})`, fix: `copy it to a file of your own and run: chmod 600 FILE` };
  if (writableByOthers(st)) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    return { detail: `others can write ${where} (mode ${mode})`, fix: `run: chmod go-w ${displayPath(real)}` };
  }
  const dir = statSync(dirname(real));
  // A sticky directory (/tmp) keeps others from replacing a file they do not own.
  const stickyDir = (dir.mode & 0o1000) !== 0;
  if (!trusted(dir)) return { detail: `its directory ${displayPath(dirname(real))} belongs to another user (uid ${dir.uid})`, fix: 'keep the settings in a directory of your own' };
  if (writableByOthers(dir) && !stickyDir) {
    const mode = (dir.mode & 0o777).toString(8).padStart(4, '0');
    return { detail: `others can write its directory ${displayPath(dirname(real))} (mode ${mode}) and replace the file`, fix: `run: chmod go-w ${displayPath(dirname(real))}` };
  }
  return undefined;
}

export function loadSettings(env: NodeJS.ProcessEnv): GuardSettings {
  const file = settingsFile(env);
  let text: string;
  try {
    const problem = settingsPrivacyProblem(file);
    if (problem) throw new ConfigError(`refusing to use the awsguard settings: ${problem.detail}; they decide which accounts are protected. To fix: ${problem.fix}`, file);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    // No file at the default place is the normal first run. A file named on purpose that is
    // missing is a mistake: the person expected rules to be in force.
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !env.AWSGUARD_CONFIG) return parseSettings('', undefined);
    const why = code === 'ENOENT' ? 'no such file (named by AWSGUARD_CONFIG)' : code === 'EISDIR' ? 'it is a directory' : (code ?? (err as Error).message);
    throw new ConfigError(`cannot read awsguard settings: ${why}`, file);
  }
  return parseSettings(text, file);
}

/** `3600`, `90m`, `1h`, `1h30m`, `2h5m10s` → seconds; undefined when unreadable or zero. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  let seconds: number;
  if (/^\d+$/.test(s)) seconds = Number(s);
  else {
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(s);
    if (!m || s === '') return undefined;
    seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  }
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** `5s`, `1.5s`, `250ms`, `2m`, or plain seconds → milliseconds; undefined when unreadable or zero. */
export function parseMillis(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000));
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

// ---- the format ----

type KeyRule = (value: string) => string | undefined; // an error message, or undefined when fine

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;
/** Typed to confirm and passed as `--confirm ALIAS`: no spaces or shell-special characters. */
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * One word, or words joined by `-`, `_` or `.` (matched as that sequence of words). Made when a
 * settings file names patterns: a literal with Unicode properties costs every start a fraction
 * of a millisecond.
 */
let pattern: RegExp | undefined;
const isPattern = (w: string) => (pattern ??= /^[\p{L}\p{N}]+(?:[-_.][\p{L}\p{N}]+)*$/u).test(w);

/** Comma or space separated. */
export const listOf = (value: string): string[] => value.split(/[\s,]+/).filter(Boolean);

const accountList: KeyRule = (v) => {
  const bad = listOf(v).find((w) => !ACCOUNT_ID.test(w));
  return bad === undefined ? undefined : `account ids are 12 digits, not ${JSON.stringify(bad)}`;
};
const patternList: KeyRule = (v) => {
  const bad = listOf(v).find((w) => !isPattern(w));
  return bad === undefined ? undefined : `a pattern is a word (letters and digits, or words joined by - _ .), not ${JSON.stringify(bad)}`;
};
const oneAccount: KeyRule = (v) => (ACCOUNT_ID.test(v) ? undefined : `expected a 12-digit account id, not ${JSON.stringify(v)}`);
const alias: KeyRule = (v) => (ALIAS.test(v) ? undefined : `an alias is typed to confirm: letters, digits, '.', '_' and '-' only, not ${JSON.stringify(v)}`);
const region: KeyRule = (v) => (REGION.test(v) ? undefined : `not a region name like eu-west-1: ${JSON.stringify(v)}`);
const duration: KeyRule = (v) => (parseDuration(v) !== undefined ? undefined : `cannot read the duration ${JSON.stringify(v)} (use e.g. 15m, 1h, 1h30m, 3600)`);
const window: KeyRule = (v) => (v.trim() === '0' || parseDuration(v) !== undefined ? undefined : `cannot read the duration ${JSON.stringify(v)} (use e.g. 5m, 90s, or 0 to ask every time)`);
const nameList: KeyRule = () => undefined;
const keysBackend: KeyRule = (v) => ((KEYS_BACKENDS as readonly string[]).includes(v.trim()) ? undefined : `expected ${KEYS_BACKENDS.join(', ')}, not ${JSON.stringify(v)}`);
const days: KeyRule = (v) => (/^\s*[1-9]\d{0,4}\s*$/.test(v) ? undefined : `expected a number of days (1 to 99999), not ${JSON.stringify(v)}`);
const millis: KeyRule = (v) => (parseMillis(v) !== undefined ? undefined : `cannot read the time ${JSON.stringify(v)} (use e.g. 5s, 1.5s, 250ms)`);
const attempts: KeyRule = (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 20 ? undefined : `expected a number of attempts from 1 to 20, not ${JSON.stringify(v)}`);
/** `[console] browser`: read by console/browser.ts; checked here so a typo is an error at its line. */
const consoleBrowser: KeyRule = (v) =>
  /^(?:firefox-container|chrome-profile:\S.*|command:\S.*)$/.test(v.trim())
    ? undefined
    : `expected firefox-container, chrome-profile:NAME or command:TEMPLATE (with {url_file}), not ${JSON.stringify(v)}`;
// Passed to ykman as one argument (never through a shell); a name with a newline is a typo.
const oathAccount: KeyRule = (v) => (v !== '' && !/[\0-\x1f]/.test(v) ? undefined : `an OATH account name, as \`ykman oath accounts list\` shows it, not ${JSON.stringify(v)}`);

interface SectionRule {
  /** Fixed keys and their rules... */
  keys?: Record<string, KeyRule>;
  /** ...or any key that passes `key`, with one rule for every value. */
  anyKey?: { key: (k: string) => string | undefined; value: KeyRule };
}

const SECTIONS: Record<string, SectionRule> = {
  protect: { keys: { accounts: accountList, patterns: patternList, unprotected: accountList, confirm_window: window } },
  aliases: { anyKey: { key: (k) => (ACCOUNT_ID.test(k) ? undefined : `keys in [aliases] are 12-digit account ids, not ${JSON.stringify(k)}`), value: alias } },
  pins: { anyKey: { key: () => undefined, value: oneAccount } },
  defaults: { keys: { region, duration } },
  server: { keys: { profiles: nameList } },
  console: { keys: { browser: consoleBrowser } },
  mfa: { keys: { ykman: oathAccount } },
  keys: { keys: { backend: keysBackend, max_age_days: days, unused_days: days } },
  network: { keys: { connect_timeout: millis, request_timeout: millis, attempts, throttle_attempts: attempts, retry_delay: millis, throttle_delay: millis } },
};

/**
 * Characters INI readers take specially in a key (`;`/`#` start a comment, `[]` makes an array,
 * quotes and `\` are unescaped): a profile name with one of them cannot be written as a key here.
 */
const UNSAFE_KEY = /[;#[\]"'\\]/;

interface Entry {
  line: number;
  value: string;
}

export function parseSettings(text: string, file: string | undefined): GuardSettings {
  const fail = (line: number, detail: string): never => {
    throw new ConfigError(detail, file, line);
  };
  const entries = new Map<string, Map<string, Entry>>();
  let section: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (/^\s*$/.test(raw) || /^\s*[;#]/.test(raw)) return;
    if (/^\s*\[/.test(raw)) {
      const header = /^\[([^\]]*)\]\s*$/.exec(raw);
      if (!header) {
        fail(line, /^\s+\[/.test(raw) ? 'a [section] header must start at the beginning of its line' : `a [section] header stands alone on its line: ${JSON.stringify(raw.trim())}`);
      }
      const name = header![1]!.trim();
      if (!Object.hasOwn(SECTIONS, name)) {
        const near = closest(name, Object.keys(SECTIONS), 1);
        fail(line, `unknown section [${name}]${near.length ? ` (did you mean [${near[0]}]?)` : ''}; known: ${Object.keys(SECTIONS).map((s) => `[${s}]`).join(' ')}`);
      }
      section = name;
      if (!entries.has(name)) entries.set(name, new Map());
      return;
    }
    const eq = raw.indexOf('=');
    if (eq === -1) fail(line, `expected "key = value" or a [section], found ${JSON.stringify(raw.trim())}`);
    if (section === undefined) fail(line, 'a setting before any [section]');
    const rawKey = raw.slice(0, eq).trim();
    if (rawKey === '') fail(line, 'a setting with no name before "="');
    if (UNSAFE_KEY.test(rawKey) || rawKey === '__proto__') fail(line, `${JSON.stringify(rawKey)} cannot be a key here (; # [ ] quotes and \\ have other meanings in this file)`);
    const key = rawKey;
    const value = readValue(raw.slice(eq + 1));
    if (typeof value !== 'string') return fail(line, `[${section}] ${key}: cannot be read unambiguously (${value.why})`);
    const rule = SECTIONS[section!]!;
    let check: KeyRule;
    if (rule.keys) {
      const known = rule.keys[key];
      if (!known) {
        const near = closest(key, Object.keys(rule.keys), 1);
        return fail(line, `unknown setting "${key}" in [${section}]${near.length ? ` (did you mean ${near[0]}?)` : ''}; known: ${Object.keys(rule.keys).join(', ')}`);
      }
      check = known;
    } else {
      const bad = rule.anyKey!.key(key);
      if (bad) fail(line, bad);
      check = rule.anyKey!.value;
    }
    const problem = check(value);
    if (problem) fail(line, `[${section}] ${key}: ${problem}`);
    const seen = entries.get(section!)!;
    const earlier = seen.get(key);
    if (earlier) fail(line, `[${section}] ${key} is set twice (first on line ${earlier.line})`);
    seen.set(key, { line, value });
  });

  const get = (sectionName: string, key: string): string | undefined => entries.get(sectionName)?.get(key)?.value;
  const keysOf = (sectionName: string) => [...(entries.get(sectionName)?.keys() ?? [])];

  const patterns = get('protect', 'patterns');
  const protectedAccounts = new Set(listOf(get('protect', 'accounts') ?? ''));
  const unprotected = get('protect', 'unprotected');
  const unprotectedAccounts = new Set(listOf(unprotected ?? ''));
  const both = [...unprotectedAccounts].find((id) => protectedAccounts.has(id));
  if (both) fail(entries.get('protect')!.get('unprotected')!.line, `[protect] account ${both} is listed both under accounts and unprotected; keep one`);
  const windowText = get('protect', 'confirm_window');
  const defaults: GuardSettings['defaults'] = {};
  const defaultRegion = get('defaults', 'region');
  if (defaultRegion !== undefined) defaults.region = defaultRegion;
  const defaultDuration = get('defaults', 'duration');
  if (defaultDuration !== undefined) defaults.durationSeconds = parseDuration(defaultDuration)!;
  const ykman = get('mfa', 'ykman');
  if (ykman !== undefined) defaults.ykmanAccount = ykman;
  const backend = get('keys', 'backend')?.trim() as KeysBackendSetting | undefined;
  if (backend !== undefined) defaults.keysBackend = backend;
  const maxAge = get('keys', 'max_age_days');
  const unused = get('keys', 'unused_days');
  return {
    file,
    protectedAccounts,
    unprotectedAccounts,
    confirmWindowSeconds: windowText === undefined ? DEFAULT_CONFIRM_WINDOW_SECONDS : windowText.trim() === '0' ? 0 : parseDuration(windowText)!,
    patterns: patterns === undefined ? DEFAULT_PATTERNS : listOf(patterns).map((p) => p.toLowerCase()),
    aliases: new Map(keysOf('aliases').map((id) => [id, get('aliases', id)!])),
    pins: new Map(keysOf('pins').map((profile) => [profile, get('pins', profile)!])),
    defaults,
    serverProfiles: new Set(listOf(get('server', 'profiles') ?? '')),
    ...consoleSettings(get('console', 'browser')),
    keys: {
      backend: backend ?? 'auto',
      maxAgeDays: maxAge === undefined ? DEFAULT_KEY_MAX_AGE_DAYS : Number(maxAge.trim()),
      unusedDays: unused === undefined ? DEFAULT_KEY_UNUSED_DAYS : Number(unused.trim()),
    },
    network: networkSettings((key) => get('network', key)),
  };
}

function networkSettings(get: (key: string) => string | undefined): NetworkSettings {
  const time = (key: string, fallback: number) => {
    const v = get(key);
    return v === undefined ? fallback : parseMillis(v)!;
  };
  const count = (key: string, fallback: number) => {
    const v = get(key);
    return v === undefined ? fallback : Number(v.trim());
  };
  return {
    connectTimeoutMs: time('connect_timeout', DEFAULT_NETWORK.connectTimeoutMs),
    requestTimeoutMs: time('request_timeout', DEFAULT_NETWORK.requestTimeoutMs),
    attempts: count('attempts', DEFAULT_NETWORK.attempts),
    throttleAttempts: count('throttle_attempts', DEFAULT_NETWORK.throttleAttempts),
    retryDelayMs: time('retry_delay', DEFAULT_NETWORK.retryDelayMs),
    throttleDelayMs: time('throttle_delay', DEFAULT_NETWORK.throttleDelayMs),
  };
}

/**
 * A value as the `ini` package reads it: trimmed; in quotes, JSON-unquoted (single quotes
 * stripped first); otherwise up to the first `;` or `#` that is not escaped, with `\;`, `\#` and
 * `\\` unescaped. A quoted value that is JSON for a list or an object has no one text.
 */
function readValue(raw: string): string | { why: string } {
  // A line or paragraph separator ends a line for some readers and not for others.
  if (/[\u2028\u2029]/.test(raw)) return { why: 'it holds a line separator (U+2028 or U+2029)' };
  const v = raw.trim();
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
    const inner = v.startsWith("'") ? v.slice(1, -1) : v;
    let parsed: unknown;
    try {
      parsed = JSON.parse(inner);
    } catch {
      return inner;
    }
    if (typeof parsed === 'object' && parsed !== null) return { why: `in quotes it is JSON for ${Array.isArray(parsed) ? 'a list' : 'an object'}` };
    return String(parsed);
  }
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === ';' || c === '#') break;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = v[i + 1];
    if (next === undefined) out += c;
    else {
      out += next === '\\' || next === ';' || next === '#' ? next : c + next;
      i++;
    }
  }
  return out.trim();
}

function consoleSettings(browser: string | undefined): Pick<GuardSettings, 'console'> {
  return browser === undefined ? {} : { console: { browser: browser.trim() } };
}
