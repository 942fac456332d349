import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { Filter } from '../../src/tui/filter.js';
import { Picker, type PortalRows, type TerminalSize } from '../../src/tui/Picker.js';
import type { PickRow } from '../../src/tui/rows.js';
import { colourCodes, marked, plain } from './ansi.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');

function row(profile: string, extra: Partial<PickRow> = {}): PickRow {
  return {
    profile,
    accountId: undefined,
    alias: undefined,
    role: undefined,
    region: undefined,
    source: 'sso',
    protected: /prod/.test(profile),
    sessionExpires: undefined,
    ...extra,
  };
}

const ROWS: PickRow[] = [
  row('acme-dev', { accountId: '111111111111', alias: 'acme-dev', role: 'Admin', region: 'eu-west-1' }),
  row('acme-dev-ro', { accountId: '111111111111', alias: 'acme-dev', role: 'ReadOnly', region: 'eu-west-1' }),
  row('acme-prod', { accountId: '222222222222', alias: 'acme-prod', role: 'Admin', region: 'eu-west-1', sessionExpires: NOW + 42 * 60_000 }),
  row('acme-prod-ro', { accountId: '222222222222', alias: 'acme-prod', role: 'ReadOnly', region: 'us-east-1' }),
  row('billing', { accountId: '333333333333', role: 'Billing', region: 'us-east-1', source: 'role' }),
  row('sandbox', { source: 'keys', region: 'ap-southeast-2' }),
];

const keys = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  tab: '\t',
  enter: '\r',
  esc: '\u001b',
  backspace: '\u007f',
  ctrlC: '\u0003',
  ctrlN: '\u000e',
  ctrlP: '\u0010',
};

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Mounted {
  frame(): string;
  lines(): string[];
  press(...input: string[]): Promise<void>;
  onDone: ReturnType<typeof vi.fn>;
}

function mount(options: { rows?: PickRow[]; frecency?: number[]; query?: string; size?: TerminalSize; colour?: boolean; portal?: PortalRows } = {}): Mounted {
  const rows = options.rows ?? ROWS;
  const frecency = Float64Array.from(rows, (_, i) => options.frecency?.[i] ?? 0);
  const onDone = vi.fn();
  const app = render(
    <Picker
      rows={rows}
      filter={new Filter(rows, frecency)}
      {...(options.portal ? { portal: options.portal } : {})}
      initialQuery={options.query ?? ''}
      colour={options.colour ?? true}
      now={NOW}
      size={options.size ?? { columns: 80, rows: 12 }}
      onDone={onDone}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  return {
    frame,
    lines: () => plain(frame()).split('\n'),
    async press(...input: string[]) {
      for (const data of input) {
        // React runs effects (Ink subscribes to input in one) on the next turn of the event loop.
        await turn();
        app.stdin.write(data);
        // Ink delivers a lone Esc a turn later, since it may start an escape sequence.
        await turn();
        await turn();
      }
    },
    onDone,
  };
}

/** The profile on the line with the cursor. */
function selected(m: Mounted): string | undefined {
  const line = m.lines().slice(1).find((l) => l.startsWith('> '));
  return line && /^> (?:PROD |     )?(\S+)/.exec(line)?.[1];
}

/** The profile name on each list line, in order (the prompt line excluded). */
function listed(m: Mounted): string[] {
  return m
    .lines()
    .slice(1)
    .map((line) => /^(?:> |  )(?:PROD |     )?(\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

afterEach(() => cleanup());

describe('Picker', () => {
  it('lists every profile with account, role, region, source, badge and session, and counts them', () => {
    const m = mount();
    const [prompt, ...rest] = m.lines();
    expect(prompt).toMatch(/^> +6 of 6$/);
    expect(listed(m)).toEqual(['acme-dev', 'acme-dev-ro', 'acme-prod', 'acme-prod-ro', 'billing', 'sandbox']);
    const prod = rest.find((l) => l.includes('acme-prod '))!;
    expect(prod).toMatch(/PROD acme-prod +acme-prod 222222222222 +Admin +eu-west-1 +sso +live 42m/);
    expect(rest.find((l) => l.includes('sandbox'))).toMatch(/^ {7}sandbox +ap-southeast-2 +keys/);
  });

  it('draws the protected badge in red and as a word', () => {
    const m = mount();
    expect(marked(m.frame(), 31)).toContain('[PROD] acme-prod');
    expect(plain(m.frame())).toContain('PROD acme-prod-ro');
  });

  it('filters on every keystroke and highlights the matched characters', async () => {
    const m = mount();
    await m.press('b');
    expect(m.lines()[0]).toMatch(/^> b +\d+ of 6$/);
    await m.press('il');
    expect(listed(m)).toEqual(['billing']);
    expect(m.lines()[0]).toMatch(/1 of 6$/);
    expect(marked(m.frame(), 32)).toContain('[bil]ling');
  });

  it('needs every space-separated term to match, each in any field', async () => {
    const m = mount();
    await m.press('prod us read');
    expect(listed(m)).toEqual(['acme-prod-ro']);
    const line = marked(m.frame(), 32);
    expect(line).toContain('acme-[prod]-ro');
    expect(line).toContain('[us]-east-1');
    expect(line).toContain('[Read]Only');
  });

  it('matches account ids and regions', async () => {
    const m = mount();
    await m.press('3333');
    expect(listed(m)).toEqual(['billing']);
    expect(marked(m.frame(), 32)).toContain('[3333]33333333');
    await m.press(keys.backspace, keys.backspace, keys.backspace, keys.backspace, 'ap-south');
    expect(listed(m)).toEqual(['sandbox']);
  });

  it('orders by match quality first, then frecency', async () => {
    // acme-prod-ro is used most, acme-prod never: with no query the habit wins...
    const m = mount({ frecency: [0, 0, 0, 9, 0, 1] });
    expect(listed(m).slice(0, 2)).toEqual(['acme-prod-ro', 'sandbox']);
    // ...and among equally good matches too (both contain the word "prod")...
    await m.press('prod');
    expect(listed(m)).toEqual(['acme-prod-ro', 'acme-prod']);
    // ...but not over a better match: "ad" starts a word of acme-prod's role (Admin) and is
    // only inside acme-prod-ro's (ReadOnly).
    await m.press(' ad');
    expect(listed(m)).toEqual(['acme-prod', 'acme-prod-ro']);
  });

  it('moves with arrows, Ctrl-N/Ctrl-P, Home/End and chooses with Enter', async () => {
    const m = mount();
    expect(selected(m)).toBe('acme-dev');
    await m.press(keys.down, keys.down, keys.ctrlN, keys.up, keys.ctrlP);
    expect(selected(m)).toBe('acme-dev-ro');
    await m.press(keys.end);
    expect(selected(m)).toBe('sandbox');
    await m.press(keys.up);
    expect(selected(m)).toBe('billing');
    await m.press(keys.home, keys.down, keys.enter);
    expect(m.onDone).toHaveBeenCalledTimes(1);
    expect(m.onDone.mock.calls[0]![0]).toMatchObject({ profile: 'acme-dev-ro' });
  });

  it('scrolls: keeps the cursor on screen, pages, and shows N of M', async () => {
    const many = Array.from({ length: 40 }, (_, i) => row(`p${String(i).padStart(2, '0')}`));
    const m = mount({ rows: many, size: { columns: 40, rows: 8 } });
    // 8 rows: one kept free, the prompt, six list lines.
    expect(m.lines()).toHaveLength(7);
    expect(m.lines()[0]).toMatch(/40 of 40$/);
    expect(listed(m)).toEqual(['p00', 'p01', 'p02', 'p03', 'p04', 'p05']);
    await m.press(...Array(7).fill(keys.down));
    expect(listed(m)).toEqual(['p02', 'p03', 'p04', 'p05', 'p06', 'p07']);
    expect(m.lines().at(-1)).toMatch(/^> +p07/);
    await m.press(keys.pageDown);
    expect(selected(m)).toBe('p13');
    expect(m.lines().at(-1)).toMatch(/^> +p13/);
    await m.press(keys.pageUp, keys.pageUp);
    expect(selected(m)).toBe('p01');
    expect(m.lines()[1]).toMatch(/^> +p01/);
    await m.press(keys.end);
    expect(listed(m).at(-1)).toBe('p39');
    await m.press('p1');
    // p10..p19 start with it; p01, p21 and p31 hold it as a fuzzy match, ranked after.
    expect(m.lines()[0]).toMatch(/13 of 40$/);
    expect(listed(m)).toEqual(['p10', 'p11', 'p12', 'p13', 'p14', 'p15']);
  });

  it('drills into the profiles of one account with Tab or Right, and goes back with Left or Backspace', async () => {
    const m = mount();
    await m.press('prod-ro', keys.tab);
    expect(m.lines()[0]).toMatch(/^> +2 of 2$/);
    expect(m.lines()[1]).toContain('account acme-prod 222222222222');
    expect(listed(m)).toEqual(['acme-prod', 'acme-prod-ro']);
    await m.press('read');
    expect(listed(m)).toEqual(['acme-prod-ro']);
    // Left edits nothing while there is a query; Backspace does.
    await m.press(keys.left);
    expect(listed(m)).toEqual(['acme-prod-ro']);
    await m.press(keys.backspace, keys.backspace, keys.backspace, keys.backspace);
    expect(listed(m)).toEqual(['acme-prod', 'acme-prod-ro']);
    await m.press(keys.left);
    expect(m.lines()[0]).toMatch(/^> prod-ro +1 of 6$/);
    expect(m.lines()[1]).not.toContain('account');
    await m.press(keys.down, keys.up, keys.right, keys.down, keys.enter);
    expect(m.onDone.mock.calls[0]![0]).toMatchObject({ profile: 'acme-prod-ro' });
  });

  it('explains why a profile without a known account cannot be drilled into', async () => {
    const m = mount();
    await m.press('sandbox', keys.tab);
    expect(m.lines()[1]).toContain('no account known for sandbox');
    expect(listed(m)).toEqual(['sandbox']);
  });

  it('starts with --query already typed', () => {
    const m = mount({ query: 'billing' });
    expect(m.lines()[0]).toMatch(/^> billing +1 of 6$/);
    expect(listed(m)).toEqual(['billing']);
  });

  it('leaves with Esc or Ctrl-C, choosing nothing', async () => {
    const m = mount();
    await m.press('acme', keys.esc);
    expect(m.onDone).toHaveBeenCalledWith(undefined);
    const c = mount();
    await c.press(keys.ctrlC);
    expect(c.onDone).toHaveBeenCalledWith(undefined);
  });

  it('does nothing on Enter when nothing matches', async () => {
    const m = mount();
    await m.press('zzzz', keys.enter);
    expect(m.lines()[1]).toContain('no matches');
    expect(m.onDone).not.toHaveBeenCalled();
  });

  it('still works in a 20x5 terminal', async () => {
    const m = mount({ size: { columns: 20, rows: 5 } });
    const lines = m.lines();
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
    expect(lines[0]).toMatch(/^> +6 of 6$/);
    expect(lines[1]).toMatch(/^> +acme-dev/);
    await m.press('billing');
    expect(m.lines()[0]!.startsWith('> billing')).toBe(true);
    await m.press(keys.enter);
    expect(m.onDone.mock.calls[0]![0]).toMatchObject({ profile: 'billing' });
  });

  it('writes no colour codes without colour, but still marks matches and the badge with words and attributes', async () => {
    const m = mount({ colour: false });
    await m.press('prod');
    expect(colourCodes(m.frame())).toEqual([]);
    expect(marked(m.frame(), 4)).toContain('acme-[prod]');
    expect(plain(m.frame())).toContain('PROD acme-prod');
  });

  describe('the SSO portal (Ctrl-S)', () => {
    const ctrlS = '\u0013';
    const portalRow = row('sso:org/777777777777/ReadOnlyAccess', { accountId: '777777777777', alias: 'acme-logging', role: 'ReadOnlyAccess', ephemeral: true });
    const withPortal = [...ROWS, portalRow];
    const set = () => ({ rows: withPortal, filter: new Filter(withPortal, new Float64Array(withPortal.length)) });

    it('lists the portal on Ctrl-S, keeps the query, and switches back on the next Ctrl-S', async () => {
      let finish!: () => void;
      const listed = new Promise<void>((resolve) => (finish = resolve));
      const load = vi.fn(async () => {
        await listed;
        return set();
      });
      const m = mount({ portal: { load }, query: 'acme' });
      expect(m.lines()[0]).toMatch(/4 of 6$/);
      await m.press(ctrlS);
      expect(m.frame()).toContain('listing accounts and roles from the SSO portal…');
      await m.press(ctrlS); // a second press while listing starts nothing more
      finish();
      await m.press('');
      expect(m.lines()[0]).toMatch(/^> acme +5 of 7$/);
      expect(plain(m.frame())).toContain('acme-logging 777777777777');
      await m.press(ctrlS);
      expect(m.lines()[0]).toMatch(/4 of 6$/);
      await m.press(ctrlS);
      expect(m.lines()[0]).toMatch(/5 of 7$/);
      expect(load).toHaveBeenCalledTimes(1);
      await m.press('\u0015', 'logging', keys.enter);
      expect(m.onDone).toHaveBeenCalledWith(portalRow);
    });

    it('starts with the portal when it is already listed (--sso)', () => {
      const m = mount({ portal: { load: () => Promise.reject(new Error('not called')), loaded: set() } });
      expect(m.lines()[0]).toMatch(/7 of 7$/);
      expect(m.frame()).toContain('^s profiles');
    });

    it('says why when the portal cannot be listed, and stays usable', async () => {
      const m = mount({ portal: { load: () => Promise.reject(new Error('sso-session org: not logged in; run: awsguard login --sso-session org')) } });
      await m.press(ctrlS, '');
      expect(m.frame()).toContain('run: awsguard login --sso-session org');
      expect(m.lines()[0]).toMatch(/6 of 6$/);
      await m.press('bill', keys.enter);
      expect(m.onDone).toHaveBeenCalledWith(ROWS[4]);
    });

    it('says there is nothing to list without an SSO session', async () => {
      const m = mount();
      await m.press(ctrlS);
      expect(m.frame()).toContain('no [sso-session] in the AWS config');
    });
  });
});
