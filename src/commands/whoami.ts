import { ExitCode } from '../errors.js';
import { identify } from '../guard/identity.js';
import { loadSettings } from '../guard/settings.js';
import { xdgPaths } from '../xdg-dirs.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { whoami } from './specs/whoami.js';
import { openSession, warner } from './open-session.js';
import { timeLeft } from '../guard/banner.js';
import { writeData } from '../tty/output.js';
import { cleanText } from '../tty/sanitize.js';

export async function run(ctx: CommandContext, { flags }: Parsed<typeof whoami.flags>): Promise<number> {
  const settings = loadSettings(ctx.env);
  const { resolution } = await openSession(ctx, flags, settings.defaults);
  const id = await identify(resolution, { env: ctx.env, now: ctx.now, cacheDir: xdgPaths(ctx.env).cacheDir, settingsAliases: settings.aliases, warn: warner(ctx) });
  const expiration = resolution.credentials.expiration;
  if (flags.json) {
    writeData(
      ctx.stdout,
      JSON.stringify(
        {
          profile: resolution.profile,
          account_id: id.accountId,
          account_alias: id.alias ?? null,
          arn: id.arn,
          user_id: id.userId,
          principal: id.principal,
          region: resolution.region ?? null,
          expiration: expiration?.toISOString() ?? null,
          scoped: resolution.scoped,
        },
        null,
        2,
      ) + '\n',
    );
    return ExitCode.ok;
  }
  const rows: Array<[string, string]> = [
    ['profile', resolution.profile],
    ['account', id.alias ? `${id.alias} (${id.accountId})` : id.accountId],
    ['arn', id.arn],
    ['region', resolution.region ?? '-'],
    ['expires', expiration ? `${expiration.toISOString().replace(/\.\d{3}Z$/, 'Z')} (${timeLeft(expiration, ctx.now())})` : 'unknown'],
  ];
  if (resolution.scoped) rows.push(['scoped', 'yes (session policy applied)']);
  for (const note of resolution.notes) rows.push(['note', note]);
  // Each value is one line: a name cannot add a row of its own.
  ctx.stdout.write(rows.map(([k, v]) => `${k.padEnd(8)} ${cleanText(v)}`).join('\n') + '\n');
  return ExitCode.ok;
}
