/**
 * The picker before Ink (src/tui/type-ahead.ts): keys typed while Ink loads are answered with
 * the component's own rules, the last frame is the one the component starts with, and what it
 * leaves to Ink reaches Ink in order.
 */
import { cleanup, render } from 'ink-testing-library';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Filter } from '../../src/tui/filter.js';
import { Picker } from '../../src/tui/Picker.js';
import type { PickRow } from '../../src/tui/rows.js';
import { startEarly, type EarlyView, type ProvisionalView } from '../../src/tui/type-ahead.js';
import { measure } from '../../src/tui/row-layout.js';
import { GrowingRows } from '../../src/tui/growing-rows.js';
import type { Terminal } from '../../src/tty/device.js';
import { plain } from './ansi.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const SIZE = { columns: 80, rows: 12 };

const row = (profile: string, extra: Partial<PickRow> = {}): PickRow => ({ profile, accountId: undefined, alias: undefined, role: undefined, region: undefined, source: 'sso', protected: /prod/.test(profile), sessionExpires: undefined, ...extra });
const ROWS = [
  row('acme-dev', { accountId: '111111111111', role: 'Admin', region: 'eu-west-1' }),
  row('acme-prod', { accountId: '222222222222', role: 'Admin', region: 'eu-west-1' }),
  row('billing', { accountId: '333333333333', role: 'Billing', region: 'us-east-1', source: 'role' }),
  row('sandbox', { source: 'keys' }),
];

function terminal(): { terminal: Terminal; input: PassThrough; written: () => string } {
  const input = new PassThrough();
  let out = '';
  const output = { write: (text: string) => ((out += text), true) };
  return { terminal: { input, output, size: () => SIZE, close() {} } as unknown as Terminal, input, written: () => out };
}

const view = (note?: string): EarlyView => ({ rows: ROWS, filter: new Filter(ROWS, new Float64Array(ROWS.length)), note, portal: 'none', colour: true, now: NOW });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The screen after the last frame drawn: the text of each line of it. */
function lastFrame(written: string): string[] {
  const frames = written.split('\u001b[H');
  return plain(frames[frames.length - 1]!).split('\n');
}

afterEach(() => cleanup());

describe('the picker before Ink', () => {
  it('answers typing, Backspace and Ctrl-N, and its last frame is the one Ink starts with', async () => {
    const t = terminal();
    const early = startEarly(t.terminal, view('a note until the first key'), '', false);
    expect(lastFrame(t.written())[1]).toBe('a note until the first key');
    t.input.write('acmx');
    await turn();
    t.input.write('\u007fe\u000e');
    await turn();
    const start = early.stop();
    expect(start.state.level).toEqual({ query: 'acme', cursor: 1, top: 0 });
    expect(start.note).toBeUndefined();
    const ours = lastFrame(t.written());
    expect(ours[0]).toMatch(/^> acme +2 of 4$/);
    const ink = render(<Picker rows={ROWS} filter={view().filter} start={start} colour now={NOW} size={SIZE} onDone={vi.fn()} />);
    expect(plain(ink.lastFrame() ?? '').split('\n')).toEqual(ours.map((line) => line.trimEnd()));
  });

  it('chooses with Enter typed before Ink, and leaves with Ctrl-C', async () => {
    const t = terminal();
    const early = startEarly(t.terminal, view(), '', false);
    t.input.write('bill\r');
    expect(await early.finished).toEqual({ row: ROWS[2] });
    const u = terminal();
    const left = startEarly(u.terminal, view(), 'acme', false);
    u.input.write('\u0003');
    expect(await left.finished).toEqual({ row: undefined });
  });

  it('over a first page, answers keys typed before the full first frame and draws that frame for them, Enter included', async () => {
    // The keys are in the input before the picker reads it, as when typed at the first page.
    const t = terminal();
    t.input.write('bil');
    const early = startEarly(t.terminal, view(), '', true);
    expect(t.written()).toBe('');
    await turn();
    await turn();
    // One frame, the query's: none for the empty query first.
    expect(t.written().split('\u001b[H')).toHaveLength(2);
    const ours = lastFrame(t.written());
    expect(ours[0]).toMatch(/^> bil +1 of 4$/);
    const start = early.stop();
    expect(start.state.level.query).toBe('bil');
    const ink = render(<Picker rows={ROWS} filter={view().filter} start={start} colour now={NOW} size={SIZE} onDone={vi.fn()} />);
    expect(plain(ink.lastFrame() ?? '').split('\n')).toEqual(ours.map((line) => line.trimEnd()));

    const u = terminal();
    u.input.write('acme-p\r');
    const chosen = startEarly(u.terminal, view(), '', true);
    expect(await chosen.finished).toEqual({ row: ROWS[1] });
    await turn();
    expect(u.written()).toBe('');
  });

  it('over a first page, draws the full first frame a turn later when nothing is typed, or when stopped before that', async () => {
    const t = terminal();
    const early = startEarly(t.terminal, view(), '', true);
    await turn();
    expect(lastFrame(t.written())[0]).toMatch(/^> +4 of 4$/);
    expect(early.stop().state.level.query).toBe('');

    const u = terminal();
    const stopped = startEarly(u.terminal, view(), '', true);
    stopped.stop();
    expect(lastFrame(u.written())[0]).toMatch(/^> +4 of 4$/);
    await turn();
    expect(u.written().split('\u001b[H')).toHaveLength(2);
  });

  it('leaves an escape sequence, Tab and all after them to Ink, in order', async () => {
    const t = terminal();
    const early = startEarly(t.terminal, view(), '', false);
    t.input.write('ac');
    await turn();
    t.input.write('\u001b[B');
    await turn();
    t.input.write('x\t');
    await turn();
    expect(early.stop().state.level.query).toBe('ac');
    const left: string[] = [];
    let chunk: Buffer | null;
    while ((chunk = t.input.read() as Buffer | null) !== null) left.push(chunk.toString());
    expect(left.join('')).toBe('\u001b[Bx\t');

    const u = terminal();
    const tab = startEarly(u.terminal, view(), '', false);
    u.input.write('b\t');
    await turn();
    expect(tab.stop().state.level.query).toBe('');
    expect(String(u.input.read())).toBe('b\t');
  });

  describe('while the rows are still being built (a provisional view)', () => {
    /** The names alone, as pick.ts has them at once; `built` says which rows were asked for. */
    function provisional(): { view: ProvisionalView; built: Set<number> } {
      const built = new Set<number>();
      const growing = new GrowingRows(
        ROWS.map((r) => r.profile),
        (names) => names.map((name) => ROWS.find((r, i) => r.profile === name && built.add(i))!),
      );
      const fill = (indices: readonly number[]) => growing.fill(indices);
      return { view: { rows: growing.rows, filter: growing.filter(new Float64Array(ROWS.length)), note: undefined, portal: 'none', colour: false, now: NOW, maxima: measure([], NOW), fill }, built };
    }

    it('answers a query by name at once, the count a least, and building only the rows it shows', async () => {
      const t = terminal();
      const { view: partial, built } = provisional();
      t.input.write('bil');
      const early = startEarly(t.terminal, partial, '', true);
      await turn();
      const ours = lastFrame(t.written());
      expect(ours[0]).toMatch(/^> bil +1\+ of 4$/);
      expect(ours[1]).toMatch(/^> billing +333333333333 +Billing +us-east-1 +role/);
      expect([...built]).toEqual([2]);
      early.complete(view());
      await turn();
      expect(lastFrame(t.written())[0]).toMatch(/^> bil +1 of 4$/);
      expect(early.stop().state.level.query).toBe('bil');
    });

    it('holds Enter, and every key after it, until the whole rows, then chooses from them', async () => {
      // `admin` is no profile's name: only the whole rows (the role) match it.
      const t = terminal();
      const { view: partial } = provisional();
      const early = startEarly(t.terminal, partial, '', true);
      t.input.write('admin\rx');
      await turn();
      expect(lastFrame(t.written())[0]).toMatch(/^> admin +0\+ of 4$/);
      let answered: unknown;
      void early.finished.then((a) => (answered = a));
      await turn();
      expect(answered).toBeUndefined();
      early.complete(view());
      expect(await early.finished).toEqual({ row: ROWS[0] });
    });

    it('applies a held move before the keys typed after it, in later reads', async () => {
      const t = terminal();
      const { view: partial } = provisional();
      const early = startEarly(t.terminal, partial, '', true);
      // Over the names alone, `admin` has no match to move to; over the whole rows, two.
      t.input.write('admin');
      await turn();
      t.input.write('\u000e');
      await turn();
      t.input.write('\r');
      await turn();
      early.complete(view());
      expect(await early.finished).toEqual({ row: ROWS[1] });
    });

    it('leaves at once on Ctrl-C, and leaves an escape sequence with what follows to Ink', async () => {
      const t = terminal();
      const left = startEarly(t.terminal, provisional().view, '', true);
      t.input.write('ac\u0003');
      expect(await left.finished).toEqual({ row: undefined });

      const u = terminal();
      const early = startEarly(u.terminal, provisional().view, '', true);
      u.input.write('ac');
      await turn();
      u.input.write('\u001b[Bx');
      await turn();
      early.complete(view());
      await turn();
      expect(early.stop().state.level).toEqual({ query: 'ac', cursor: 0, top: 0 });
      expect(String(u.input.read())).toBe('\u001b[Bx');
    });
  });
});
