/** Splits text into runs of highlighted and plain characters, for drawing matched characters. */
export interface Segment {
  text: string;
  hit: boolean;
}

/** `positions` are sorted character offsets into `text`; offsets past its end are ignored. */
export function segments(text: string, positions: readonly number[]): Segment[] {
  const out: Segment[] = [];
  let from = 0;
  let k = 0;
  while (from < text.length) {
    while (k < positions.length && positions[k]! < from) k++;
    const next = k < positions.length ? positions[k]! : text.length;
    if (next > from) {
      out.push({ text: text.slice(from, Math.min(next, text.length)), hit: false });
      from = Math.min(next, text.length);
      continue;
    }
    let end = from;
    while (k < positions.length && positions[k] === end && end < text.length) {
      end++;
      k++;
    }
    out.push({ text: text.slice(from, end), hit: true });
    from = end;
  }
  return out;
}
