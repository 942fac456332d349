/**
 * The checks behind `awsguard doctor`. Each returns plain findings; none prints or exits.
 * A finding that is not ok carries the fix, in words a person can act on.
 */
import { readFileSync, statSync } from 'node:fs';
import { builtin } from '../builtin.js';
import { ConfigError, displayPath } from '../errors.js';
import { eachProfile, loadAwsConfig } from '../config/load.js';
import { chainAccountId, resolveChain } from '../config/chain.js';
import { plaintextKey, type PlaintextKey } from './doctor-keys.js';
import { str, type AwsConfig } from '../config/model.js';
import { endpointFor } from '../credentials/aws-clients.js';
import { parseCliTime, readToken, ssoCacheDir } from '../credentials/sso-token.js';
import { privacyProblem } from '../credentials/secure-files.js';

export type Status = 'ok' | 'warn' | 'fail';

export interface Finding {
  check: string;
  status: Status;
  detail: string;
  fix?: string;
}

export function checkNode(version = process.versions.node): Finding {
  const major = Number(version.split('.')[0]);
  return major >= 20
    ? { check: 'node', status: 'ok', detail: `Node ${version}` }
    : { check: 'node', status: 'fail', detail: `Node ${version} is too old`, fix: 'install Node 20 or later' };
}

/**
 * What the checks after checkConfig need of each profile, read in its pass over them. The
 * settings a pass builds are let go as it goes (eachProfile), so every pass builds them all
 * again: at 50,000 profiles, one pass per check was most of doctor's time.
 */
export interface ProfileFacts {
  /** The profiles whose chains resolve, each with the account it reaches when the config says. */
  accounts: Array<{ name: string; account: string | undefined }>;
  /** Profiles with SSO settings of their own (sso_start_url, no sso_session). */
  ssoProfiles: Array<{ name: string; startUrl: string }>;
  credentialProcesses: Array<{ name: string; line: string }>;
  plaintext: PlaintextKey[];
}

export function checkConfig(env: NodeJS.ProcessEnv): { findings: Finding[]; config?: AwsConfig; facts?: ProfileFacts } {
  let config: AwsConfig;
  try {
    config = loadAwsConfig({ env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { findings: [{ check: 'config files', status: 'fail', detail: err.message, fix: 'fix that line; the AWS CLI and boto3 reject the whole file too' }] };
  }
  const findings: Finding[] = [
    { check: 'config files', status: 'ok', detail: `${config.profiles.size} profiles in ${displayPath(config.configFile)} and ${displayPath(config.credentialsFile)}` },
  ];
  const broken: string[] = [];
  const facts: ProfileFacts = { accounts: [], ssoProfiles: [], credentialProcesses: [], plaintext: [] };
  for (const [name, profile] of eachProfile(config)) {
    try {
      facts.accounts.push({ name, account: chainAccountId(resolveChain(config, name)) });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      broken.push(err.message);
    }
    const startUrl = str(profile, 'sso_start_url');
    if (startUrl && !str(profile, 'sso_session')) facts.ssoProfiles.push({ name, startUrl });
    const line = str(profile, 'credential_process');
    if (line) facts.credentialProcesses.push({ name, line });
    const key = plaintextKey(name, profile);
    if (key) facts.plaintext.push(key);
  }
  findings.push(
    broken.length
      ? { check: 'profile chains', status: 'fail', detail: broken.slice(0, 10).join('\n') + (broken.length > 10 ? `\n(${broken.length - 10} more)` : ''), fix: 'correct source_profile, credential_source or the SSO settings named above' }
      : { check: 'profile chains', status: 'ok', detail: 'every profile resolves to a source of credentials' },
  );
  return { findings, config, facts };
}

/** Directories holding secrets must be ours alone. */
export function checkPrivateDir(check: string, dir: string): Finding {
  let problem;
  try {
    problem = privacyProblem(dir, true);
  } catch {
    return { check, status: 'ok', detail: `${displayPath(dir)} does not exist yet (it is created private on first use)` };
  }
  if (problem) return { check, status: 'fail', detail: `${displayPath(dir)}: ${problem.detail}`, fix: problem.command ?? problem.advice! };
  return { check, status: 'ok', detail: `${displayPath(dir)} (mode ${(statSync(dir).mode & 0o777).toString(8).padStart(4, '0')})` };
}

export function checkSsoTokens(config: AwsConfig, facts: ProfileFacts, env: NodeJS.ProcessEnv, now: number): Finding[] {
  const dir = ssoCacheDir(env);
  const out: Finding[] = [];
  const seen = new Set<string>();
  const add = (label: string, startUrl: string, session: string | undefined, hint: string) => {
    if (seen.has(label)) return;
    seen.add(label);
    const token = readToken(dir, startUrl, session);
    const end = parseCliTime(token?.expiresAt)?.getTime();
    if (!token || end === undefined) out.push({ check: `sso ${label}`, status: 'warn', detail: 'not logged in', fix: hint });
    else if (end <= now) {
      out.push(
        token.refreshToken
          ? { check: `sso ${label}`, status: 'ok', detail: 'access token expired; it will be refreshed on next use' }
          : { check: `sso ${label}`, status: 'warn', detail: 'expired', fix: hint },
      );
    } else out.push({ check: `sso ${label}`, status: 'ok', detail: `logged in, ${Math.round((end - now) / 60000)} minutes left` });
  };
  for (const [name, s] of config.ssoSessions) {
    const url = str(s, 'sso_start_url');
    if (url) add(name, url, name, `awsguard login --sso-session ${name}`);
  }
  for (const { name, startUrl } of facts.ssoProfiles) add(startUrl, startUrl, undefined, `awsguard login -p ${name}`);
  return out;
}

/** Clock skew against STS, read from the Date header of an unsigned request (no credentials needed). */
export async function checkClock(env: NodeJS.ProcessEnv, now: () => number, timeoutMs = 3000): Promise<Finding> {
  const url = endpointFor('sts', env) ?? 'https://sts.amazonaws.com';
  const before = now();
  try {
    const date = await dateHeader(url, timeoutMs);
    const after = now();
    if (!date) return { check: 'clock', status: 'warn', detail: `no Date header from ${url}` };
    // Date has whole seconds; the round trip bounds the error.
    const skew = Math.round((Date.parse(date) - (before + after) / 2) / 1000);
    // An unreadable Date (or clock) measures nothing: a warning, never "ok NaNs".
    if (!Number.isFinite(skew)) return { check: 'clock', status: 'warn', detail: `not measured: ${url} sent a Date header that cannot be read (${JSON.stringify(date.slice(0, 40))})` };
    if (Math.abs(skew) >= 300) {
      return { check: 'clock', status: 'fail', detail: `this machine's clock is ${Math.abs(skew)}s ${skew > 0 ? 'behind' : 'ahead of'} AWS; signatures older than 5 minutes are rejected`, fix: 'sync the clock (e.g. enable NTP: timedatectl set-ntp true)' };
    }
    return { check: 'clock', status: Math.abs(skew) >= 60 ? 'warn' : 'ok', detail: `${skew >= 0 ? '+' : ''}${skew}s against ${url}` };
  } catch (err) {
    return { check: 'clock', status: 'warn', detail: `could not reach ${url} (${(err as Error).message})` };
  }
}

/**
 * The Date header of a GET, the body left unread. Node's http and https, which the SDK has
 * loaded by now, rather than fetch: its undici was 6 MiB more of doctor's peak, for one header.
 */
function dateHeader(url: string, timeoutMs: number): Promise<string | undefined> {
  const { request } = url.startsWith('http:') ? builtin<typeof import('node:http')>('node:http') : builtin<typeof import('node:https')>('node:https');
  return new Promise((resolve, reject) => {
    // One connection of its own (no keep-alive to hold the process open), abandoned at the timeout.
    const req = request(url, { method: 'GET', agent: false }, (res) => {
      clearTimeout(timer);
      // The body is not read: a connection cut in the middle of it changes nothing.
      res.on('error', () => undefined);
      res.resume();
      resolve(res.headers.date);
    });
    const timer = setTimeout(() => req.destroy(new Error('timed out')), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

/**
 * Whether the shell that ran doctor has the integration (its function sets AWSGUARD_SHELL).
 * Only an interactive shell is expected to: run from a script (no terminal on stdin), doctor
 * says what it looked at rather than warn. `parent`: the name of the process that ran doctor.
 */
export function checkShell(env: NodeJS.ProcessEnv, interactive: boolean, parent: string | undefined): Finding {
  if (env.AWSGUARD_SHELL) return { check: 'shell integration', status: 'ok', detail: `loaded in this ${env.AWSGUARD_SHELL} shell` };
  const who = parent ? `${parent} (pid ${process.ppid})` : `the process that ran doctor (pid ${process.ppid})`;
  if (!interactive) return { check: 'shell integration', status: 'ok', detail: `not checked: ${who} ran doctor without a terminal (a script?); the integration is for interactive shells` };
  return { check: 'shell integration', status: 'warn', detail: `not loaded in ${who}`, fix: 'add to your shell rc: eval "$(awsguard init zsh)" (or bash; fish: awsguard init fish | source)' };
}

/** The name of the process that ran this one (Linux /proc), or undefined. */
export function parentName(): string | undefined {
  try {
    return readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
