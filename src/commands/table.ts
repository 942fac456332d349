/** Plain aligned columns; colour only marks, the words carry the meaning. */
export interface TableOptions {
  color: boolean;
  highlight?: Array<'error' | 'protected' | undefined>;
}

const BOLD = '\x1b[1m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export function renderTable(header: string[], rows: string[][], opts: TableOptions): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out: string[] = [opts.color ? BOLD + line(header) + RESET : line(header)];
  rows.forEach((r, i) => {
    const text = line(r);
    out.push(opts.color && opts.highlight?.[i] ? RED + text + RESET : text);
  });
  return out.join('\n') + '\n';
}
