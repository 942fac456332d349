/**
 * The accounts and roles a person can reach through IAM Identity Center, listed from the
 * portal and cached per SSO session (listing thousands of accounts takes many calls), so the
 * picker shows them at once; `refresh` lists again.
 */
import { join } from 'node:path';
import { str, type AwsConfig } from '../config/model.js';
import { ConfigError, CredentialError, displayPath } from '../errors.js';
import { closest } from '../suggest.js';
import { ensurePrivateDir, readPrivateFile, writePrivateFile } from './secure-files.js';
import { listSsoAccounts, listSsoRoles, type SsoSessionRef } from './sso.js';
import type { StepContext } from './sts.js';

export interface PortalAccount {
  accountId: string;
  accountName: string;
  roles: string[];
}

export interface PortalListing {
  startUrl: string;
  session?: string;
  fetchedAt: string;
  accounts: PortalAccount[];
}

/** Where `[sso-session NAME]` lists from: its start URL and region, both required. */
export function sessionRef(config: AwsConfig, name: string): SsoSessionRef {
  const section = config.ssoSessions.get(name);
  if (!section) {
    const near = closest(name, config.ssoSessions.keys());
    throw new ConfigError(`no [sso-session ${name}] in ${displayPath(config.configFile)}${near.length ? ` (did you mean ${near[0]}?)` : ''}`);
  }
  const startUrl = str(section, 'sso_start_url');
  const region = str(section, 'sso_region');
  if (!startUrl || !region) throw new ConfigError(`[sso-session ${name}] needs sso_start_url and sso_region`, section.origin.file, section.origin.line);
  return { startUrl, region, session: name };
}

/** A listing older than this is fetched again when asked for. */
export const PORTAL_TTL_MS = 24 * 3600_000;

function listingPath(cacheDir: string, ref: SsoSessionRef): string {
  const name = (ref.session ?? ref.startUrl).replace(/[^\w.-]+/g, '_').slice(0, 80);
  return join(cacheDir, 'sso-portal', `${name}.json`);
}

export function cachedListing(cacheDir: string, ref: SsoSessionRef, now: number): PortalListing | undefined {
  ensurePrivateDir(cacheDir);
  ensurePrivateDir(join(cacheDir, 'sso-portal'));
  const text = readPrivateFile(listingPath(cacheDir, ref));
  if (!text) return undefined;
  try {
    const listing = JSON.parse(text) as PortalListing;
    if (listing.startUrl !== ref.startUrl || now - Date.parse(listing.fetchedAt) > PORTAL_TTL_MS) return undefined;
    return listing;
  } catch {
    return undefined;
  }
}

/** How far a listing has got: told after the accounts are listed and after each account's roles. */
export interface ListingProgress {
  accounts: number;
  rolesListed: number;
}

/** Lists every account and its roles, a few accounts at a time to stay polite to the portal. */
export async function fetchListing(ctx: StepContext, ref: SsoSessionRef, cacheDir: string, now: () => number, onProgress?: (p: ListingProgress) => void): Promise<PortalListing> {
  const accounts = await listSsoAccounts(ctx, ref, now);
  const out: PortalAccount[] = [];
  const queue = [...accounts];
  onProgress?.({ accounts: accounts.length, rolesListed: 0 });
  let running = Math.min(8, queue.length);
  const workers = Array.from({ length: running }, async () => {
    for (let a = queue.shift(); a; a = queue.shift()) {
      let roles: string[];
      try {
        roles = await listSsoRoles(ctx, ref, a.accountId, now);
      } catch (err) {
        // Still throttled after the client's retries: the portal wants fewer callers, not
        // the same number waiting longer. This worker stops and its account goes back in the
        // queue; only the last one left gives up.
        if (err instanceof CredentialError && err.code === 'TooManyRequestsException' && running > 1) {
          running--;
          queue.push(a);
          return;
        }
        throw err;
      }
      out.push({ accountId: a.accountId, accountName: a.accountName, roles: roles.sort() });
      onProgress?.({ accounts: accounts.length, rolesListed: out.length });
    }
  });
  await Promise.all(workers);
  out.sort((x, y) => x.accountName.localeCompare(y.accountName) || x.accountId.localeCompare(y.accountId));
  const listing: PortalListing = { startUrl: ref.startUrl, ...(ref.session ? { session: ref.session } : {}), fetchedAt: new Date(now()).toISOString(), accounts: out };
  ensurePrivateDir(join(cacheDir, 'sso-portal'));
  writePrivateFile(listingPath(cacheDir, ref), JSON.stringify(listing));
  return listing;
}

export async function portalListing(ctx: StepContext, ref: SsoSessionRef, cacheDir: string, now: () => number, refresh = false, onProgress?: (p: ListingProgress) => void): Promise<PortalListing> {
  return (!refresh && cachedListing(cacheDir, ref, now())) || fetchListing(ctx, ref, cacheDir, now, onProgress);
}

/** A profile name for an account and role: `acme-prod/ReadOnlyAccess` style, safe in a section header. */
export function syncedProfileName(account: PortalAccount, role: string): string {
  const slug = account.accountName.trim().replace(/[\s"'\\[\]]+/g, '-').replace(/^-+|-+$/g, '') || account.accountId;
  return `${slug}.${role}`;
}

/** The profiles file `sso sync` writes: plain botocore syntax, one profile per account and role. */
export function renderSyncedProfiles(listing: PortalListing, ref: SsoSessionRef, region: string | undefined): string {
  const lines = [
    '# Written by `awsguard sso sync`; awsguard reads it after your own config, which always wins.',
    `# Source: ${listing.startUrl}, listed ${listing.fetchedAt}. Do not edit: it is rewritten on each sync.`,
    '',
  ];
  for (const account of listing.accounts) {
    for (const role of account.roles) {
      lines.push(`[profile ${syncedProfileName(account, role)}]`);
      if (ref.session) lines.push(`sso_session = ${ref.session}`);
      else lines.push(`sso_start_url = ${ref.startUrl}`, `sso_region = ${ref.region}`);
      lines.push(`sso_account_id = ${account.accountId}`, `sso_role_name = ${role}`);
      if (region) lines.push(`region = ${region}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}
