import { ExitCode, UsageError } from '../errors.js';
import { loadAwsConfig } from '../config/load.js';
import { resolveChain } from '../config/chain.js';
import { getProfile } from '../config/chain.js';
import { str } from '../config/model.js';
import { SessionCache } from '../credentials/session-cache.js';
import { removeToken, ssoCacheDir } from '../credentials/sso-token.js';
import { xdgPaths } from '../xdg-dirs.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { logout } from './specs/logout.js';

export async function run(ctx: CommandContext, { flags }: Parsed<typeof logout.flags>): Promise<number> {
  if (!flags.all && flags.profile === undefined) throw new UsageError('logout: give -p PROFILE or --all');
  const cache = new SessionCache(xdgPaths(ctx.env).cacheDir, ctx.now);
  let tokens = 0;
  let sessions: number;
  if (flags.all) {
    sessions = cache.remove(() => true);
    if (flags.sso) {
      const config = loadAwsConfig({ env: ctx.env });
      const dir = ssoCacheDir(ctx.env);
      for (const [name, s] of config.ssoSessions) tokens += removeToken(dir, str(s, 'sso_start_url') ?? '', name) ? 1 : 0;
      for (const p of config.profiles.values()) {
        const url = str(p, 'sso_start_url');
        if (url && !str(p, 'sso_session')) tokens += removeToken(dir, url) ? 1 : 0;
      }
    }
  } else {
    const config = loadAwsConfig({ env: ctx.env });
    const name = getProfile(config, flags.profile!).name;
    sessions = cache.remove((e) => e.profile === name);
    if (flags.sso) {
      const base = resolveChain(config, name).base;
      if (base.kind === 'sso') tokens += removeToken(ssoCacheDir(ctx.env), base.startUrl, base.session) ? 1 : 0;
    }
  }
  ctx.stderr.write(`Removed ${sessions} cached session${sessions === 1 ? '' : 's'}${flags.sso ? ` and ${tokens} SSO token${tokens === 1 ? '' : 's'}` : ''}.\n`);
  return ExitCode.ok;
}
