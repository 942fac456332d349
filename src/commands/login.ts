import { spawn } from 'node:child_process';
import { ConfigError, ExitCode, UsageError } from '../errors.js';
import { closest } from '../suggest.js';
import { loadAwsConfig } from '../config/load.js';
import { resolveChain } from '../config/chain.js';
import { str, type AwsConfig } from '../config/model.js';
import { defaultProfileName } from '../credentials/resolver.js';
import { ssoLogin, type SsoSessionRef } from '../credentials/sso.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { login } from './specs/login.js';
import { timeLeft } from '../guard/banner.js';

export async function run(ctx: CommandContext, { flags }: Parsed<typeof login.flags>): Promise<number> {
  if (flags.profile !== undefined && flags['sso-session'] !== undefined) throw new UsageError('login: give -p PROFILE or --sso-session NAME, not both');
  const config = loadAwsConfig({ env: ctx.env });
  const { ref, name } = flags['sso-session'] !== undefined ? sessionRef(config, flags['sso-session']) : profileRef(config, flags.profile ?? defaultProfileName(ctx.env));
  const token = await ssoLogin(
    { env: ctx.env, region: ref.region, profile: name },
    ref,
    {
      now: ctx.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      onAuthorization: (auth) => {
        const url = auth.verificationUriComplete ?? auth.verificationUri;
        ctx.stderr.write(
          `To log in to ${ref.session ?? ref.startUrl}, open this page and check that it shows the code ${auth.userCode}:\n\n  ${url}\n\n`,
        );
        if (!flags['no-browser']) openBrowser(url, ctx.env);
        ctx.stderr.write('Waiting for the approval in the browser...\n');
      },
    },
  );
  ctx.stderr.write(`Logged in to ${ref.session ?? ref.startUrl} (${timeLeft(new Date(token.expiresAt), ctx.now())}).\n`);
  return ExitCode.ok;
}

function sessionRef(config: AwsConfig, name: string): { ref: SsoSessionRef; name: string } {
  const section = config.ssoSessions.get(name);
  if (!section) {
    const near = closest(name, config.ssoSessions.keys());
    throw new ConfigError(`no [sso-session ${name}] in ${config.configFile}${near.length ? ` (did you mean ${near[0]}?)` : ''}`);
  }
  const startUrl = str(section, 'sso_start_url');
  const region = str(section, 'sso_region');
  if (!startUrl || !region) throw new ConfigError(`[sso-session ${name}] needs sso_start_url and sso_region`, section.origin.file, section.origin.line);
  const scopes = str(section, 'sso_registration_scopes')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { ref: { startUrl, region, session: name, ...(scopes?.length ? { scopes } : {}) }, name };
}

function profileRef(config: AwsConfig, profile: string): { ref: SsoSessionRef; name: string } {
  const chain = resolveChain(config, profile);
  const base = chain.base;
  if (base.kind !== 'sso') throw new UsageError(`login: profile "${profile}" does not use SSO (it uses ${base.kind}); nothing to log in to`);
  if (base.session) return sessionRef(config, base.session);
  return { ref: { startUrl: base.startUrl, region: base.region }, name: profile };
}

/** Best effort: a browser where there is a desktop; the URL is printed either way. */
function openBrowser(url: string, env: NodeJS.ProcessEnv): void {
  const command = process.platform === 'darwin' ? 'open' : env.BROWSER || (env.DISPLAY || env.WAYLAND_DISPLAY ? 'xdg-open' : undefined);
  if (!command) return;
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true, env });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser: the printed URL is enough
  }
}
