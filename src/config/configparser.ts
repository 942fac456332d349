/**
 * What botocore's `raw_config_parse` makes of one file, in a single pass over its text:
 * a port of CPython 3.11's `configparser.RawConfigParser._read` with the defaults botocore
 * uses (delimiters `=` and `:`, full-line `#`/`;` comments only, strict, empty lines kept in
 * values, `DEFAULT` as the default section, keys lower-cased), botocore's `_parse_nested` for
 * values that start on the line after `key =`, and DEFAULT's options offered to every section
 * after its own. It keeps the line of every key so errors and `--show-origin` can point at them.
 *
 * Every command reads the whole config, cold, and nearly everything this makes survives to the
 * end: so it builds the final settings directly, with no intermediate objects per line or per
 * option, and scans the text in place rather than splitting it into lines first.
 */
import { ConfigError } from '../errors.js';
import type { FileKind, Section, Setting, SourceFile } from './model.js';
import { isPySpaceCode, pySplitlines, pyStrip } from './python-text.js';

const DEFAULT_SECTION = 'DEFAULT';

const HASH = 0x23;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const OPEN_BRACKET = 0x5b;

/** A section whose settings map is still being filled. */
interface OpenSection extends Section {
  settings: Map<string, Setting>;
}

/**
 * The sections of one file in file order, without DEFAULT, each with DEFAULT's settings after
 * its own. Throws a ConfigError with the line where botocore would reject the file.
 */
export function readIni(source: string, path: string, kind: FileKind): Map<string, Section> {
  // Python's universal newlines end a line at \r\n and at a lone \r too: make both \n.
  const text = source.indexOf('\r') === -1 ? source : source.replace(/\r\n?/g, '\n');
  const file: SourceFile = { path, kind };
  const sections = new Map<string, OpenSection>();
  let defaults: Map<string, Setting> | undefined;
  let cursect: Map<string, Setting> | undefined;
  let sectname = '';
  // configparser's `optname` when it is not empty: the option that continuation lines extend.
  let opt: Setting | undefined;
  let optName = '';
  let optInDefaults = false;
  // Empty lines seen since the option's last part: they count only if another part follows.
  let blanks = 0;
  let indentLevel = 0;
  // configparser collects malformed lines and raises at the end, but raises duplicates and a
  // missing header at once: the first of those wins over any earlier malformed line.
  let deferred: ConfigError | undefined;
  // botocore parses nested values only once the file has parsed, DEFAULT's before the sections'.
  let nestedInDefaults: ConfigError | undefined;
  let nestedInSections: ConfigError | undefined;

  const len = text.length;
  let pos = 0;
  let lineno = 0;
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = len;
    const lineStart = pos;
    pos = end + 1;
    lineno++;
    // The stripped line is text[s, e).
    let s = lineStart;
    let e = end;
    while (s < e && isPySpaceCode(text.charCodeAt(s))) s++;
    while (e > s && isPySpaceCode(text.charCodeAt(e - 1))) e--;
    if (s === e) {
      if (opt !== undefined) blanks++;
      continue;
    }
    const first = text.charCodeAt(s);
    if (first === HASH || first === SEMICOLON) continue;
    const indent = s - lineStart;
    if (opt !== undefined && indent > indentLevel) {
      const part = text.slice(s, e);
      const value = opt.value;
      if (typeof value === 'string' && value !== '') {
        opt.value = value + (blanks === 0 ? '\n' : '\n'.repeat(blanks + 1)) + part;
      } else {
        // `key =` then indented lines: the value botocore sees starts with a newline.
        const nested = typeof value === 'string' ? (opt.value = new Map<string, string>()) : value;
        const err = addNested(nested, part, optName, path, lineno);
        if (err !== undefined) {
          if (optInDefaults) nestedInDefaults ??= err;
          else nestedInSections ??= err;
        }
      }
      blanks = 0;
      continue;
    }
    indentLevel = indent;
    // A header is `\[(?P<header>.+)\]`: `[` then the longest run up to the last `]`.
    if (first === OPEN_BRACKET) {
      const close = text.lastIndexOf(']', e - 1);
      if (close >= s + 2) {
        const header = text.slice(s + 1, close);
        const existing = sections.get(header);
        if (existing !== undefined) {
          throw new ConfigError(`section [${header}] appears twice (first on line ${existing.origin.line})`, path, lineno);
        } else if (header === DEFAULT_SECTION) {
          cursect = defaults ??= new Map();
        } else {
          cursect = new Map();
          sections.set(header, { name: header, settings: cursect, origin: { file: path, kind, line: lineno } });
        }
        sectname = header;
        opt = undefined;
        continue;
      }
    }
    if (cursect === undefined) {
      throw new ConfigError(`expected a section header like [profile NAME] before ${JSON.stringify(text.slice(lineStart, end))}`, path, lineno);
    }
    // `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the option ends at the first delimiter.
    let at = s;
    for (; at < e; at++) {
      const c = text.charCodeAt(at);
      if (c === EQUALS || c === COLON) break;
    }
    if (at === e) {
      deferred ??= new ConfigError(`expected "key = value" or a [section] header, found ${JSON.stringify(text.slice(s, e))}`, path, lineno);
      continue;
    }
    let nameEnd = at;
    while (nameEnd > s && isPySpaceCode(text.charCodeAt(nameEnd - 1))) nameEnd--;
    let valueStart = at + 1;
    while (valueStart < e && isPySpaceCode(text.charCodeAt(valueStart))) valueStart++;
    if (nameEnd === s) deferred ??= new ConfigError(`a setting without a name: ${JSON.stringify(text.slice(s, e))}`, path, lineno);
    const name = text.slice(s, nameEnd).toLowerCase();
    // A section cannot reopen in one file, so its own map is configparser's duplicate check.
    if (cursect.has(name)) throw new ConfigError(`"${name}" is set twice in [${sectname}]`, path, lineno);
    const setting: Setting = { value: text.slice(valueStart, e), file, line: lineno };
    cursect.set(name, setting);
    opt = name === '' ? undefined : setting;
    optName = name;
    optInDefaults = cursect === defaults;
    blanks = 0;
  }
  if (deferred !== undefined) throw deferred;
  if (nestedInDefaults !== undefined) throw nestedInDefaults;
  if (nestedInSections !== undefined) throw nestedInSections;
  if (defaults !== undefined && defaults.size > 0) {
    // Shared, not copied: every section gets the same DEFAULT setting objects.
    for (const section of sections.values()) {
      for (const [name, setting] of defaults) if (!section.settings.has(name)) section.settings.set(name, setting);
    }
  }
  return sections;
}

/** One part of a nested value (`_parse_nested` on the joined value reads its parts in turn). */
function addNested(nested: Map<string, string>, part: string, name: string, path: string, lineno: number): ConfigError | undefined {
  for (const piece of pySplitlines(part)) {
    const line = pyStrip(piece);
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq === -1) return new ConfigError(`in the nested settings of "${name}", expected "key = value", found ${JSON.stringify(line)}`, path, lineno);
    nested.set(pyStrip(line.slice(0, eq)), pyStrip(line.slice(eq + 1)));
  }
  return undefined;
}
