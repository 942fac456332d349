import { describe, expect, it } from 'vitest';
import { paint } from '../../src/tui/paint.js';
import { measure, planColumns, rowSpans, sessionText } from '../../src/tui/row-layout.js';
import type { PickRow } from '../../src/tui/rows.js';
import { plain } from './ansi.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const ROW: PickRow = {
  profile: 'acme-prod-admin',
  accountId: '222222222222',
  alias: 'acme-prod',
  role: 'AdministratorAccess',
  region: 'eu-west-1',
  source: 'sso',
  protected: true,
  sessionExpires: NOW + 125 * 60_000,
};
const text = (row: PickRow, width: number, hits?: number[][], selected = false) => plain(paint(rowSpans(row, planColumns(width, measure([row], NOW)), hits, selected, NOW), false));

describe('row layout', () => {
  it('shows every column when there is room', () => {
    expect(text(ROW, 120)).toBe('  PROD acme-prod-admin acme-prod 222222222222 AdministratorAccess eu-west-1 sso live 2h05m');
  });

  it('gives up source, region, session, role, then account as the terminal narrows, never the name or badge', () => {
    const plan = (width: number) => planColumns(width, measure([ROW], NOW));
    expect(plan(80)).toMatchObject({ source: 0, region: 0, session: 10, role: 19, account: 22 });
    expect(plan(60)).toMatchObject({ session: 0, role: 0, account: 22, name: 15 });
    expect(plan(30)).toMatchObject({ account: 0, badge: 5, name: 15 });
    expect(text(ROW, 20)).toBe('  PROD acme-prod-ad…');
    expect(text(ROW, 20)).toHaveLength(20);
  });

  it('leaves out the badge column when no row is protected', () => {
    expect(text({ ...ROW, protected: false, profile: 'dev' }, 20)).toBe('  dev');
  });

  it('marks the selected row and puts account id highlights after the alias', () => {
    const spans = rowSpans(ROW, planColumns(120, measure([ROW], NOW)), [[], [5, 6], [0, 1], [], []], true, NOW);
    expect(spans[0]).toEqual({ text: '> ', style: 'selected' });
    const hits = spans.filter((s) => s.style === 'hit').map((s) => s.text);
    expect(hits).toEqual(['pr', '22']);
    const account = spans.map((s) => s.text).join('');
    expect(account).toContain('acme-prod 222222222222');
  });

  it('does not highlight characters cut off by the ellipsis', () => {
    const spans = rowSpans(ROW, planColumns(20, measure([ROW], NOW)), [[11, 12, 13], [], [], [], []], false, NOW);
    expect(spans.filter((s) => s.style === 'hit').map((s) => s.text)).toEqual(['d']);
  });
});

describe('sessionText', () => {
  it('says how long a cached session that can still be reused lives', () => {
    expect(sessionText(undefined, NOW)).toBe('');
    expect(sessionText(NOW - 1, NOW)).toBe('');
    expect(sessionText(NOW + 30_000, NOW)).toBe('');
    // Within the cache's five-minute margin the next command would log in again: not live.
    expect(sessionText(NOW + 5 * 60_000, NOW)).toBe('');
    expect(sessionText(NOW + 6 * 60_000, NOW)).toBe('live 6m');
    expect(sessionText(NOW + 42 * 60_000, NOW)).toBe('live 42m');
    expect(sessionText(NOW + 125 * 60_000, NOW)).toBe('live 2h05m');
    expect(sessionText(NOW + 200 * 3600_000, NOW)).toBe('live 99h+');
  });
});
