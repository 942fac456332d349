import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseSections } from '../../src/config/load.js';
import { viewOfTexts } from '../support/config-view.js';

// Names and values a person could write that need no quoting in an INI file.
const word = fc.stringMatching(/^[a-z0-9][a-z0-9._@-]{0,15}$/);
const valueText = fc.stringMatching(/^[A-Za-z0-9/:=#;.,_ -]{0,30}$/).map((s) => s.trim());
const nested = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/), { minKeys: 1, maxKeys: 4 });
const settings = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), fc.oneof({ weight: 4, arbitrary: valueText }, { weight: 1, arbitrary: nested }), { maxKeys: 6 });
const model = fc.dictionary(word, settings, { maxKeys: 8 });

function render(profiles: Record<string, Record<string, string | Record<string, string>>>, eol: string): string {
  const out: string[] = [];
  for (const [name, s] of Object.entries(profiles)) {
    out.push(name === 'default' ? '[default]' : `[profile ${name}]`);
    for (const [k, v] of Object.entries(s)) {
      if (typeof v === 'string') out.push(`${k} = ${v}`);
      else {
        out.push(`${k} =`);
        for (const [nk, nv] of Object.entries(v)) out.push(`  ${nk} = ${nv}`);
      }
    }
    out.push('');
  }
  return out.join(eol);
}

describe('config reader properties', () => {
  it('reads back any valid file it is given, whatever the line endings', () => {
    fc.assert(
      fc.property(model, fc.constantFrom('\n', '\r\n'), (profiles, eol) => {
        const view = viewOfTexts(render(profiles, eol), null);
        expect(view.ok).toBe(true);
        if (!view.ok) return;
        expect(new Set(view.available_profiles)).toEqual(new Set(Object.keys(profiles)));
        for (const [name, s] of Object.entries(profiles)) expect(view.profiles[name]).toEqual(s);
      }),
      { numRuns: 150 },
    );
  });

  it('never throws anything but a ConfigError with a line, on any text', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: fc.constantFrom('[', ']', '=', ':', '#', ';', ' ', '\t', '\n', '\r', 'a', 'p', '"', "'", '\\', '\u00a0', '\ufeff'), maxLength: 200 }));
    fc.assert(
      fc.property(text, (t) => {
        try {
          parseSections(t, '/x/config', 'config');
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).line).toBeGreaterThanOrEqual(1);
          expect((err as ConfigError).message).toMatch(/^\/x\/config:\d+: /);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects random bytes only with a ConfigError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          viewOfTexts(bytes, null);
        } catch (err) {
          throw new Error(`not a ConfigError: ${String(err)}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
