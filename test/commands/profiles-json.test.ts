/**
 * `profiles --json` is written entry by entry (src/commands/profiles-json.ts); its text must be
 * exactly JSON.stringify(entries, null, 2) of the entry objects, whatever the keys and values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entriesJSON, entryJSON, entryObject, type EntryFields } from '../../src/commands/profiles-json.js';
import type { Setting, SourceFile } from '../../src/config/model.js';

const file: SourceFile = { path: '/home/me/.aws/config "x"', kind: 'config' };
// Keys that objects order differently (array indices), that are special to objects, secrets, and anything.
const key = fc.oneof(
  fc.constantFrom('region', 'aws_secret_access_key', 'aws_session_token', '__proto__', 'constructor', '0', '1', '10', '01', '4294967295', '-1', 'a b', 'é', ''),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', '"', '\\', '\n', '\u2028', '\ud800', '</script>'));
const value = fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: fc.array(fc.tuple(key, text), { maxLength: 4 }).map((pairs) => new Map(pairs)) });
const settings = fc
  .array(fc.tuple(key, value, fc.nat(100_000)), { maxLength: 6 })
  .map((list) => new Map<string, Setting>(list.map(([k, v, line]) => [k, { value: v, file, line }])));
const fields: fc.Arbitrary<EntryFields> = fc.record({
  name: text,
  source: fc.constantFrom('sso', 'role', 'keys', 'broken'),
  chain: text,
  accountId: fc.option(text, { nil: undefined }),
  region: fc.option(text, { nil: undefined }),
  error: fc.option(
    fc.record({ type: fc.constant('ChainError'), file: fc.option(text, { nil: null }), line: fc.option(fc.nat(), { nil: null }), message: text }),
    { nil: undefined },
  ),
});

describe('profiles --json text', () => {
  it('is JSON.stringify(entries, null, 2) of the entry objects', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fields, settings), { maxLength: 4 }), fc.boolean(), (entries, showOrigin) => {
        const ours = entriesJSON(entries.map(([f, s]) => entryJSON(f, s, showOrigin)));
        expect(ours).toBe(JSON.stringify(entries.map(([f, s]) => entryObject(f, s, showOrigin)), null, 2));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes no entries as JSON.stringify does', () => {
    expect(entriesJSON([])).toBe(JSON.stringify([], null, 2));
  });
});
