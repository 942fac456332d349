/**
 * A port of CPython 3.11's `configparser.RawConfigParser._read` with the defaults botocore
 * uses (delimiters `=` and `:`, full-line `#`/`;` comments only, strict, empty lines kept in
 * values, `DEFAULT` as the default section, keys lower-cased). It keeps the line of every
 * key and of every continuation line so errors and `--show-origin` can point at them.
 */
import { indentOf, pyRstrip, pyStrip, universalLines } from './python-text.js';

export interface RawOption {
  /** The first line's value; most options have nothing else. */
  first: string;
  /** 1-based line of the key. */
  line: number;
  /** Continuation parts after the first, as configparser collects them before joining with `\n`. */
  more?: string[];
  moreLines?: number[];
}

export interface RawSection {
  name: string;
  line: number;
  options: Map<string, RawOption>;
}

export interface ParsedIni {
  /** Sections in file order, without DEFAULT. */
  sections: Map<string, RawSection>;
  /** The `[DEFAULT]` section's options, which configparser offers to every section. */
  defaults: Map<string, RawOption>;
}

export class IniSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

const DEFAULT_SECTION = 'DEFAULT';

const HASH = 0x23;
const SEMICOLON = 0x3b;

/** Printable ASCII other than space: never whitespace to Python or JavaScript. */
function isPlainChar(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** A section header: `[` then the longest run up to the last `]` (the regex is `\[(?P<header>.+)\]`). */
function sectionHeader(value: string): string | undefined {
  if (value[0] !== '[') return undefined;
  const end = value.lastIndexOf(']');
  return end >= 2 ? value.slice(1, end) : undefined;
}

/** `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the option ends at the first delimiter. */
function splitOption(value: string): { name: string; value: string } | undefined {
  let at = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x3d || c === 0x3a) {
      at = i;
      break;
    }
  }
  if (at === -1) return undefined;
  return { name: pyRstrip(value.slice(0, at)), value: pyStrip(value.slice(at + 1)) };
}

export function parseIni(text: string): ParsedIni {
  const sections = new Map<string, RawSection>();
  const defaults = new Map<string, RawOption>();
  let cursect: Map<string, RawOption> | undefined;
  let sectname: string | undefined;
  let optname: string | undefined;
  let indentLevel = 0;
  // configparser collects malformed lines and raises at the end, but raises duplicates and a
  // missing header at once: the first of those wins over any earlier malformed line.
  let deferred: IniSyntaxError | undefined;

  const lines = universalLines(text);
  for (let i = 0; i < lines.length; i++) {
    const lineno = i + 1;
    const line = lines[i]!;
    // Most lines neither start nor end with whitespace: skip the scans for those.
    const plain = line.length > 0 && isPlainChar(line.charCodeAt(0)) && isPlainChar(line.charCodeAt(line.length - 1));
    const stripped = plain ? line : pyStrip(line);
    const first = stripped.charCodeAt(0);
    const isComment = first === HASH || first === SEMICOLON;
    const value = isComment ? '' : stripped;
    if (!value) {
      if (!isComment && cursect && optname) addPart(cursect.get(optname)!, '', lineno);
      continue;
    }
    const curIndent = plain ? 0 : indentOf(line);
    if (cursect && optname && curIndent > indentLevel) {
      addPart(cursect.get(optname)!, value, lineno);
      continue;
    }
    indentLevel = curIndent;
    const header = sectionHeader(value);
    if (header !== undefined) {
      sectname = header;
      const existing = sections.get(header);
      if (existing) {
        throw new IniSyntaxError(`section [${header}] appears twice (first on line ${existing.line})`, lineno);
      } else if (header === DEFAULT_SECTION) {
        cursect = defaults;
      } else {
        const section: RawSection = { name: header, line: lineno, options: new Map() };
        sections.set(header, section);
        cursect = section.options;
      }
      optname = undefined;
      continue;
    }
    if (!cursect) {
      throw new IniSyntaxError(`expected a section header like [profile NAME] before ${JSON.stringify(line)}`, lineno);
    }
    const opt = splitOption(value);
    if (!opt) {
      deferred ??= new IniSyntaxError(`expected "key = value" or a [section] header, found ${JSON.stringify(pyStrip(line))}`, lineno);
      continue;
    }
    if (!opt.name) deferred ??= new IniSyntaxError(`a setting without a name: ${JSON.stringify(pyStrip(line))}`, lineno);
    const name = opt.name.toLowerCase();
    // A section cannot reopen in one file, so its own map is configparser's duplicate check.
    if (cursect.has(name)) throw new IniSyntaxError(`"${name}" is set twice in [${sectname}]`, lineno);
    cursect.set(name, { first: opt.value, line: lineno });
    optname = name;
  }
  if (deferred) throw deferred;
  return { sections, defaults };
}

function addPart(opt: RawOption, part: string, line: number): void {
  (opt.more ??= []).push(part);
  (opt.moreLines ??= []).push(line);
}

/** The value configparser returns: parts joined with `\n`, trailing whitespace removed. */
export function joinedValue(opt: RawOption): string {
  return opt.more ? pyRstrip(opt.first + '\n' + opt.more.join('\n')) : opt.first;
}

/** Each part with its line, first included. */
export function partsOf(opt: RawOption): Array<[string, number]> {
  const out: Array<[string, number]> = [[opt.first, opt.line]];
  opt.more?.forEach((p, i) => out.push([p, opt.moreLines![i]!]));
  return out;
}
