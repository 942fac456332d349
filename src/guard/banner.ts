/**
 * The one line on stderr that says who a command is about to act as:
 *
 *   awsguard: prod-admin → acme-prod (333333333333) role Admin · eu-west-1 · 59m left · PROTECTED
 *
 * A protected account is marked with a word, so it survives NO_COLOR, a log file and colour
 * blindness; colour only adds emphasis. Every field is stripped of control characters first: a
 * profile name in a config file must not be able to repaint the line that the guard relies on.
 */

export interface BannerInfo {
  profile: string;
  accountId: string;
  alias?: string;
  /** The role's (or user's) short name. */
  role?: string;
  region?: string;
  /** When the credentials expire; absent for credentials without an expiry. */
  expiresAt?: Date;
  /** Now, in epoch milliseconds (a parameter, so tests control it). */
  now: number;
  protected: boolean;
  /** A word for a session policy in force: `read-only`, `scoped`. */
  scoped?: string;
}

const RED_BOLD = '\x1b[1;31m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** C0 and C1 control characters, ESC included. */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
const clean = (text: string): string => text.replace(CONTROL, '?');

/** `59m left`, `1h05m left`, `<1m left`, `EXPIRED`. Minutes round down: never promise time that is not there. */
export function timeLeft(expiresAt: Date, now: number): string {
  const ms = expiresAt.getTime() - now;
  if (ms <= 0) return 'EXPIRED';
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 0) return '<1m left';
  if (minutes < 60) return `${minutes}m left`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m left`;
}

export function formatBanner(b: BannerInfo, opts: { color: boolean }): string {
  const paint = (code: string, text: string) => (opts.color ? `${code}${text}${RESET}` : text);
  const account = b.alias ? `${paint(BOLD, clean(b.alias))} (${clean(b.accountId)})` : paint(BOLD, clean(b.accountId));
  let who = `${clean(b.profile)} → ${account}`;
  if (b.role) who += ` role ${clean(b.role)}`;
  const parts = [who];
  if (b.region) parts.push(clean(b.region));
  if (b.expiresAt) {
    const left = timeLeft(b.expiresAt, b.now);
    parts.push(left === 'EXPIRED' ? paint(RED_BOLD, left) : left);
  }
  if (b.scoped) parts.push(clean(b.scoped));
  if (b.protected) parts.push(paint(RED_BOLD, 'PROTECTED'));
  const sep = opts.color ? ` ${DIM}·${RESET} ` : ' · ';
  return `awsguard: ${parts.join(sep)}`;
}
