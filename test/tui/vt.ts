/**
 * A small terminal screen for the pseudo-terminal tests: enough of VT100/xterm to follow what
 * Ink writes (printing with wrap, CR/LF, cursor moves, erase in line and display, the
 * alternate screen) and show the screen as lines of text. Colours are dropped.
 */
export class Screen {
  private main: string[][];
  private alt: string[][] | undefined;
  private x = 0;
  private y = 0;
  private saved: [number, number] = [0, 0];
  private pending = '';

  constructor(
    public cols: number,
    public rows: number,
  ) {
    this.main = blank(cols, rows);
  }

  private get grid(): string[][] {
    return this.alt ?? this.main;
  }

  resize(cols: number, rows: number): void {
    const fit = (g: string[][]) => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => g[r]?.[c] ?? ' '));
    this.main = fit(this.main);
    if (this.alt) this.alt = fit(this.alt);
    this.cols = cols;
    this.rows = rows;
    this.x = Math.min(this.x, cols - 1);
    this.y = Math.min(this.y, rows - 1);
  }

  write(data: string): void {
    const text = this.pending + data;
    this.pending = '';
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\u001b') {
        const rest = text.slice(i);
        const csi = /^\u001b\[([?>=]?)([0-9;]*)([ -/]*)([@-~])/.exec(rest);
        if (csi) {
          this.csi(csi[1]!, csi[2]!, csi[4]!);
          i += csi[0].length;
          continue;
        }
        const osc = /^\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/.exec(rest);
        if (osc) {
          i += osc[0].length;
          continue;
        }
        if (rest.length < 3 && !/^\u001b[^[\]]/.test(rest)) {
          // An escape split across writes: keep it for the next one.
          this.pending = rest;
          return;
        }
        if (rest[1] === '7') this.saved = [this.x, this.y];
        if (rest[1] === '8') [this.x, this.y] = this.saved;
        i += 2;
        continue;
      }
      i++;
      if (ch === '\r') this.x = 0;
      else if (ch === '\n') this.lineFeed();
      else if (ch === '\b') this.x = Math.max(0, this.x - 1);
      else if (ch >= ' ') this.print(ch);
    }
  }

  /** The screen as lines, trailing spaces removed. */
  lines(): string[] {
    return this.grid.map((row) => row.join('').replace(/ +$/, ''));
  }

  text(): string {
    return this.lines().join('\n');
  }

  private print(ch: string): void {
    if (this.x >= this.cols) {
      this.x = 0;
      this.lineFeed();
    }
    this.grid[this.y]![this.x] = ch;
    this.x++;
  }

  private lineFeed(): void {
    if (this.y < this.rows - 1) this.y++;
    else {
      this.grid.shift();
      this.grid.push(Array.from({ length: this.cols }, () => ' '));
    }
  }

  private csi(prefix: string, params: string, final: string): void {
    const nums = params === '' ? [] : params.split(';').map((p) => (p === '' ? 0 : Number(p)));
    const n = (k: number, d = 1) => (nums[k] === undefined || nums[k] === 0 ? d : nums[k]!);
    if (prefix === '?') {
      if (nums.includes(1049) && final === 'h') {
        this.saved = [this.x, this.y];
        this.alt = blank(this.cols, this.rows);
      }
      if (nums.includes(1049) && final === 'l') {
        this.alt = undefined;
        [this.x, this.y] = this.saved;
      }
      return;
    }
    switch (final) {
      case 'A':
        this.y = Math.max(0, this.y - n(0));
        break;
      case 'B':
        this.y = Math.min(this.rows - 1, this.y + n(0));
        break;
      case 'C':
        this.x = Math.min(this.cols - 1, this.x + n(0));
        break;
      case 'D':
        this.x = Math.max(0, this.x - n(0));
        break;
      case 'E':
        this.y = Math.min(this.rows - 1, this.y + n(0));
        this.x = 0;
        break;
      case 'F':
        this.y = Math.max(0, this.y - n(0));
        this.x = 0;
        break;
      case 'G':
        this.x = Math.min(this.cols - 1, n(0) - 1);
        break;
      case 'H':
      case 'f':
        this.y = Math.min(this.rows - 1, n(0) - 1);
        this.x = Math.min(this.cols - 1, n(1) - 1);
        break;
      case 'J':
        this.eraseDisplay(nums[0] ?? 0);
        break;
      case 'K':
        this.eraseLine(nums[0] ?? 0);
        break;
    }
  }

  private eraseLine(mode: number): void {
    const row = this.grid[this.y]!;
    const [from, to] = mode === 0 ? [this.x, this.cols] : mode === 1 ? [0, this.x + 1] : [0, this.cols];
    for (let c = from; c < to; c++) row[c] = ' ';
  }

  private eraseDisplay(mode: number): void {
    if (mode === 2 || mode === 3) {
      for (const row of this.grid) row.fill(' ');
      return;
    }
    const rows = mode === 0 ? [this.y + 1, this.rows] : [0, this.y];
    for (let r = rows[0]!; r < rows[1]!; r++) this.grid[r]!.fill(' ');
    this.eraseLine(mode === 0 ? 0 : 1);
  }
}

function blank(cols: number, rows: number): string[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => ' '));
}
