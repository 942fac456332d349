/**
 * Opening the console without putting the sign-in URL where others can read it. The URL goes
 * into a private redirect file (0600 in a 0700 directory) and the browser is given the file's
 * path, so `ps` and /proc/PID/cmdline show a path, never the token; a small detached process
 * removes the file a moment after it is first read, or after a minute at the latest.
 *
 * Which browser: `[console] browser` in the settings (a Firefox container per account through
 * the Granted extension's `ext+granted-containers:` links, a Chrome/Chromium profile, or a
 * command template), else `$BROWSER`, else the system's opener (`open`, `wslview` on WSL,
 * `xdg-open`). A Firefox container link has to be given to Firefox itself: that one launcher,
 * and a template that asks for `{url}`, do put the URL in the browser's argv (documented).
 */
import { readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { ConfigError } from '../errors.js';
import { shlexSplit } from '../config/shlex.js';
import { ensurePrivateDir, writePrivateFile } from '../credentials/secure-files.js';
import { xdgPaths } from '../xdg-dirs.js';

export type BrowserSetting = { kind: 'firefox-container' } | { kind: 'chrome-profile'; name: string } | { kind: 'command'; template: string };

/** `[console] browser` as written; undefined when the text is not one of the forms. */
export function parseBrowserSetting(text: string): BrowserSetting | undefined {
  const t = text.trim();
  if (t === 'firefox-container') return { kind: 'firefox-container' };
  const chrome = /^chrome-profile:(.+)$/.exec(t);
  if (chrome) return { kind: 'chrome-profile', name: chrome[1]!.trim() };
  const command = /^command:(.+)$/.exec(t);
  if (command) return { kind: 'command', template: command[1]!.trim() };
  return undefined;
}

/** Who the console session is for: names the container, colours a protected account red. */
export interface ConsoleTarget {
  profile: string;
  accountId: string;
  alias?: string;
  protected: boolean;
}

export interface OpenOptions {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  setting?: BrowserSetting;
  /** Where the setting was read, for errors. */
  settingsFile?: string;
}

/** The private directory for redirect files: $XDG_RUNTIME_DIR/awsguard (a per-user tmpfs) or the cache dir. */
export function redirectDir(env: NodeJS.ProcessEnv): string {
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime && isAbsolute(runtime) ? join(runtime, 'awsguard', 'console') : join(xdgPaths(env).cacheDir, 'console');
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A page that forwards at once to `url` (meta refresh, and script for browsers that ignore it). */
export function redirectPage(url: string): string {
  const attr = escapeHtml(url);
  const script = JSON.stringify(url).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${attr}">`,
    '<title>awsguard: signing in to the AWS console</title>',
    `<script>location.replace(${script})</script>`,
    `<p>Signing in to the AWS console&hellip; <a href="${attr}">continue</a></p>`,
    '',
  ].join('\n');
}

export async function writeRedirectFile(env: NodeJS.ProcessEnv, url: string): Promise<{ path: string; atimeNs: bigint }> {
  const dir = redirectDir(env);
  ensurePrivateDir(dir);
  const { randomBytes } = await import('node:crypto');
  const path = join(dir, `signin-${randomBytes(12).toString('hex')}.html`);
  writePrivateFile(path, redirectPage(url));
  return { path, atimeNs: statSync(path, { bigint: true }).atimeNs };
}

/**
 * The remover: polls the file's access time; a read (relatime updates the first read after a
 * write) starts a short grace (xdg-open may look at the file before the browser does), then the
 * file goes. Detached, so it outlives awsguard and the terminal; its argv holds a path only.
 */
const REMOVER = [
  "const fs=require('fs');const [p,a]=process.argv.slice(1);const t0=Date.now();let seen=0;",
  'const rm=()=>{try{fs.unlinkSync(p)}catch{}process.exit(0)};',
  'const tick=()=>{let st;try{st=fs.statSync(p,{bigint:true})}catch{process.exit(0)}',
  'const now=Date.now();if(!seen&&st.atimeNs!==BigInt(a))seen=now;',
  'if((seen&&now-seen>=2000)||now-t0>=60000)rm();setTimeout(tick,200)};tick();',
].join('');

export async function scheduleRemoval(path: string, atimeNs: bigint, env: NodeJS.ProcessEnv): Promise<void> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', REMOVER, path, String(atimeNs)], { detached: true, stdio: 'ignore', env: { PATH: env.PATH ?? '' } });
  child.on('error', () => undefined);
  child.unref();
}

export function isWsl(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return false;
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return true;
  try {
    return /microsoft/i.test(readFileSync('/proc/sys/kernel/osrelease', 'utf8'));
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (name.includes('/')) return name;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const CONTAINER_COLOURS = ['blue', 'turquoise', 'green', 'yellow', 'orange', 'pink', 'purple'] as const;

/** The Granted extension's link: a container named after the account; protected accounts are red. */
export function containerUrl(url: string, target: ConsoleTarget): string {
  const name = target.alias ?? target.accountId;
  let h = 0;
  for (const ch of target.accountId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const colour = target.protected ? 'red' : CONTAINER_COLOURS[h % CONTAINER_COLOURS.length]!;
  const icon = target.protected ? 'fence' : 'briefcase';
  return `ext+granted-containers:name=${encodeURIComponent(name)}&url=${encodeURIComponent(url)}&color=${colour}&icon=${icon}`;
}

/**
 * The commands to try, in order, each as argv. `file` is the redirect file; `url` is used only
 * where a launcher cannot take a file (a Firefox container link, a template's `{url}`).
 */
export function launchCommands(file: string, url: string, target: ConsoleTarget, opts: OpenOptions): string[][] {
  const platform = opts.platform ?? process.platform;
  const env = opts.env;
  const setting = opts.setting;
  if (setting?.kind === 'firefox-container') {
    const firefox = platform === 'darwin' ? '/Applications/Firefox.app/Contents/MacOS/firefox' : 'firefox';
    return [[firefox, containerUrl(url, target)]];
  }
  if (setting?.kind === 'chrome-profile') {
    const flag = `--profile-directory=${setting.name}`;
    if (platform === 'darwin') return [['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', flag, file]];
    return ['google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser'].map((b) => [b, flag, file]);
  }
  if (setting?.kind === 'command') {
    let words: string[];
    try {
      words = shlexSplit(setting.template);
    } catch {
      throw new ConfigError('[console] browser: the command template has an unclosed quote', opts.settingsFile);
    }
    if (!words.length) throw new ConfigError('[console] browser: the command template is empty', opts.settingsFile);
    const fill = (w: string) =>
      w
        .replaceAll('{url_file}', file)
        .replaceAll('{url}', url)
        .replaceAll('{profile}', target.profile)
        .replaceAll('{account}', target.alias ?? target.accountId);
    const takesTarget = words.some((w) => w.includes('{url_file}') || w.includes('{url}'));
    const argv = words.map(fill);
    return [takesTarget ? argv : [...argv, file]];
  }
  if (env.BROWSER) {
    // The $BROWSER convention: a colon-separated list; %s stands for the target, else it is appended.
    const out: string[][] = [];
    for (const entry of env.BROWSER.split(':')) {
      let words: string[];
      try {
        words = shlexSplit(entry);
      } catch {
        continue;
      }
      if (!words.length) continue;
      const hasSlot = words.some((w) => w.includes('%s'));
      out.push(hasSlot ? words.map((w) => w.replaceAll('%s', file)) : [...words, file]);
    }
    if (out.length) return out;
  }
  if (platform === 'darwin') return [['open', file]];
  if (isWsl(env, platform)) return [['wslview', file], ['xdg-open', file]];
  return [['xdg-open', file]];
}

/** A launcher that fails at once (not found, or exits non-zero within a second) lets the next one try. */
export async function launch(commands: string[][], env: NodeJS.ProcessEnv, settingsFile?: string): Promise<string> {
  const { spawn } = await import('node:child_process');
  const tried: string[] = [];
  for (const argv of commands) {
    const program = onPath(argv[0]!, env);
    // Only the program's name ever appears in a message: its arguments may hold the URL.
    const name = argv[0]!;
    if (!program) {
      tried.push(`${name} (not found)`);
      continue;
    }
    const outcome = await new Promise<'ok' | string>((resolve) => {
      const child = spawn(program, argv.slice(1), { detached: true, stdio: 'ignore', env });
      let settled = false;
      const done = (v: 'ok' | string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.unref();
        resolve(v);
      };
      const timer = setTimeout(() => done('ok'), 1000);
      child.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? 'failed to start'));
      child.on('exit', (code, signal) => done(code === 0 ? 'ok' : signal ? `killed by ${signal}` : `exit ${code}`));
    });
    if (outcome === 'ok') return name;
    tried.push(`${name} (${outcome})`);
  }
  throw new ConfigError(
    `cannot open a browser: tried ${tried.join(', ')}; set $BROWSER or [console] browser in the settings, or use --print or --copy`,
    settingsFile,
  );
}
