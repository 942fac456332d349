/**
 * How a row is laid out in a terminal of a given width: which columns fit, how wide each is,
 * and the styled text of each cell. Widths are planned once per set of rows (not per
 * keystroke) so columns stay put while the person types.
 */
import { EXPIRY_MARGIN_SECONDS } from '../credentials/session-cache.js';
import type { Span, Style } from './paint.js';
import type { PickRow } from './rows.js';
import { segments } from './highlight.js';
import { FIELDS, type FieldName } from './filter.js';
import { displayWidth, truncate } from '../tty/width.js';

export interface Maxima {
  name: number;
  account: number;
  role: number;
  region: number;
  source: number;
  session: number;
  anyProtected: boolean;
}

export interface ColumnPlan {
  badge: number;
  name: number;
  account: number;
  role: number;
  region: number;
  source: number;
  session: number;
}

/** `> ` before the selected row: ASCII, since Ink measures every line and pure ASCII takes string-width's fast path. */
const MARKER = 2;
const BADGE = 'PROD';
const CAPS = { name: 48, account: 36, role: 24, region: 14, source: 8, session: 11 } as const;
/**
 * After the name, which always comes first, the columns that tell rows apart, most telling
 * first: each gets what it wants of the room left, and is left out when less than its least
 * useful width remains.
 */
const FILL_ORDER = ['account', 'role', 'region', 'session', 'source'] as const;
const LEAST = { account: 8, role: 6, region: 9, session: CAPS.session, source: CAPS.source } as const; // session and source are short: whole or not at all
type Optional = (typeof FILL_ORDER)[number];

export function measure(rows: readonly PickRow[], now: number): Maxima {
  const m: Maxima = { name: 1, account: 0, role: 0, region: 0, source: 0, session: 0, anyProtected: false };
  for (const row of rows) {
    m.name = Math.max(m.name, displayWidth(row.profile));
    m.account = Math.max(m.account, displayWidth(accountText(row)));
    m.role = Math.max(m.role, displayWidth(row.role ?? ''));
    m.region = Math.max(m.region, displayWidth(row.region ?? ''));
    m.source = Math.max(m.source, sourceText(row).length);
    m.session = Math.max(m.session, sessionText(row.sessionExpires, now).length);
    if (row.protected) m.anyProtected = true;
  }
  return m;
}

/**
 * Names first: no name is cut while any other column is shown. Then, in FILL_ORDER, each column
 * its widest value (capped), or what room is left, or nothing.
 */
export function planColumns(width: number, maxima: Maxima): ColumnPlan {
  const plan: ColumnPlan = { badge: maxima.anyProtected ? BADGE.length + 1 : 0, name: 0, account: 0, role: 0, region: 0, source: 0, session: 0 };
  let room = width - MARKER - plan.badge;
  plan.name = Math.max(1, Math.min(maxima.name, CAPS.name, room));
  room -= plan.name;
  for (const col of FILL_ORDER) {
    const want = Math.min(maxima[col], CAPS[col]);
    const fits = Math.min(want, room - 1); // one column of gap before it
    if (want === 0 || fits < Math.min(want, LEAST[col])) continue;
    plan[col] = fits;
    room -= fits + 1;
  }
  return plan;
}

export function accountText(row: PickRow): string {
  if (row.alias && row.accountId) return `${row.alias} ${row.accountId}`;
  return row.alias ?? row.accountId ?? '';
}

export function sourceText(row: PickRow): string {
  if (row.ephemeral) return 'portal';
  return row.source === 'web-identity' ? 'web-id' : row.source;
}

/**
 * `live 42m`, `live 2h05m`, or nothing when no session is cached or it is too close to its end
 * to be reused (the session cache's margin): "live" means the next command needs no login.
 */
export function sessionText(expires: number | undefined, now: number): string {
  if (expires === undefined || expires - now <= EXPIRY_MARGIN_SECONDS * 1000) return '';
  const minutes = Math.floor((expires - now) / 60_000);
  if (minutes < 60) return `live ${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours >= 100 ? 'live 99h+' : `live ${hours}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Highlight positions per searchable field (see filter.ts FIELDS), or none. */
export type FieldHits = readonly (readonly number[])[] | undefined;

export function rowSpans(row: PickRow, plan: ColumnPlan, hits: FieldHits, selected: boolean, now: number): Span[] {
  const spans: Span[] = [];
  const hitsOf = (field: FieldName) => hits?.[FIELDS.indexOf(field)] ?? [];
  spans.push(selected ? { text: '> ', style: 'selected' } : { text: '  ', style: 'plain' });
  if (plan.badge) spans.push(row.protected ? { text: BADGE, style: 'badge' } : { text: ' '.repeat(BADGE.length), style: 'plain' }, gap());
  cell(spans, row.profile, plan.name, hitsOf('profile'), selected ? 'selected' : 'plain', true);
  const cols: Array<[Optional, () => void]> = [
    ['account', () => accountCell(spans, row, plan.account, hitsOf('alias'), hitsOf('accountId'))],
    ['role', () => cell(spans, row.role ?? '', plan.role, hitsOf('role'), 'plain')],
    ['region', () => cell(spans, row.region ?? '', plan.region, hitsOf('region'), 'dim')],
    ['source', () => cell(spans, sourceText(row), plan.source, [], row.source === 'broken' ? 'broken' : 'dim')],
    ['session', () => cell(spans, sessionText(row.sessionExpires, now), plan.session, [], 'live')],
  ];
  // Columns in reading order; FILL_ORDER only says which get room first.
  for (const [col, draw] of cols) {
    if (!plan[col]) continue;
    spans.push(gap());
    draw();
  }
  return trimEnd(spans);
}

const gap = (): Span => ({ text: ' ', style: 'plain' });

function accountCell(spans: Span[], row: PickRow, width: number, aliasHits: readonly number[], idHits: readonly number[]): void {
  const text = accountText(row);
  // The id follows the alias and a space, so its highlights shift by that much.
  const offset = row.alias && row.accountId ? row.alias.length + 1 : 0;
  const positions = row.alias ? [...aliasHits, ...idHits.map((p) => p + offset)] : [...idHits];
  cell(spans, text, width, positions, 'dim');
}

const ASCII = /^[\x20-\x7e]*$/;

/**
 * One cell: the text cut to `width` columns with an ellipsis, matched characters highlighted,
 * padded. `middle`: cut in the middle, keeping the end (names that share their start, as
 * payments-dev-eu-west-1 and payments-dev-eu-central-1 do, differ at the end).
 */
function cell(spans: Span[], text: string, width: number, hits: readonly number[], style: Style, middle = false): void {
  let cut = text;
  let shown = hits;
  if (displayWidth(text) > width && width > 0) {
    if (ASCII.test(text)) {
      const head = middle && width >= 8 ? Math.ceil((width - 1) / 3) : width - 1;
      const tail = width - 1 - head;
      const from = text.length - tail;
      cut = text.slice(0, head) + '…' + text.slice(from);
      shown = hits.flatMap((p) => (p < head ? [p] : tail && p >= from ? [p - from + head + 1] : []));
    } else {
      // Cut by display width, whole characters: highlights stay on what is left of the start.
      cut = truncate(text, width);
      shown = hits.filter((p) => p < cut.length - 1);
    }
  } else if (width <= 0) {
    cut = '';
  }
  for (const seg of segments(cut, shown)) spans.push({ text: seg.text, style: seg.hit ? 'hit' : style });
  const used = displayWidth(cut);
  if (used < width) spans.push({ text: ' '.repeat(width - used), style: 'plain' });
}

/** Trailing padding would only make lines wrap on terminals that are one column short. */
function trimEnd(spans: Span[]): Span[] {
  while (spans.length && spans[spans.length - 1]!.style === 'plain' && spans[spans.length - 1]!.text.trim() === '') spans.pop();
  return spans;
}
