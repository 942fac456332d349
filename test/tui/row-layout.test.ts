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

  it('gives the name its room first, then account, role, region, session and source, as room remains', () => {
    const plan = (width: number) => planColumns(width, measure([ROW], NOW));
    // 2 marker + 5 badge + 15 name, then each column and its gap.
    expect(plan(80)).toMatchObject({ name: 15, account: 22, role: 19, region: 9, session: 0, source: 3 });
    expect(plan(60)).toMatchObject({ name: 15, account: 22, role: 14, region: 0 });
    expect(plan(30)).toMatchObject({ name: 15, account: 0, role: 7, badge: 5 });
    expect(plan(40)).toMatchObject({ name: 15, account: 17, role: 0 });
    expect(text(ROW, 20)).toBe('  PROD acme…od-admin');
    expect(text(ROW, 20)).toHaveLength(20);
  });

  it('leaves out the badge column when no row is protected', () => {
    expect(text({ ...ROW, protected: false, profile: 'dev', alias: undefined, accountId: undefined }, 20)).toBe('  dev Administrator…');
  });

  it('at 80 columns, 212 profiles that share their starts: every name whole and on one line', () => {
    const regions = ['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-southeast-2'];
    const fleet: PickRow[] = Array.from({ length: 212 }, (_, i) => ({
      profile: `payments-${['dev', 'staging', 'prod'][i % 3]}-${regions[i % 4]}-${['admin', 'readonly', 'deploy'][(i >> 2) % 3]}-${i}`,
      accountId: String(100000000000 + i),
      alias: `acme-payments-${['dev', 'staging', 'prod'][i % 3]}`,
      role: ['AdministratorAccess', 'ReadOnlyAccess', 'Deploy'][(i >> 2) % 3],
      region: regions[i % 4],
      source: 'sso',
      protected: i % 3 === 2,
      sessionExpires: undefined,
    }));
    const plan = planColumns(80, measure(fleet, NOW));
    const lines = fleet.map((row) => plain(paint(rowSpans(row, plan, undefined, false, NOW), false)));
    for (const [i, line] of lines.entries()) {
      expect(line.length).toBeLessThanOrEqual(80);
      expect(line).toContain(fleet[i]!.profile + ' ');
    }
    expect(plan.account).toBeGreaterThan(0); // and what room is left tells accounts apart
  });

  it('a name cut for a narrow terminal keeps its end, where names sharing a start differ', () => {
    const a = { ...ROW, profile: 'payments-dev-eu-west-1-admin' };
    const b = { ...ROW, profile: 'payments-dev-eu-central-1-admin' };
    const plan = planColumns(26, measure([a, b], NOW));
    const [la, lb] = [a, b].map((row) => plain(paint(rowSpans(row, plan, undefined, false, NOW), false)));
    expect(la).toBe('  PROD paymen…west-1-admin');
    expect(lb).toBe('  PROD paymen…tral-1-admin');
    expect(la).not.toBe(lb);
  });

  it('measures and cuts wide characters by the columns they take', () => {
    const wide = { ...ROW, protected: false, profile: '開発-環境-管理者-アカウント', alias: undefined, accountId: undefined, role: undefined, region: undefined, sessionExpires: undefined };
    const line = plain(paint(rowSpans(wide, planColumns(20, measure([wide], NOW)), undefined, false, NOW), false));
    expect(line).toBe('  開発-環境-管理者-…');
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
    // 'acme…od-admin': the head keeps 0-3, the tail from 7 ('od-admin'); 4-6 are cut.
    const spans = rowSpans(ROW, planColumns(20, measure([ROW], NOW)), [[0, 6, 7, 8, 9], [], [], [], []], false, NOW);
    expect(spans.filter((s) => s.style === 'hit').map((s) => s.text)).toEqual(['a', 'od-']);
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
