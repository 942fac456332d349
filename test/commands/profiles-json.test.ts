/**
 * `profiles --json` is JSON.stringify(entries, null, 2) of the entries src/commands/profiles-json.ts
 * makes: whatever the keys and values, every setting is there once, secrets only as <redacted>,
 * and with --show-origin every key has its file:line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entriesJSON, entryObject, type EntryFields } from '../../src/commands/profiles-json.js';
import { isSecretKey, type Setting, type SourceFile } from '../../src/config/model.js';

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

describe('profiles --json entries', () => {
  it('hold every setting as botocore reads it, secrets redacted, and its origin when asked', () => {
    fc.assert(
      fc.property(fields, settings, fc.boolean(), (f, s, showOrigin) => {
        const entry = JSON.parse(JSON.stringify(entryObject(f, s, showOrigin))) as Record<string, unknown>;
        expect(entry).toMatchObject({ name: f.name, source: f.source, chain: f.chain, account_id: f.accountId ?? null, region: f.region ?? null });
        expect('error' in entry).toBe(f.error !== undefined);
        const written = entry.settings as Record<string, unknown>;
        expect(Object.keys(written).sort()).toEqual([...s.keys()].sort());
        for (const [key, { value }] of s) {
          const shown = written[key];
          if (typeof value === 'string') expect(shown).toBe(isSecretKey(key) ? '<redacted>' : value);
          else expect(shown).toEqual(Object.fromEntries([...value].map(([k, v]) => [k, isSecretKey(k) ? '<redacted>' : v])));
        }
        if (showOrigin) expect(entry.origins).toEqual(Object.fromEntries([...s].map(([k, { line }]) => [k, `${file.path}:${line}`])));
        else expect('origins' in entry).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('are written in batches as the whole array would be: JSON.stringify(entries, null, 2) and a newline', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fields, settings, fc.boolean()), { maxLength: 3 }), fc.constantFrom(0, 1, 255, 256, 257, 513), (some, count) => {
        const make = (i: number) => {
          const [f, s, showOrigin] = some.length ? some[i % some.length]! : [{ name: String(i), source: 'sso', chain: '', accountId: undefined, region: undefined, error: undefined }, new Map<string, Setting>(), false];
          return entryObject(f, s, showOrigin);
        };
        const whole = JSON.stringify(Array.from({ length: count }, (_, i) => make(i)), null, 2) + '\n';
        expect(Buffer.concat(entriesJSON(count, make)).toString('utf8')).toBe(whole);
      }),
      { numRuns: 60 },
    );
  });
});
