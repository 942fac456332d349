/**
 * Marked sections in the scripts under shell/ and completions/:
 *   # >>> NAME…      (the rest of the line says what the section is for)
 *   …
 *   # <<< NAME
 * `init --no-prompt` leaves out the `prompt` section; `completion` regenerates the `generated` one.
 */

interface Found {
  before: string;
  open: string;
  body: string;
  close: string;
  after: string;
}

function find(text: string, name: string): Found {
  const lines = text.split('\n');
  const opens = lines.flatMap((l, i) => (l === `# >>> ${name}` || l.startsWith(`# >>> ${name}:`) || l.startsWith(`# >>> ${name} `) ? [i] : []));
  const closes = lines.flatMap((l, i) => (l === `# <<< ${name}` ? [i] : []));
  const [start] = opens;
  const [end] = closes;
  if (opens.length !== 1 || closes.length !== 1 || start === undefined || end === undefined || end < start) {
    throw new Error(`expected one "# >>> ${name}" … "# <<< ${name}" section, found ${opens.length} and ${closes.length}`);
  }
  const join = (from: number, to: number) => lines.slice(from, to).map((l) => l + '\n').join('');
  return {
    before: join(0, start),
    open: lines[start]! + '\n',
    body: join(start + 1, end),
    close: lines[end]! + (end === lines.length - 1 ? '' : '\n'),
    after: lines.slice(end + 1).join('\n'),
  };
}

/** The text without the section, markers included. */
export function removeSection(text: string, name: string): string {
  const f = find(text, name);
  return f.before + f.after;
}

/** The lines between the markers. */
export function sectionBody(text: string, name: string): string {
  return find(text, name).body;
}

/** The text with the lines between the markers replaced by `body` (which ends in a newline). */
export function replaceSection(text: string, name: string, body: string): string {
  const f = find(text, name);
  return f.before + f.open + body + f.close + f.after;
}
