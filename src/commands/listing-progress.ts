/**
 * What `sso accounts` and `sso sync` say while the portal is listed: nothing for a quick
 * listing of a few accounts; for many accounts, or one that takes a while, a line every
 * second or so and one when it is done, on stderr so the listing on stdout stays clean.
 */
import type { ListingProgress } from '../credentials/sso-portal.js';
import type { CommandContext } from '../cli/context.js';

/** From this many accounts a listing is worth following from the start. */
export const MANY_ACCOUNTS = 100;
/** A listing that has run this long is worth following whatever its size. */
export const SLOW_MS = 2_000;
const EVERY_MS = 1_000;

export function listingProgress(ctx: Pick<CommandContext, 'stderr'>, clock: () => number = () => performance.now()): (p: ListingProgress) => void {
  const start = clock();
  let last: number | undefined;
  return (p) => {
    const t = clock();
    const done = p.rolesListed === p.accounts;
    if (last === undefined && p.accounts < MANY_ACCOUNTS && t - start < SLOW_MS) return;
    // The last line always comes once others have; between, one a second at most.
    if (!done && last !== undefined && t - last < EVERY_MS) return;
    last = t;
    ctx.stderr.write(p.rolesListed === 0 ? `awsguard: listing roles in ${p.accounts} accounts...\n` : `awsguard: listed roles in ${p.rolesListed} of ${p.accounts} accounts\n`);
  };
}
