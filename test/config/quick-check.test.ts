/**
 * readIni's quickCheck, the cheap first check for ordinary files, must leave every file as the
 * full scanner reads it: the same sections, settings and lines, or the same error. Files here
 * are mostly ordinary (so quickCheck takes them), with the odd line that should send it to the
 * scanner: odd whitespace, DEFAULT, duplicates, nested values, errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readIni, type IniFile } from '../../src/config/configparser.js';

function view(read: () => IniFile): unknown {
  let ini: IniFile;
  try {
    ini = read();
  } catch (err) {
    return { error: String(err), line: (err as { line?: number }).line };
  }
  // A file that reads without error builds every section without error too.
  return ini.headers.map((header, i) => ({
    header,
    origin: ini.origin(i),
    settings: [...ini.settings(i)].map(([k, s]) => [k, typeof s.value === 'string' ? s.value : [...s.value], s.file, s.line]),
  }));
}

const plainHeader = fc.constantFrom('[profile a]', '[profile b]', '[default]', '[sso-session s]', '[services x]', '[a]', '[profile c] ', '[profile d]\t');
const oddHeader = fc.constantFrom('[DEFAULT]', '[]', '[x', ' [profile e]', '[profile é]', '[a]]', '[profile f] # x', '[profile g]\x0c');
// 'xİx' lower-cases to 'xi̇x', one character longer.
const plainKey = fc.constantFrom('region', 'role_arn', 's3', 'sso_session', 'x', 'k-k', 'a.b', 'Region', 'REGION', 'duration_seconds', 'xİx', 'xi̇x');
const oddKey = fc.constantFrom('', 'a b', 'é', 'İ', 'i̇', '#k', ';k', '[k', 'k\x0c');
const delim = fc.constantFrom(' = ', '=', ' =', '= ', ': ', ':', '\t=\t');
const plainValue = fc.constantFrom('us-east-1', '', 'a = b', 'x:y', 'arn:aws:iam::1:role/A', 'v ', '#c', '3600');
// Python's whitespace after the delimiter and before a value: stripped, which spaces and tabs alone would not be.
const oddValue = fc.constantFrom('é', '\x0c', 'a\x0cb', 'q\x85', ' \u3000', '\u3000v', '\xa0v', '\x0bv', '\x1cv', '\x85v');
const option = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(plainKey, delim, plainValue).map(([k, d, v]) => k + d + v) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(plainKey, oddKey), delim, fc.oneof(plainValue, oddValue)).map(([k, d, v]) => k + d + v) },
);
const continuation = fc.constantFrom('  addressing_style = path', '\tx=1', '  bare', '  # c', '    ', '  a=b\x0cc', '  x\x85y=z', '  [profile z]', '  =v', '\x0c k=v');
const other = fc.constantFrom('', '', '# comment', '; c', 'garbage', ' ', '=x');
const line = fc.oneof(
  { weight: 2, arbitrary: plainHeader },
  { weight: 1, arbitrary: fc.oneof(plainHeader, oddHeader) },
  { weight: 8, arbitrary: option },
  { weight: 2, arbitrary: continuation },
  { weight: 2, arbitrary: other },
);
// Ordinary files only: what quickCheck takes, nested values and their errors included.
const ordinaryLine = fc.oneof(
  { weight: 1, arbitrary: fc.nat(40).map((n) => `[profile p${n}]`) },
  { weight: 6, arbitrary: fc.tuple(plainKey, delim, plainValue).map(([k, d, v]) => k + d + v) },
  { weight: 3, arbitrary: fc.constantFrom('  addressing_style = path', '\tx=1', '  bare', '  # c', '    ', '  [profile z]', '  =v', '  a = b = c') },
  { weight: 1, arbitrary: fc.constantFrom('', '# comment', '; c', '  # indented comment', '\t', 'k = \u3000v') },
);
const file = fc
  .tuple(fc.oneof(fc.array(line, { maxLength: 30 }), fc.array(ordinaryLine, { maxLength: 30 })), fc.constantFrom('\n', '\n', '\r\n'), fc.boolean())
  .map(([lines, eol, last]) => ['[profile top]', ...lines].join(eol) + (last ? eol : ''));

describe('quickCheck', () => {
  it('reads every file as the full scanner does', () => {
    fc.assert(
      fc.property(file, (text) => {
        expect(view(() => readIni(text, '/c', 'config'))).toEqual(view(() => readIni(text, '/c', 'config', { quick: false })));
      }),
      { numRuns: 3000 },
    );
  });
});
