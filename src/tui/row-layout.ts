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
/** Columns given up first when the terminal is narrow, least useful first. */
const DROP_ORDER = ['source', 'region', 'session', 'role', 'account'] as const;
type Optional = (typeof DROP_ORDER)[number];

export function measure(rows: readonly PickRow[], now: number): Maxima {
  const m: Maxima = { name: 1, account: 0, role: 0, region: 0, source: 0, session: 0, anyProtected: false };
  for (const row of rows) {
    m.name = Math.max(m.name, row.profile.length);
    m.account = Math.max(m.account, accountText(row).length);
    m.role = Math.max(m.role, row.role?.length ?? 0);
    m.region = Math.max(m.region, row.region?.length ?? 0);
    m.source = Math.max(m.source, sourceText(row).length);
    m.session = Math.max(m.session, sessionText(row.sessionExpires, now).length);
    if (row.protected) m.anyProtected = true;
  }
  return m;
}

export function planColumns(width: number, maxima: Maxima): ColumnPlan {
  const plan: ColumnPlan = {
    badge: maxima.anyProtected ? BADGE.length + 1 : 0,
    name: 0,
    account: Math.min(maxima.account, CAPS.account),
    role: Math.min(maxima.role, CAPS.role),
    region: Math.min(maxima.region, CAPS.region),
    source: Math.min(maxima.source, CAPS.source),
    session: Math.min(maxima.session, CAPS.session),
  };
  const nameWant = Math.min(maxima.name, CAPS.name);
  const nameMin = Math.min(nameWant, 16);
  const used = () => MARKER + plan.badge + DROP_ORDER.reduce((sum, col) => sum + (plan[col] ? plan[col] + 1 : 0), 0);
  for (const col of DROP_ORDER) {
    if (used() + nameMin <= width) break;
    plan[col] = 0;
  }
  plan.name = Math.max(1, Math.min(nameWant, width - used()));
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
  cell(spans, row.profile, plan.name, hitsOf('profile'), selected ? 'selected' : 'plain');
  const cols: Array<[Optional, () => void]> = [
    ['account', () => accountCell(spans, row, plan.account, hitsOf('alias'), hitsOf('accountId'))],
    ['role', () => cell(spans, row.role ?? '', plan.role, hitsOf('role'), 'plain')],
    ['region', () => cell(spans, row.region ?? '', plan.region, hitsOf('region'), 'dim')],
    ['source', () => cell(spans, sourceText(row), plan.source, [], row.source === 'broken' ? 'broken' : 'dim')],
    ['session', () => cell(spans, sessionText(row.sessionExpires, now), plan.session, [], 'live')],
  ];
  // Columns in reading order; DROP_ORDER only says which go first.
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

/** One cell: the text cut to `width` with an ellipsis, matched characters highlighted, padded. */
function cell(spans: Span[], text: string, width: number, hits: readonly number[], style: Style): void {
  const cut = text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text;
  const visible = text.length > width ? Math.max(0, width - 1) : cut.length;
  for (const seg of segments(cut, hits.filter((p) => p < visible))) spans.push({ text: seg.text, style: seg.hit ? 'hit' : style });
  if (cut.length < width) spans.push({ text: ' '.repeat(width - cut.length), style: 'plain' });
}

/** Trailing padding would only make lines wrap on terminals that are one column short. */
function trimEnd(spans: Span[]): Span[] {
  while (spans.length && spans[spans.length - 1]!.style === 'plain' && spans[spans.length - 1]!.text.trim() === '') spans.pop();
  return spans;
}
