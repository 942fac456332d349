/**
 * The identity line on stderr that says who a command is about to act as:
 *
 *   awsguard: prod-admin → acme-prod (333333333333) role Admin · eu-west-1 · 59m left · PROTECTED
 *
 * A protected account is marked with a word, so it survives NO_COLOR, a log file and colour
 * blindness; colour only adds emphasis (palette tokens, rendered by the output layer). Every
 * field is cleaned first (sanitize.ts): a profile name in a config file or an alias must not be
 * able to repaint the line that the guard relies on.
 *
 * On a terminal the line is fitted to its width, so it never wraps in the middle of a word
 * (`PR` / `OTECTED`): the region goes first, then the role, then the profile's name; if it is still too wide, it breaks
 * between parts, each further line indented under the first. The account and PROTECTED are
 * never left out.
 */
import { timeLeft } from '../guard/banner.js';
import { style } from './palette.js';
import { cleanText } from './sanitize.js';
import { displayWidth } from './width.js';

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

export interface BannerOptions {
  /** Style marks for the output layer; false: plain text. */
  color: boolean;
  /** The terminal's width; undefined (piped, a log): one line, however long. */
  width?: number | undefined;
}

const PREFIX = 'awsguard: ';

export function formatBanner(b: BannerInfo, opts: BannerOptions): string {
  const paint = (token: 'account' | 'protected', text: string) => (opts.color ? style(token, text) : text);
  const account = b.alias ? `${paint('account', cleanText(b.alias))} (${cleanText(b.accountId)})` : paint('account', cleanText(b.accountId));
  const who = (withRole: boolean) => `${cleanText(b.profile)} → ${account}${withRole && b.role ? ` role ${cleanText(b.role)}` : ''}`;
  const rest = (withRegion: boolean): string[] => {
    const parts: string[] = [];
    if (withRegion && b.region) parts.push(cleanText(b.region));
    if (b.expiresAt) {
      const left = timeLeft(b.expiresAt, b.now);
      parts.push(left === 'EXPIRED' ? paint('protected', left) : left);
    }
    if (b.scoped) parts.push(cleanText(b.scoped));
    if (b.protected) parts.push(paint('protected', 'PROTECTED'));
    return parts;
  };
  const sep = opts.color ? ` ${style('separator', '·')} ` : ' · ';
  const line = (parts: string[]) => PREFIX + parts.join(sep);
  const full = [who(true), ...rest(true)];
  const width = opts.width;
  if (width === undefined || displayWidth(line(full)) <= width) return line(full);
  // The least important parts go first: the region, the role, then the profile's name (the
  // person gave it; the account is what they need to read).
  for (const parts of [[who(true), ...rest(false)], [who(false), ...rest(false)], [account, ...rest(false)]]) {
    if (displayWidth(line(parts)) <= width) return line(parts);
  }
  // Still too wide: break between parts, never inside one.
  const pieces: Array<{ text: string; joiner: string }> = [
    { text: `${cleanText(b.profile)} →`, joiner: '' },
    { text: account, joiner: ' ' },
    ...rest(false).map((text) => ({ text, joiner: sep })),
  ];
  const lines: string[] = [];
  let current = PREFIX + pieces[0]!.text;
  for (const { text, joiner } of pieces.slice(1)) {
    const joined = current + joiner + text;
    if (displayWidth(joined) <= width) current = joined;
    else {
      lines.push(current);
      current = ' '.repeat(PREFIX.length) + text;
    }
  }
  lines.push(current);
  return lines.join('\n');
}
