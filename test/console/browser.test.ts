import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerUrl, launchCommands, parseBrowserSetting, redirectDir, redirectPage, writeRedirectFile, launch, scheduleRemoval } from '../../src/console/browser.js';
import { clipboardWay, osc52 } from '../../src/console/clipboard.js';
import { parseSettings } from '../../src/guard/settings.js';

const URL_ = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=awsguard&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=TOKEN%2B%2F"<x>';
const target = { profile: 'prod', accountId: '333333333333', alias: 'acme-prod', protected: true };
const tmp = mkdtempSync(join(tmpdir(), 'awsguard-browser-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the redirect file', () => {
  it('forwards to the URL by meta refresh and script, escaped for both', () => {
    const page = redirectPage(URL_);
    expect(page).toContain('http-equiv="refresh" content="0;url=https://signin.aws.amazon.com/federation?Action=login&amp;Issuer');
    expect(page).toContain('&quot;&lt;x&gt;');
    expect(page).not.toContain('"<x>');
    expect(page).toContain('<script>location.replace("https://signin');
    expect(page).toContain('\\"\\u003cx>');
  });

  it('is 0600 in a 0700 directory under XDG_RUNTIME_DIR, else the cache dir', async () => {
    expect(redirectDir({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/awsguard/console');
    expect(redirectDir({ HOME: '/h' })).toBe('/h/.cache/awsguard/console');
    const env = { XDG_RUNTIME_DIR: tmp };
    const { path } = await writeRedirectFile(env, URL_);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(tmp, 'awsguard', 'console')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, 'utf8')).toContain('SigninToken=TOKEN');
  });

  it('is removed soon after it is first read', async () => {
    const { path, atimeNs } = await writeRedirectFile({ XDG_RUNTIME_DIR: tmp }, URL_);
    await scheduleRemoval(path, atimeNs, process.env);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(path)).toBe(true);
    readFileSync(path);
    for (let i = 0; i < 100 && existsSync(path); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(path)).toBe(false);
  });
});

describe('which browser, and what it is given', () => {
  it('$BROWSER gets the file, in place of %s or appended; else the system opener', () => {
    expect(launchCommands('/f.html', URL_, target, { env: { BROWSER: 'firefox --new-tab' }, platform: 'linux' })).toEqual([['firefox', '--new-tab', '/f.html']]);
    expect(launchCommands('/f.html', URL_, target, { env: { BROWSER: 'w3m %s:lynx' }, platform: 'linux' })).toEqual([['w3m', '/f.html'], ['lynx', '/f.html']]);
    expect(launchCommands('/f.html', URL_, target, { env: {}, platform: 'darwin' })).toEqual([['open', '/f.html']]);
    expect(launchCommands('/f.html', URL_, target, { env: { WSL_DISTRO_NAME: 'Debian' }, platform: 'linux' })[0]).toEqual(['wslview', '/f.html']);
    expect(launchCommands('/f.html', URL_, target, { env: {}, platform: 'linux' }).at(-1)).toEqual(['xdg-open', '/f.html']);
  });

  it('settings: a Chrome profile gets the file; a template gets {url_file}; only a container link carries the URL', () => {
    const chrome = launchCommands('/f.html', URL_, target, { env: {}, platform: 'linux', setting: { kind: 'chrome-profile', name: 'Profile 2' } });
    expect(chrome[0]).toEqual(['google-chrome', '--profile-directory=Profile 2', '/f.html']);
    const cmd = launchCommands('/f.html', URL_, target, { env: {}, platform: 'linux', setting: { kind: 'command', template: "my-browser --window '{account}' {url_file}" } });
    expect(cmd).toEqual([['my-browser', '--window', 'acme-prod', '/f.html']]);
    expect(launchCommands('/f.html', URL_, target, { env: {}, setting: { kind: 'command', template: 'b' } })).toEqual([['b', '/f.html']]);
    const ff = launchCommands('/f.html', URL_, target, { env: {}, platform: 'linux', setting: { kind: 'firefox-container' } });
    expect(ff[0]![0]).toBe('firefox');
    expect(ff[0]![1]).toBe(containerUrl(URL_, target));
  });

  it('names the container after the account, red for a protected one', () => {
    const link = containerUrl(URL_, target);
    expect(link.startsWith('ext+granted-containers:name=acme-prod&url=https%3A%2F%2Fsignin.aws.amazon.com')).toBe(true);
    expect(link).toContain('&color=red&icon=fence');
    expect(decodeURIComponent(/url=([^&]+)/.exec(link)![1]!)).toBe(URL_);
    expect(containerUrl(URL_, { ...target, protected: false })).not.toContain('color=red');
  });

  it('parses [console] browser, and the settings file refuses a typo at its line', () => {
    expect(parseBrowserSetting('firefox-container')).toEqual({ kind: 'firefox-container' });
    expect(parseBrowserSetting('chrome-profile:Work')).toEqual({ kind: 'chrome-profile', name: 'Work' });
    expect(parseBrowserSetting('command:x {url_file}')).toEqual({ kind: 'command', template: 'x {url_file}' });
    expect(parseSettings('[console]\nbrowser = chrome-profile:Work\n', 'f').console).toEqual({ browser: 'chrome-profile:Work' });
    expect(() => parseSettings('[console]\nbrowser = firefox\n', 'f')).toThrow(/f:2: .*firefox-container, chrome-profile:NAME or command:TEMPLATE/);
    expect(parseSettings('', undefined).console).toBeUndefined();
  });

  it('tries the next launcher when one is missing or fails at once, and names programs only', async () => {
    const ok = join(tmp, 'ok-browser');
    writeFileSync(ok, '#!/bin/sh\nexit 0\n');
    chmodSync(ok, 0o755);
    const bad = join(tmp, 'bad-browser');
    writeFileSync(bad, '#!/bin/sh\nexit 3\n');
    chmodSync(bad, 0o755);
    expect(await launch([['no-such-browser-xyz', URL_], [bad, URL_], [ok, '/f']], { PATH: '/usr/bin:/bin' })).toBe(ok);
    const err = await launch([['no-such-browser-xyz', URL_], [bad, URL_]], { PATH: '/usr/bin:/bin' }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/no-such-browser-xyz \(not found\).*bad-browser \(exit 3\)/);
    expect((err as Error).message).not.toContain('TOKEN');
  });
});

describe('--copy', () => {
  it('over SSH uses OSC 52; else the tool for the display', () => {
    expect(clipboardWay({ SSH_CONNECTION: '1 2 3 4', PATH: '' })).toEqual({ kind: 'osc52' });
    expect(osc52('hi')).toBe('\x1b]52;c;aGk=\x07');
    expect(() => clipboardWay({ PATH: '' }, 'linux')).toThrow(/no clipboard tool/);
  });
});
