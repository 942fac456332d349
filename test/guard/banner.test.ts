import { describe, expect, it } from 'vitest';
import { timeLeft } from '../../src/guard/banner.js';
import { formatBanner as marked, type BannerInfo, type BannerOptions } from '../../src/tty/identity-line.js';
import { toTerminal } from '../../src/tty/output.js';

// What reaches a colour terminal: the output layer renders the palette's marks as SGR.
const formatBanner = (b: BannerInfo, opts: BannerOptions) => toTerminal(marked(b, opts), opts.color ? 'colour' : 'none');

const now = Date.parse('2026-11-23T19:00:30Z');
const prod: BannerInfo = {
  profile: 'prod-admin',
  accountId: '333333333333',
  alias: 'acme-prod',
  role: 'Admin',
  region: 'eu-west-1',
  expiresAt: new Date('2026-11-23T20:00:00Z'),
  now,
  protected: true,
};
const ESC = /\x1b/;
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('formatBanner', () => {
  it('says profile, account, role, region, time left and PROTECTED in one line', () => {
    expect(formatBanner(prod, { color: false })).toBe('awsguard: prod-admin → acme-prod (333333333333) role Admin · eu-west-1 · 59m left · PROTECTED');
  });

  it('without colour has no escape codes at all; with colour marks PROTECTED red and bold, same words', () => {
    expect(formatBanner(prod, { color: false })).not.toMatch(ESC);
    const coloured = formatBanner(prod, { color: true });
    expect(coloured).toContain('\x1b[1;31mPROTECTED\x1b[0m');
    expect(strip(coloured)).toBe(formatBanner(prod, { color: false }));
  });

  it('leaves out what is unknown and never says PROTECTED for an unprotected account', () => {
    const plain = formatBanner({ profile: 'dev', accountId: '111111111111', now, protected: false }, { color: false });
    expect(plain).toBe('awsguard: dev → 111111111111');
    expect(formatBanner({ ...prod, protected: false }, { color: true })).not.toContain('PROTECTED');
  });

  it('names a session policy', () => {
    expect(formatBanner({ ...prod, protected: false, scoped: 'read-only' }, { color: false })).toBe(
      'awsguard: prod-admin → acme-prod (333333333333) role Admin · eu-west-1 · 59m left · read-only',
    );
  });

  it('cannot be repainted by control characters in a name', () => {
    const line = formatBanner({ ...prod, profile: 'evil\x1b[2K\rsafe', alias: 'a\x07b', protected: false }, { color: false });
    expect(line).not.toMatch(/[\x00-\x1f]/);
    expect(line).toContain('evil?[2K?safe → a?b');
  });
});

describe('timeLeft', () => {
  const at = (ms: number) => timeLeft(new Date(now + ms), now);
  it.each([
    [59 * 60_000 + 59_999, '59m left'],
    [60 * 60_000, '1h00m left'],
    [65 * 60_000, '1h05m left'],
    [12 * 3600_000, '12h00m left'],
    [59_999, '<1m left'],
    [0, 'EXPIRED'],
    [-1, 'EXPIRED'],
  ])('%i ms → %s', (ms, text) => expect(at(ms)).toBe(text));
});
