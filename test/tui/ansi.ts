/** Reading frames in tests: text without escapes, and which characters carry which SGR codes. */

const SGR = /\u001b\[([0-9;]*)m/g;
const ANY_ESCAPE = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

export function plain(text: string): string {
  return text.replace(ANY_ESCAPE, '');
}

/**
 * Wraps every run of characters drawn with SGR `code` active in [brackets], other escapes
 * removed: `marked(frame, 32)` shows what is green whatever order Ink wrote the codes in.
 */
export function marked(text: string, code: number): string {
  const active = new Set<number>();
  let out = '';
  let open = false;
  let last = 0;
  const flush = (chunk: string) => {
    for (const ch of chunk.replace(ANY_ESCAPE, '')) {
      const on = active.has(code) && ch !== '\n';
      if (on && !open) out += '[';
      if (!on && open) out += ']';
      open = on;
      out += ch;
    }
  };
  for (const m of text.matchAll(SGR)) {
    flush(text.slice(last, m.index));
    last = m.index + m[0].length;
    const params = m[1] === '' ? [0] : m[1]!.split(';').map(Number);
    for (const p of params) {
      if (p === 0) {
        active.clear();
      } else if (p === 22) {
        active.delete(1);
        active.delete(2);
      } else if (p === 24 || p === 27) {
        active.delete(p - 20);
      } else if (p === 39) {
        for (const c of [...active]) if (isForeground(c)) active.delete(c);
      } else {
        // A new foreground colour replaces the one before it, with no 39 in between.
        if (isForeground(p)) for (const c of [...active]) if (isForeground(c)) active.delete(c);
        active.add(p);
      }
    }
  }
  flush(text.slice(last));
  if (open) out += ']';
  return out;
}

const isForeground = (code: number) => (code >= 30 && code <= 37) || (code >= 90 && code <= 97);

/** SGR parameters that set a colour (foreground, background, 256-colour and RGB forms). */
export function colourCodes(text: string): number[] {
  const found: number[] = [];
  for (const m of text.matchAll(SGR)) {
    for (const p of (m[1] || '0').split(';').map(Number)) {
      if ((p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107)) found.push(p);
    }
  }
  return found;
}
