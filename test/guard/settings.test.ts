import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_NETWORK } from '../../src/credentials/network.js';
import { DEFAULT_PATTERNS, loadSettings, parseDuration, parseMillis, parseSettings, settingsFile } from '../../src/guard/settings.js';

const EXAMPLE = fileURLToPath(new URL('../../fixtures/settings/example.ini', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'awsguard-settings-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The ConfigError a text raises, as `line: detail`. */
function errorOf(text: string): string {
  try {
    parseSettings(text, '/s/config.ini');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.file).toBe('/s/config.ini');
    return `${e.line}: ${e.detail}`;
  }
  throw new Error('no error for:\n' + text);
}

describe('loadSettings', () => {
  it('reads the example file', () => {
    const s = loadSettings({ HOME: tmp, AWSGUARD_CONFIG: EXAMPLE });
    expect(s.file).toBe(EXAMPLE);
    expect([...s.protectedAccounts]).toEqual(['333333333333', '444444444444']);
    expect(s.patterns).toEqual(['prod', 'production', 'prd', 'live']);
    expect([...s.aliases]).toEqual([['555555555555', 'acme-partner']]);
    expect([...s.pins]).toEqual([
      ['prod-admin', '333333333333'],
      ['prod.readonly', '333333333333'],
    ]);
    expect(s.defaults).toEqual({ region: 'eu-west-1', durationSeconds: 3600 });
    expect([...s.serverProfiles]).toEqual(['long-jobs', 'nightly-etl']);
    expect(s.network).toEqual(DEFAULT_NETWORK);
  });

  it('uses defaults when the default file does not exist', () => {
    const s = loadSettings({ HOME: join(tmp, 'nobody') });
    expect(s).toMatchObject({ file: undefined, patterns: DEFAULT_PATTERNS, defaults: {}, network: DEFAULT_NETWORK });
    expect(s.protectedAccounts.size).toBe(0);
    expect(s.aliases.size + s.pins.size + s.serverProfiles.size).toBe(0);
  });

  it('finds config.ini under XDG_CONFIG_HOME, or ~/.config', () => {
    expect(settingsFile({ HOME: '/h' })).toBe('/h/.config/awsguard/config.ini');
    expect(settingsFile({ HOME: '/h', XDG_CONFIG_HOME: '/x' })).toBe('/x/awsguard/config.ini');
    expect(settingsFile({ HOME: '/h', AWSGUARD_CONFIG: '/etc/a.ini' })).toBe('/etc/a.ini');
    const dir = join(tmp, 'xdg', 'awsguard');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.ini'), '[protect]\naccounts = 123456789012\n');
    expect([...loadSettings({ HOME: '/h', XDG_CONFIG_HOME: join(tmp, 'xdg') }).protectedAccounts]).toEqual(['123456789012']);
  });

  it('is an error when AWSGUARD_CONFIG names a file that is not there, or a directory', () => {
    expect(() => loadSettings({ HOME: tmp, AWSGUARD_CONFIG: join(tmp, 'missing.ini') })).toThrow(/no such file \(named by AWSGUARD_CONFIG\)/);
    expect(() => loadSettings({ HOME: tmp, AWSGUARD_CONFIG: tmp })).toThrow(/it is a directory/);
  });

  it('reports the file and line of a broken file', () => {
    const file = join(tmp, 'broken.ini');
    writeFileSync(file, '[protect]\naccounts = 333333333333\n\n[protekt]\n');
    try {
      loadSettings({ HOME: tmp, AWSGUARD_CONFIG: file });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).line).toBe(4);
      expect((err as ConfigError).message).toBe(`${file}:4: unknown section [protekt] (did you mean [protect]?); known: [protect] [aliases] [pins] [defaults] [server] [console] [mfa] [keys] [network]`);
    }
  });
});

describe('parseSettings: what it accepts', () => {
  it('takes comments, blank lines, CRLF, a BOM, repeated sections, comma or space lists', () => {
    const s = parseSettings('\uFEFF# top\r\n[protect]\r\n  ; indented comment\r\naccounts = 111111111111,222222222222  333333333333\r\n[aliases]\r\n[protect]\r\npatterns = Prod, LIVE\r\n', 'f');
    expect([...s.protectedAccounts]).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(s.patterns).toEqual(['prod', 'live']);
  });

  it('[mfa] ykman names the YubiKey OATH account, carried with the defaults', () => {
    expect(parseSettings('[mfa]\nykman = aws:alice@acme\n', 'f').defaults).toEqual({ ykmanAccount: 'aws:alice@acme' });
    expect(errorOf('[mfa]\nykman =\n')).toMatch(/^2: \[mfa\] ykman: an OATH account name/);
    expect(errorOf('[mfa]\nyubikey = x\n')).toBe('2: unknown setting "yubikey" in [mfa]; known: ykman');
  });

  it('an empty patterns value means no patterns, not the defaults', () => {
    expect(parseSettings('[protect]\npatterns =\n', 'f').patterns).toEqual([]);
    expect(parseSettings('[protect]\naccounts = 111111111111\n', 'f').patterns).toEqual(DEFAULT_PATTERNS);
  });

  it('keeps dotted profile names as keys, and a dotted section name whole', () => {
    const text = '[pins]\nprod.admin = 333333333333\na.b.c = 444444444444\n';
    expect(errorOf('[pins.x]\nk = 333333333333\n')).toMatch(/^1: unknown section \[pins\.x\]/);
    expect([...parseSettings(text, 'f').pins]).toEqual([
      ['prod.admin', '333333333333'],
      ['a.b.c', '444444444444'],
    ]);
  });

  it('reads quotes and escapes the way the ini package does', () => {
    const servers = (value: string) => [...parseSettings(`[server]\nprofiles = ${value}\n`, 'f').serverProfiles];
    expect(servers('"a;b" ')).toEqual(['a;b']);
    expect(servers(`'c#d'`)).toEqual(['c#d']);
    expect(servers(`"not json`)).toEqual(['"not', 'json']);
    expect(servers('e\\;f\\#g\\\\h ; comment')).toEqual(['e;f#g\\h']);
    expect(servers('i\\j')).toEqual(['i\\j']);
    expect(servers(`'null'`)).toEqual(['null']);
    expect(errorOf(`[server]\nprofiles = '["a","b"]'\n`)).toBe('2: [server] profiles: cannot be read unambiguously (in quotes it is JSON for a list)');
    expect(errorOf('[mfa]\nykman = a\u2028b\n')).toBe('2: [mfa] ykman: cannot be read unambiguously (it holds a line separator (U+2028 or U+2029))');
  });

  it('reads trailing comments the way the ini package does', () => {
    const s = parseSettings('[defaults]\nregion = eu-west-1 ; Ireland\nduration = 90m # an hour and a half\n', 'f');
    expect(s.defaults).toEqual({ region: 'eu-west-1', durationSeconds: 5400 });
  });
});

describe('parseSettings: what it refuses, with the line', () => {
  it.each([
    ['[protekt]', '1: unknown section [protekt] (did you mean [protect]?); known: [protect] [aliases] [pins] [defaults] [server] [console] [mfa] [keys] [network]'],
    ['[protect]\npatterns = prod\n[x.y]', '3: unknown section [x.y]; known: [protect] [aliases] [pins] [defaults] [server] [console] [mfa] [keys] [network]'],
    ['[protect]\naccount = 333333333333', '2: unknown setting "account" in [protect] (did you mean accounts?); known: accounts, patterns, unprotected, confirm_window'],
    ['[defaults]\nduraton = 1h', '2: unknown setting "duraton" in [defaults] (did you mean duration?); known: region, duration'],
    ['accounts = 333333333333', '1: a setting before any [section]'],
    ['[protect]\njust some words', '2: expected "key = value" or a [section], found "just some words"'],
    ['[protect]\n = 1', '2: a setting with no name before "="'],
    ['  [protect]\naccounts = 333333333333', '1: a [section] header must start at the beginning of its line'],
    ['[protect] ; prod accounts', '1: a [section] header stands alone on its line: "[protect] ; prod accounts"'],
    ['[protect]\naccounts = 33333333333', '2: [protect] accounts: account ids are 12 digits, not "33333333333"'],
    ['[protect]\naccounts = 333333333333 acme-prod', '2: [protect] accounts: account ids are 12 digits, not "acme-prod"'],
    ['[protect]\npatterns = prod *live*', '2: [protect] patterns: a pattern is a word (letters and digits, or words joined by - _ .), not "*live*"'],
    ['[aliases]\nacme = 555555555555', '2: keys in [aliases] are 12-digit account ids, not "acme"'],
    ['[aliases]\n555555555555 = acme partner', `2: [aliases] 555555555555: an alias is typed to confirm: letters, digits, '.', '_' and '-' only, not "acme partner"`],
    ['[pins]\nprod-admin = acme-prod', '2: [pins] prod-admin: expected a 12-digit account id, not "acme-prod"'],
    ['[pins]\nprod[] = 333333333333', '2: "prod[]" cannot be a key here (; # [ ] quotes and \\ have other meanings in this file)'],
    ['[pins]\n__proto__ = 333333333333', '2: "__proto__" cannot be a key here (; # [ ] quotes and \\ have other meanings in this file)'],
    ['[defaults]\nregion = Ireland', '2: [defaults] region: not a region name like eu-west-1: "Ireland"'],
    ['[defaults]\nduration = an hour', '2: [defaults] duration: cannot read the duration "an hour" (use e.g. 15m, 1h, 1h30m, 3600)'],
    ['[defaults]\nduration = 0', '2: [defaults] duration: cannot read the duration "0" (use e.g. 15m, 1h, 1h30m, 3600)'],
    ['[pins]\na = 111111111111\n\na = 222222222222', '4: [pins] a is set twice (first on line 2)'],
  ])('%j', (text, expected) => {
    expect(errorOf(text)).toBe(expected);
  });
});

describe('parseDuration', () => {
  it.each([
    ['3600', 3600],
    ['90m', 5400],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2h5m10s', 7510],
    ['45s', 45],
    [' 15m ', 900],
  ])('%j → %i', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(['', '0', '0m', '1d', 'h', '1.5h', '30m1h', '-5', '1 h', '99999999999999999999'])('%j is unreadable', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('[keys]', () => {
  it('reads the backend and the thresholds, with CIS defaults', () => {
    expect(parseSettings('', undefined).keys).toEqual({ backend: 'auto', maxAgeDays: 90, unusedDays: 45 });
    const s = parseSettings('[keys]\nbackend = file\nmax_age_days = 180\nunused_days = 30\n', 'f');
    expect(s.keys).toEqual({ backend: 'file', maxAgeDays: 180, unusedDays: 30 });
    expect(s.defaults.keysBackend).toBe('file');
  });

  it('refuses a backend it does not know, and days that are not a number, at their line', () => {
    expect(errorOf('[keys]\nbackend = plaintext\n')).toBe('2: [keys] backend: expected auto, keychain, file, not "plaintext"');
    expect(errorOf('[keys]\n\nmax_age_days = 90d\n')).toBe('3: [keys] max_age_days: expected a number of days (1 to 99999), not "90d"');
  });
});

describe('[network]', () => {
  it('reads times in s, ms or m and attempt counts; unset keys keep the defaults', () => {
    const s = parseSettings('[network]\nconnect_timeout = 250ms\nrequest_timeout = 1.5s\nthrottle_attempts = 8\n', 'x.ini');
    expect(s.network).toEqual({ ...DEFAULT_NETWORK, connectTimeoutMs: 250, requestTimeoutMs: 1500, throttleAttempts: 8 });
    expect([parseMillis('2m'), parseMillis('30'), parseMillis('0'), parseMillis('5 h'), parseMillis('-1s')]).toEqual([120_000, 30_000, undefined, undefined, undefined]);
  });

  it.each([
    ['[network]\nrequest_timeout = 0', '2: [network] request_timeout: cannot read the time "0" (use e.g. 5s, 1.5s, 250ms)'],
    ['[network]\nattempts = 0', '2: [network] attempts: expected a number of attempts from 1 to 20, not "0"'],
    ['[network]\ntimeout = 5s', '2: unknown setting "timeout" in [network] (did you mean connect_timeout?); known: connect_timeout, request_timeout, attempts, throttle_attempts, retry_delay, throttle_delay'],
  ])('%j', (text, expected) => {
    expect(errorOf(text)).toBe(expected);
  });
});
