/** The picker's text goes through the one sanitiser (tui/paint.ts): names cannot draw on its screen. */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Filter } from '../../src/tui/filter.js';
import { Picker } from '../../src/tui/Picker.js';
import type { PickRow } from '../../src/tui/rows.js';
import { forbiddenOnScreen, HOSTILE } from '../tty/hostile.js';

afterEach(() => cleanup());

const row = (profile: string, alias: string | undefined, role?: string): PickRow => ({
  profile,
  accountId: '333333333333',
  alias,
  role,
  region: 'eu-west-1',
  source: 'sso',
  protected: true,
  sessionExpires: undefined,
});

describe('the picker with hostile names', () => {
  it.each([true, false])('shows them cleaned, rows one line each (colour %s)', async (colour) => {
    const rows = [row(HOSTILE, HOSTILE, HOSTILE), row('acme-prod', 'acme-prod', 'Admin')];
    const app = render(<Picker rows={rows} filter={new Filter(rows, new Float64Array(2))} initialQuery="" colour={colour} now={0} size={{ columns: 100, rows: 12 }} onDone={vi.fn()} />);
    await new Promise((r) => setImmediate(r));
    const frame = app.lastFrame() ?? '';
    expect(forbiddenOnScreen(frame)).toEqual([]);
    expect(frame).toContain('ev?[2K?]0;pwned?il?X?Y?31m?Z');
    // The prompt, the two rows and the key help: no line of a name's own.
    expect(frame.split('\n').filter((l) => l.includes('acme-prod') || l.includes('ev?'))).toHaveLength(2);
  });
});
