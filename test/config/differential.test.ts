/**
 * Our reader against botocore itself on random files built from the pieces that trip INI
 * readers up: odd section names, `:` and `=`, continuation lines, comments, Python-only
 * whitespace, mixed line endings, BOMs, duplicates, DEFAULT.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requirePython } from '../support/require-tool.js';

const PYTHON = '/usr/bin/python3';
const botocore = requirePython('botocore.session');
import { viewOfTexts, type View } from '../support/config-view.js';

const names = ['a', 'b', 'default', 'prod.admin', 'café', 'x y', '"q r"', "'s'", '"u', 'DEFAULT', ''];
const header = fc.oneof(
  fc.constantFrom('[default]', '[DEFAULT]', '[profile]', '[profilex y]', '[ profile a ]', '[a]]', '[]', '[sso-session s]', '[services s]'),
  fc.constantFrom(...names).map((n) => `[profile ${n}]`),
  fc.constantFrom(...names).map((n) => `[${n}]`),
  fc.tuple(fc.constantFrom(...names), fc.constantFrom(' # c', ' x', '')).map(([n, t]) => `[profile ${n}]${t}`),
);
const key = fc.constantFrom('region', 'Region', 'role_arn', 'source_profile', 's3', 'x', 'aws_access_key_id', 'sso_session', 'k:k', '');
const value = fc.constantFrom('us-east-1', '', 'a = b', 'x:y', '# not a comment', 'v ; w', ' spaced ', 'arn:aws:iam::111111111111:role/A', 's');
const indent = fc.constantFrom('', '', '', ' ', '  ', '\t', '\u00a0', '\x1c', '\u3000', '\ufeff', '\x85');
const option = fc.tuple(indent, key, fc.constantFrom(' = ', '=', ': ', ':', ' =', ' : '), value).map(([i, k, d, v]) => `${i}${k}${d}${v}`);
const other = fc.constantFrom('# comment', '; comment', '  # indented comment', '', '   ', '\x0c', 'no delimiter', '  nested = 1', '  nested:1', '\tsub = v', '  bare');
const line = fc.oneof({ weight: 2, arbitrary: header }, { weight: 5, arbitrary: option }, { weight: 3, arbitrary: other });
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
const file = fc.tuple(fc.boolean(), fc.array(fc.tuple(line, eol), { maxLength: 14 }), fc.nat(20)).map(([withHeader, lines, r]) => {
  const body = lines.map(([l, e]) => l + e).join('');
  const text = (withHeader ? '[profile a]\n' : '') + body;
  return r === 0 ? '\ufeff' + text : text;
});
const pair = fc.tuple(fc.option(file, { nil: null, freq: 6 }), fc.option(file, { nil: null, freq: 3 }));

function botocoreViews(cases: Array<[string | null, string | null]>): View[] {
  const input = JSON.stringify(
    cases.map(([c, k]) => ({
      config: c === null ? null : Buffer.from(c).toString('base64'),
      credentials: k === null ? null : Buffer.from(k).toString('base64'),
    })),
  );
  const r = spawnSync(PYTHON, ['test/support/botocore_batch.py'], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`botocore_batch.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as View[];
}

/** botocore gives no line for a bad nested sub-section (a ValueError); ours does, which is better. */
function comparable(ours: View, theirs: View): View {
  if (!ours.ok && !theirs.ok && theirs.line === null) return { ...ours, line: null };
  return ours;
}

describe.skipIf(botocore.skip)(botocore.label('reader vs botocore on random files'), () => {
  it('agrees with botocore on 400 random config/credentials pairs', () => {
    botocore.assert();
    const cases = fc.sample(pair, { numRuns: 400, seed: 20261123 });
    const theirs = botocoreViews(cases);
    const mismatches: string[] = [];
    cases.forEach(([c, k], i) => {
      const ours = viewOfTexts(c, k);
      const expected = theirs[i]!;
      try {
        expect(comparable(ours, expected)).toEqual(expected);
      } catch {
        mismatches.push(JSON.stringify({ config: c, credentials: k, ours, botocore: expected }));
      }
    });
    expect(mismatches.slice(0, 3), `${mismatches.length} of ${cases.length} differ`).toEqual([]);
    // The generator must exercise both readable files and rejected ones.
    const readable = theirs.filter((v) => v.ok).length;
    expect(readable).toBeGreaterThan(cases.length * 0.2);
    expect(readable).toBeLessThan(cases.length * 0.9);
  });
});
