/**
 * `awsguard sso accounts` lists what the portal lets the person reach (cached);
 * `awsguard sso sync` writes a profile per account and role into awsguard's own file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, ExitCode, UsageError, displayPath } from '../errors.js';
import { loadAwsConfig, syncedProfilesFile } from '../config/load.js';
import type { AwsConfig } from '../config/model.js';
import { writePrivateFile } from '../credentials/secure-files.js';
import { portalListing, renderSyncedProfiles, sessionRef, syncedProfileName } from '../credentials/sso-portal.js';
import type { SsoSessionRef } from '../credentials/sso.js';
import { xdgPaths } from '../xdg-dirs.js';
import type { CommandContext } from '../cli/context.js';
import { subcommandOf, type Parsed } from '../cli/command.js';
import { listingProgress } from './listing-progress.js';
import { sso } from './specs/sso.js';
import { renderTable } from './table.js';
import { widthOf, writeData } from '../tty/output.js';

export async function run(ctx: CommandContext, { flags, positionals }: Parsed<typeof sso.flags>): Promise<number> {
  const action = subcommandOf(sso, positionals[0]);
  const config = loadAwsConfig({ env: ctx.env });
  const ref = pickSession(config, flags['sso-session']);
  const cacheDir = xdgPaths(ctx.env).cacheDir;
  const listing = await portalListing({ env: ctx.env, region: ref.region, profile: ref.session ?? ref.startUrl }, ref, cacheDir, ctx.now, Boolean(flags.refresh) || action === 'sync', listingProgress(ctx));
  if (action === 'accounts') {
    if (flags.json) {
      writeData(ctx.stdout, JSON.stringify(listing.accounts.map((a) => ({ account_id: a.accountId, account_name: a.accountName, roles: a.roles })), null, 2) + '\n');
    } else {
      ctx.stdout.write(renderTable(['ACCOUNT', 'NAME', 'ROLES'], listing.accounts.map((a) => [a.accountId, a.accountName, a.roles.join(', ')]), { color: false, width: widthOf(ctx.stdout), shrink: [2, 1] }));
    }
    return ExitCode.ok;
  }
  const file = syncedProfilesFile(ctx.env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writePrivateFile(file, renderSyncedProfiles(listing, ref, flags.region));
  const names = listing.accounts.flatMap((a) => a.roles.map((r) => syncedProfileName(a, r)));
  const shadowed = names.filter((n) => config.profiles.has(n) && config.profiles.get(n)!.origin.file !== file);
  ctx.stderr.write(`Wrote ${names.length} profiles to ${displayPath(file)}${shadowed.length ? ` (${shadowed.length} already defined in your config, which wins)` : ''}.\n`);
  return ExitCode.ok;
}

function pickSession(config: AwsConfig, name: string | undefined): SsoSessionRef {
  const names = [...config.ssoSessions.keys()];
  if (name === undefined) {
    if (names.length === 1) name = names[0]!;
    else if (names.length === 0) throw new ConfigError(`no [sso-session NAME] section in ${displayPath(config.configFile)}; add one (aws configure sso-session makes it)`);
    else throw new UsageError(`sso: which session? --sso-session ${names.join(' | ')}`);
  }
  return sessionRef(config, name);
}
