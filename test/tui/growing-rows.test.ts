/** The picker's rows as they are built (src/tui/growing-rows.ts): one index, by name until a row is built. */
import { describe, expect, it } from 'vitest';
import { Filter } from '../../src/tui/filter.js';
import { GrowingRows } from '../../src/tui/growing-rows.js';
import type { PickRow } from '../../src/tui/rows.js';

const row = (profile: string, role: string): PickRow => ({ profile, accountId: undefined, alias: undefined, role, region: undefined, source: 'sso', protected: false, sessionExpires: undefined });
const ROWS = [row('acme-dev', 'Admin'), row('billing', 'Billing'), row('sandbox', 'Admin')];

describe('rows built while the picker answers keys', () => {
  it('builds each row once, and keeps the index a key made up with the rows built after it', () => {
    const asked: string[] = [];
    const growing = new GrowingRows(
      ROWS.map((r) => r.profile),
      (names) => names.map((name) => (asked.push(name), ROWS.find((r) => r.profile === name)!)),
    );
    growing.fill([1]);
    const early = growing.filter(new Float64Array(3));
    expect(growing.searched).toBeUndefined();
    // Built: billing only. `admin` is a role, so only the rows built can match it; `san` a name.
    expect([...early.run('admin')]).toEqual([]);
    expect([...early.run('san')]).toEqual([2]);
    expect([...early.run('billing')]).toEqual([1]);
    growing.fill([0, 1, 2]);
    expect(asked).toEqual(['billing', 'acme-dev', 'sandbox']);
    const whole = new Filter(growing.rows, new Float64Array(3), growing.searched);
    expect([...whole.run('admin')].sort()).toEqual([0, 2]);
    expect(whole.index).toBe(growing.searched);
  });
});
