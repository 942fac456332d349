/**
 * What botocore's `raw_config_parse` makes of one file: a port of CPython 3.11's
 * `configparser.RawConfigParser._read` with the defaults botocore uses (delimiters `=` and `:`,
 * full-line `#`/`;` comments only, strict, empty lines kept in values, `DEFAULT` as the default
 * section, keys lower-cased), botocore's `_parse_nested` for values that start on the line
 * after `key =`, and DEFAULT's options offered to every section after its own. It keeps the
 * line of every key so errors and `--show-origin` can point at them.
 *
 * Every command reads the whole config, cold, but most look at a profile or two. So reading is
 * split in two: one pass over the text checks everything botocore would reject the file for
 * (the file is rejected whole, so every line must be checked) and records where each section's
 * lines are; a section's settings are built from those lines when first asked for. `scan` does
 * both, so they cannot disagree on what a line means. `quickCheck` is a cheaper first check for
 * ordinary files; on anything else it leaves the file to `scan`.
 */
import { ConfigError } from '../errors.js';
import type { FileKind, Origin, Section, Setting, SourceFile } from './model.js';
import { isPySpaceCode, pySplitlines, pyStrip } from './python-text.js';

const DEFAULT_SECTION = 'DEFAULT';

const HASH = 0x23;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;
const TAB = 0x09;
/** More options than this in one section is unusual enough to leave to `scan`. */
const MAX_OPTIONS = 64;

/**
 * One file as `raw_config_parse` reads it: its sections in file order, without DEFAULT, each
 * with DEFAULT's settings after its own. A section is an index; its settings are built from its
 * lines when first asked for. Kept as a few arrays rather than an object per section: a big
 * config has tens of thousands, and every object made while reading survives to the end.
 */
export class IniFile {
  /** Per section: the text between the brackets, the header's line, where its lines start and end. */
  readonly headers: string[] = [];
  readonly lines: number[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** DEFAULT's settings, when it has any: built while checking the file (it is rare and small). */
  defaults: Map<string, Setting> | undefined = undefined;
  /** Lower-cased option names seen in this file: the same few names, one string each. */
  readonly names = new NameCache();
  /** Whether `quickCheck` took the file: then a section of plain options is built by `plainSettings`. */
  plain = false;
  private readonly built: Array<Map<string, Setting> | undefined> = [];

  constructor(
    readonly text: string,
    readonly file: SourceFile,
  ) {}

  get size(): number {
    return this.headers.length;
  }

  settings(index: number): ReadonlyMap<string, Setting> {
    return (this.built[index] ??= this.build(index));
  }

  /**
   * Lets go of the settings built so far; they are built again from the lines when next asked
   * for, the same. A pass over every profile (the picker's rows) would otherwise hold a map per
   * section to the end: at 50,000 profiles, two thirds of the heap the rows leave behind.
   */
  releaseSettings(): void {
    this.built.length = 0;
  }

  origin(index: number): Origin {
    return { file: this.file.path, kind: this.file.kind, line: this.lines[index]! };
  }

  /** The section as a `Section`, under its header or the name botocore gives it. */
  section(index: number, name = this.headers[index]!): Section {
    return new IniSection(this, index, name);
  }

  /** A section whose lines start at `start` and run to the end of the text unless `endAt` says otherwise. */
  add(header: string, line: number, start: number): void {
    const n = this.headers.length;
    this.headers[n] = header;
    this.lines[n] = line;
    this.starts[n] = start;
    this.ends[n] = this.text.length;
  }

  /** The lines of the section added last end where the next header's line starts. */
  endAt(end: number): void {
    this.ends[this.headers.length - 1] = end;
  }

  private build(index: number): Map<string, Setting> {
    if (this.plain) {
      const plain = plainSettings(this, this.starts[index]!, this.ends[index]!, this.lines[index]!);
      if (plain !== undefined) return plain;
    }
    const settings = new Map<string, Setting>();
    scan(this, this.starts[index]!, this.ends[index]!, this.lines[index]!, settings, undefined);
    const defaults = this.defaults;
    // Shared, not copied: every section gets the same DEFAULT setting objects.
    if (defaults !== undefined) for (const [name, setting] of defaults) if (!settings.has(name)) settings.set(name, setting);
    return settings;
  }
}

/** One section of an `IniFile` as a `Section`. */
class IniSection implements Section {
  constructor(
    private readonly ini: IniFile,
    private readonly index: number,
    readonly name: string,
  ) {}

  get settings(): ReadonlyMap<string, Setting> {
    return this.ini.settings(this.index);
  }

  get origin(): Origin {
    return this.ini.origin(this.index);
  }
}

/**
 * Reads one file's text; throws a ConfigError with the line where botocore would reject it.
 * `quick: false` skips `quickCheck`, for tests that hold the two checks to the same answers.
 */
export function readIni(source: string, path: string, kind: FileKind, { quick = true } = {}): IniFile {
  // Python's universal newlines end a line at \r\n and at a lone \r too: make both \n.
  const text = source.indexOf('\r') === -1 ? source : source.replace(/\r\n?/g, '\n');
  if (quick) {
    const ini = new IniFile(text, { path, kind });
    if (quickCheck(ini)) {
      ini.plain = true;
      return ini;
    }
  }
  const ini = new IniFile(text, { path, kind });
  scan(ini, 0, text.length, 0, undefined, new Map());
  if (ini.defaults !== undefined && ini.defaults.size === 0) ini.defaults = undefined;
  return ini;
}

/** An indented line that `_parse_nested` reads as one `key = value` piece: no line break of `splitlines()` in it. */
const NESTED_PIECE = /[ \t]+[^\n\v\f\x1c-\x1e\x85\u2028\u2029]*=[^\n\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\n|$)/y;

/**
 * The check for files as people and tools write them, which is most of the cost of reading a
 * big config: headers and keys at the start of their lines, ASCII at the ends of lines, spaces
 * and tabs for indentation, no DEFAULT. It does as little as it can per line, since it runs
 * cold, and gives up (false) on anything else, errors included, for `scan` to decide. What it
 * accepts, `scan` accepts with the same sections.
 */
function quickCheck(ini: IniFile): boolean {
  const { text, headers, lines, starts, ends } = ini;
  const length = text.length;
  // The section's option names so far, for configparser's duplicate check: where each is, and
  // a fingerprint of it lower-cased (length, first and last character) so that names are
  // compared in full only when their fingerprints meet. Lower-casing keeps a name's length
  // but for U+0130, which this leaves to `scan`.
  if (text.indexOf('\u0130') !== -1) return false;
  const prints: number[] = new Array<number>(MAX_OPTIONS).fill(0);
  const nameStarts: number[] = new Array<number>(MAX_OPTIONS).fill(0);
  const nameEnds: number[] = new Array<number>(MAX_OPTIONS).fill(0);
  let count = 0;
  let inSection = false;
  // Whether there is an option for continuation lines to extend, and whether its value was empty.
  let opt = false;
  let optEmpty = false;
  // The first `=` and `:` at or after the line being read (`length` when none), found once for many lines.
  let nextEquals = -1;
  let nextColon = -1;
  let pos = 0;
  let line = 0;
  while (pos < length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = length;
    const start = pos;
    pos = end + 1;
    line++;
    if (start === end) continue;
    const c = text.charCodeAt(start);
    if (c === SPACE || c === TAB) {
      // Options all start at the line's start here, so an indented line continues the option.
      // Nothing in a continuation of a plain value can be an error.
      if (opt && !optEmpty) continue;
      if (opt) {
        NESTED_PIECE.lastIndex = start;
        if (NESTED_PIECE.test(text)) continue;
      }
      // Otherwise only an empty line or a comment is sure to be fine.
      let s = start + 1;
      let f = text.charCodeAt(s);
      while (s < end && (f === SPACE || f === TAB)) f = text.charCodeAt(++s);
      if (s === end || f === HASH || f === SEMICOLON) continue;
      return false;
    }
    if (c === HASH || c === SEMICOLON) continue;
    let e = end;
    let last = text.charCodeAt(e - 1);
    while (last === SPACE || last === TAB) last = text.charCodeAt(--e - 1);
    if (last < 0x21 || last > 0x7e) return false;
    if (c === OPEN_BRACKET) {
      if (last !== CLOSE_BRACKET || e - start < 3) return false;
      const header = text.slice(start + 1, e - 1);
      if (header === DEFAULT_SECTION) return false;
      const index = headers.length;
      // What `IniFile.add` and `endAt` do, without two calls per section.
      if (index > 0) ends[index - 1] = start;
      headers[index] = header;
      lines[index] = line;
      starts[index] = pos;
      ends[index] = length;
      inSection = true;
      opt = false;
      count = 0;
      continue;
    }
    if (!inSection || c < 0x21 || c > 0x7e || c === EQUALS || c === COLON) return false;
    if (nextEquals < start) {
      nextEquals = text.indexOf('=', start);
      if (nextEquals === -1) nextEquals = length;
    }
    if (nextColon < start) {
      nextColon = text.indexOf(':', start);
      if (nextColon === -1) nextColon = length;
    }
    const at = nextEquals < nextColon ? nextEquals : nextColon;
    if (at >= e) return false;
    let nameEnd = at;
    let k = text.charCodeAt(nameEnd - 1);
    while (k === SPACE || k === TAB) k = text.charCodeAt(--nameEnd - 1);
    if (k < 0x21 || k > 0x7e || count === MAX_OPTIONS || nameEnd - start > 0xffff) return false;
    const print = (nameEnd - start) * 0x4000 + (c >= 0x41 && c <= 0x5a ? c | 0x20 : c) * 0x80 + (k >= 0x41 && k <= 0x5a ? k | 0x20 : k);
    for (let i = 0; i < count; i++) {
      if (prints[i] === print && text.slice(nameStarts[i]!, nameEnds[i]!).toLowerCase() === text.slice(start, nameEnd).toLowerCase()) return false;
    }
    prints[count] = print;
    nameStarts[count] = start;
    nameEnds[count++] = nameEnd;
    opt = true;
    optEmpty = at === e - 1;
  }
  // configparser's duplicate-section check, in one native call rather than one per section.
  return new Set(headers).size === headers.length;
}

/**
 * One option line with the blank and comment lines before it (group 1), as `quickCheck` takes
 * them: its name (group 2, before the first `=` or `:`) and its value (group 3), each without
 * the spaces and tabs around it. Anything else, indented lines included, does not match.
 */
const PLAIN_OPTION = /((?:[ \t]*(?:[#;][^\n]*)?\n)*)([^\s=:[#;][^=:\n]*?)[ \t]*[=:][ \t]*([^\n]*?)[ \t]*(?:\n|$)/y;
/** Blank and comment lines to the end of a section. */
const PLAIN_REST = /(?:[ \t]*(?:[#;][^\n]*)?(?:\n|$))*/y;

/**
 * The settings of a section of a file `quickCheck` took, when every line of it is a plain
 * option, a blank line or a comment (nearly every section of a big config); `undefined` for
 * anything else (continuation lines, nested values), which `scan` builds. A regular expression
 * runs as native code from its second use, while `scan` runs cold for most of the sections of
 * a big config, and building them all is the larger part of `profiles --json`. What it builds
 * is what `scan` would, given what `quickCheck` checked: no DEFAULT and no duplicate; names
 * start and end in printable ASCII, and so do lines (so trimming spaces and tabs is trimming
 * Python's whitespace); only a value's start is checked here.
 */
function plainSettings(ini: IniFile, from: number, to: number, line: number): Map<string, Setting> | undefined {
  const { text, file, names } = ini;
  const settings = new Map<string, Setting>();
  const option = PLAIN_OPTION;
  option.lastIndex = from;
  while (option.lastIndex < to) {
    const at = option.lastIndex;
    const m = option.exec(text);
    if (m === null) {
      PLAIN_REST.lastIndex = at;
      PLAIN_REST.test(text);
      return PLAIN_REST.lastIndex >= to ? settings : undefined;
    }
    const skipped = m[1]!;
    for (let i = skipped.indexOf('\n'); i !== -1; i = skipped.indexOf('\n', i + 1)) line++;
    line++;
    const value = m[3]!;
    const first = value.charCodeAt(0);
    // After the delimiter, whitespace other than spaces and tabs is Python's to strip.
    if (value !== '' && (first < 0x21 || first > 0x7e)) return undefined;
    const start = at + skipped.length;
    settings.set(names.get(text, start, start + m[2]!.length), { value, file, line });
  }
  return settings;
}

/**
 * configparser's `_read` over text[from, to), whose first line is `line + 1`. With `seen` (the
 * sections so far by header) it checks a whole file and adds its sections to `ini`, building
 * only DEFAULT's settings; with `into` it builds the settings of one section whose lines were
 * checked, so it meets no header and no error.
 */
function scan(ini: IniFile, from: number, to: number, line: number, into: Map<string, Setting> | undefined, seen: Map<string, number> | undefined): void {
  const { text, file, names } = ini;
  const path = file.path;
  // configparser's cursect, as far as this needs it: whether there is one, whether it is a
  // section of `ini` whose lines are still running, and the map to fill when building.
  let inSection = into !== undefined;
  let open = false;
  let building = into;
  let sectname = '';
  // The option continuation lines extend (configparser's optname when not empty): its name,
  // whether its first line's value was empty (then more lines make it nested), and its setting
  // when building.
  let optName = '';
  let optEmpty = false;
  let opt: Setting | undefined;
  // Empty lines seen since the option's last part: they count only if another part follows.
  let blanks = 0;
  let indentLevel = 0;
  // The first `=` and `:` at or after the line being read (the text's length when none).
  let nextEquals = -1;
  let nextColon = -1;
  // The option names of the section being checked, for configparser's duplicate check; a
  // build needs none (below, `building` is undefined only while checking).
  const options = seen === undefined ? undefined : new SeenNames();
  // configparser collects malformed lines and raises at the end, but raises duplicates and a
  // missing header at once: the first of those wins over any earlier malformed line.
  let deferred: ConfigError | undefined;
  // A `[` line with no `]` in the section being read: botocore reads it as a setting without a
  // value, so the next lines land in the section before and a key repeats. Its verdict stands;
  // this line, the likely cause, is named after it.
  let unclosed: number | undefined;
  const cause = () => (unclosed === undefined ? '' : `; line ${unclosed} opens a section without a closing ]`);
  // botocore parses nested values only once the file has parsed, DEFAULT's before the sections'.
  let nestedInDefaults: ConfigError | undefined;
  let nestedInSections: ConfigError | undefined;

  let pos = from;
  while (pos < to) {
    let end = text.indexOf('\n', pos);
    if (end === -1 || end > to) end = to;
    const lineStart = pos;
    pos = end + 1;
    line++;
    // The stripped line is text[s, e). Printable ASCII is never whitespace: most lines need
    // one look at each end and no call.
    let s = lineStart;
    let e = end;
    while (s < e) {
      const c = text.charCodeAt(s);
      if ((c > 0x20 && c < 0x7f) || !isPySpaceCode(c)) break;
      s++;
    }
    while (e > s) {
      const c = text.charCodeAt(e - 1);
      if ((c > 0x20 && c < 0x7f) || !isPySpaceCode(c)) break;
      e--;
    }
    if (s === e) {
      if (optName !== '') blanks++;
      continue;
    }
    const first = text.charCodeAt(s);
    if (first === HASH || first === SEMICOLON) continue;
    const indent = s - lineStart;
    if (optName !== '' && indent > indentLevel) {
      if (opt !== undefined) {
        const value = opt.value;
        if (typeof value === 'string' && value !== '') {
          opt.value = value + (blanks === 0 ? '\n' : '\n'.repeat(blanks + 1)) + text.slice(s, e);
        } else {
          // `key =` then indented lines: the value botocore sees starts with a newline.
          const nested = typeof value === 'string' ? (opt.value = new Map<string, string>()) : value;
          const err = addNested(nested, text.slice(s, e), optName, path, line);
          if (err !== undefined) nestedInDefaults ??= err;
        }
      } else if (optEmpty) {
        // Only checked here; the section's build parses it again.
        const err = addNested(new Map(), text.slice(s, e), optName, path, line);
        if (err !== undefined) nestedInSections ??= err;
      }
      blanks = 0;
      continue;
    }
    indentLevel = indent;
    // A header is `\[(?P<header>.+)\]`: `[` then the longest run up to the last `]`.
    if (first === OPEN_BRACKET && seen !== undefined) {
      const close = text.lastIndexOf(']', e - 1);
      if (close >= s + 2) {
        const header = text.slice(s + 1, close);
        const existing = seen.get(header);
        if (existing !== undefined) {
          throw new ConfigError(`section [${header}] appears twice (first on line ${ini.lines[existing]})`, path, line);
        }
        if (open) ini.endAt(lineStart);
        if (header === DEFAULT_SECTION) {
          open = false;
          // DEFAULT may reopen: its map is its duplicate check.
          building = ini.defaults ??= new Map();
        } else {
          seen.set(header, ini.size);
          ini.add(header, line, pos);
          open = true;
          building = undefined;
          options!.clear();
        }
        inSection = true;
        unclosed = undefined;
        sectname = header;
        optName = '';
        opt = undefined;
        continue;
      }
    }
    if (first === OPEN_BRACKET && seen !== undefined && text.lastIndexOf(']', e - 1) < s) unclosed ??= line;
    if (!inSection) {
      throw new ConfigError(`expected a section header like [profile NAME] before ${JSON.stringify(text.slice(lineStart, end))}`, path, line);
    }
    // `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the option ends at the first delimiter.
    if (nextEquals < s) nextEquals = indexOrEnd(text, '=', s);
    if (nextColon < s) nextColon = indexOrEnd(text, ':', s);
    let at = nextEquals < nextColon ? nextEquals : nextColon;
    if (at > e) at = e;
    if (at === e) {
      deferred ??= new ConfigError(`expected "key = value" or a [section] header, found ${JSON.stringify(text.slice(s, e))}`, path, line);
      continue;
    }
    let nameEnd = at;
    while (nameEnd > s) {
      const c = text.charCodeAt(nameEnd - 1);
      if ((c > 0x20 && c < 0x7f) || !isPySpaceCode(c)) break;
      nameEnd--;
    }
    let valueStart = at + 1;
    while (valueStart < e) {
      const c = text.charCodeAt(valueStart);
      if ((c > 0x20 && c < 0x7f) || !isPySpaceCode(c)) break;
      valueStart++;
    }
    if (nameEnd === s) deferred ??= new ConfigError(`a setting without a name: ${JSON.stringify(text.slice(s, e))}`, path, line);
    const name = names.get(text, s, nameEnd);
    if (building !== undefined) {
      // In DEFAULT, its map is the duplicate check; a section being built was checked already.
      if (into === undefined && building.has(name)) throw new ConfigError(`"${name}" is set twice in [${sectname}]${cause()}`, path, line);
      opt = { value: valueStart === e ? '' : text.slice(valueStart, e), file, line };
      building.set(name, opt);
    } else if (!options!.add(name)) {
      throw new ConfigError(`"${name}" is set twice in [${sectname}]${cause()}`, path, line);
    }
    optName = name;
    optEmpty = valueStart === e;
    blanks = 0;
  }
  if (deferred !== undefined) throw deferred;
  if (nestedInDefaults !== undefined) throw nestedInDefaults;
  if (nestedInSections !== undefined) throw nestedInSections;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? text.length : at;
}

/** One part of a nested value (`_parse_nested` on the joined value reads its parts in turn). */
function addNested(nested: Map<string, string>, part: string, name: string, path: string, line: number): ConfigError | undefined {
  for (const piece of pySplitlines(part)) {
    const stripped = pyStrip(piece);
    if (!stripped) continue;
    const eq = stripped.indexOf('=');
    if (eq === -1) return new ConfigError(`in the nested settings of "${name}", expected "key = value", found ${JSON.stringify(stripped)}`, path, line);
    nested.set(pyStrip(stripped.slice(0, eq)), pyStrip(stripped.slice(eq + 1)));
  }
  return undefined;
}

/**
 * `optionxform` (lower-casing) of text[start, end), returning the same string for the same
 * name: a file repeats a handful of names thousands of times, and comparing in place costs
 * less than making a string for each.
 */
class NameCache {
  private readonly slots: Array<string | undefined> = new Array<string | undefined>(64).fill(undefined);

  get(text: string, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    const slot = (length * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(end - 1)) & 63;
    const cached = this.slots[slot];
    if (cached !== undefined && cached.length === length && text.startsWith(cached, start)) return cached;
    const raw = text.slice(start, end);
    const lower = raw.toLowerCase();
    // Only names already in lower case: a cached name must equal the text it is matched against.
    if (lower === raw) this.slots[slot] = lower;
    return lower;
  }
}

/** configparser's duplicate-option check for one section: a list while small, a set beyond. */
class SeenNames {
  private list: string[] = [];
  private set: Set<string> | undefined;

  clear(): void {
    this.list.length = 0;
    this.set = undefined;
  }

  /** false when `name` was already there. */
  add(name: string): boolean {
    if (this.set !== undefined) {
      if (this.set.has(name)) return false;
      this.set.add(name);
      return true;
    }
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i] === name) return false;
    list.push(name);
    if (list.length > 16) this.set = new Set(list);
    return true;
  }
}
