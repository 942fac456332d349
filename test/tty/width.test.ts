import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/commands/table.js';
import { formatBanner } from '../../src/tty/identity-line.js';
import { displayWidth, padEnd, truncate } from '../../src/tty/width.js';
import { HOSTILE, forbiddenOnScreen } from './hostile.js';
// The reference, as Ink measures (a dependency of Ink's): the same widths, without its start-up cost.
import stringWidth from 'string-width';

describe('display width', () => {
  it('counts CJK and emoji as two columns, combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('東京-prod')).toBe(9);
    expect(displayWidth('📦pkg')).toBe(5);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(truncate('東京東京東京', 7)).toBe('東京東…');
    expect(displayWidth(truncate('東京東京東京', 7))).toBeLessThanOrEqual(7);
    expect(padEnd('東京', 6)).toBe('東京  ');
  });

  it('agrees with string-width', () => {
    const samples = ['acme-prod', '東京-prod', 'ｈａｌｆ', 'ﾊﾝｶｸ', '📦', '👩‍💻 dev', '🇩🇪-prod', '1️⃣', 'e\u0301te\u0301', 'Ünïcödé', '한국어', 'a\u200bb', '✔ ok', '→ ·', 'Ελληνικά', 'עברית', '☁️ cloud', '🏳️‍🌈'];
    for (const s of samples) expect([s, displayWidth(s)]).toEqual([s, stringWidth(s)]);
  });
});

describe('tables', () => {
  const widths = (table: string) => table.trimEnd().split('\n').map(displayWidth);

  it('align CJK and emoji names', () => {
    const t = renderTable(['PROFILE', 'ACCOUNT'], [['東京-prod', '111111111111'], ['📦-dev', '222222222222'], ['plain', '333333333333']], { color: false });
    const starts = t.trimEnd().split('\n').map((line) => displayWidth(line.slice(0, line.search(/\d{12}|ACCOUNT/))));
    expect(new Set(starts).size).toBe(1);
  });

  it('at 80 columns keep one line per row, cutting the least important column first', () => {
    const rows = Array.from({ length: 5 }, (_, i) => [
      `payments-prod-eu-central-${i}`,
      `assume role arn:aws:iam::33333333333${i}:role/Administrator via sso acme (AdministratorAccess)`,
      `33333333333${i}`,
      'eu-central-1',
    ]);
    const t = renderTable(['PROFILE', 'CREDENTIALS', 'ACCOUNT', 'REGION'], rows, { color: false, width: 80, shrink: [1, 3, 0] });
    expect(t.trimEnd().split('\n')).toHaveLength(6);
    for (const w of widths(t)) expect(w).toBeLessThanOrEqual(80);
    // The names, the accounts and the regions are whole; the chain gave up its room.
    for (const r of rows) {
      expect(t).toContain(r[0]);
      expect(t).toContain(r[2]);
    }
    expect(t).toContain('eu-central-1');
    expect(t).toContain('…');
    // Without a width (piped): every column whole.
    const full = renderTable(['PROFILE', 'CREDENTIALS', 'ACCOUNT', 'REGION'], rows, { color: false });
    expect(full).toContain(rows[0]![1]);
  });

  it('clean every cell: a hostile name cannot add a line or an escape', () => {
    const t = renderTable(['PROFILE'], [[HOSTILE]], { color: false });
    expect(t.trimEnd().split('\n')).toHaveLength(2);
    expect(forbiddenOnScreen(t)).toEqual([]);
  });
});

describe('the identity line at 80 columns', () => {
  const now = Date.parse('2026-11-23T19:00:30Z');
  const long = {
    profile: 'payments-prod-eu-central-admin',
    accountId: '333333333333',
    alias: 'acme-payments-prod',
    role: 'AdministratorAccess',
    region: 'eu-central-1',
    expiresAt: new Date('2026-11-23T20:00:00Z'),
    now,
    protected: true,
    scoped: 'read-only',
  };

  it('drops the region, then the role, then the profile, never the account or PROTECTED', () => {
    const full = formatBanner(long, { color: false });
    expect(displayWidth(full)).toBeGreaterThan(80);
    const fitted = formatBanner(long, { color: false, width: 80 });
    expect(fitted.split('\n')).toHaveLength(1);
    expect(displayWidth(fitted)).toBeLessThanOrEqual(80);
    expect(fitted).toContain('acme-payments-prod (333333333333)');
    expect(fitted).toMatch(/PROTECTED$/);
    expect(fitted).not.toContain('eu-central-1');
    expect(fitted).toBe('awsguard: acme-payments-prod (333333333333) · 59m left · read-only · PROTECTED');
    const { scoped: _, ...unscoped } = long;
    expect(formatBanner({ ...unscoped, profile: 'pay-prod' }, { color: false, width: 80 })).toBe('awsguard: pay-prod → acme-payments-prod (333333333333) · 59m left · PROTECTED');
    expect(formatBanner(long, { color: false, width: 200 })).toBe(full);
  });

  it('breaks between parts when even that is too wide, never inside a word', () => {
    const lines = formatBanner({ ...long, alias: 'acme-payments-production-europe-central-primary' }, { color: false, width: 80 }).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(lines.join('\n')).toContain('acme-payments-production-europe-central-primary (333333333333)');
    expect(lines[lines.length - 1]).toMatch(/^ {10}.*PROTECTED$/);
  });
});
