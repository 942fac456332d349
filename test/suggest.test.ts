import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, closestKey, editDistance } from '../src/suggest.js';

describe('closest', () => {
  it('finds typos, transpositions and prefixes', () => {
    const names = ['prod-admin', 'prod-readonly', 'dev', 'staging-deploy', 'p'];
    expect(closest('prod-admn', names)).toEqual(['prod-admin']);
    expect(closest('pord-admin', names)).toEqual(['prod-admin']);
    expect(closest('staging', names)).toEqual(['staging-deploy']);
    expect(closest('zzzzzz', names)).toEqual([]);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('answers as the edit distance of every candidate would, though it skips those too far in length', () => {
    // The rule written out plainly: every candidate's distance computed.
    const reference = (input: string, candidates: string[], max = 3): string[] => {
      const needle = input.toLowerCase();
      const limit = Math.max(2, Math.floor(needle.length / 3));
      const scored: Array<{ name: string; score: number }> = [];
      for (const name of candidates) {
        const hay = name.toLowerCase();
        const d = editDistance(needle, hay);
        if (d <= limit) scored.push({ name, score: d });
        else if (Math.min(needle.length, hay.length) >= 3 && (hay.includes(needle) || needle.includes(hay))) scored.push({ name, score: limit + 1 + Math.abs(hay.length - needle.length) / 100 });
      }
      scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
      return scored.slice(0, max).map((s) => s.name);
    };
    // U+0130 is one code unit that lower-cases to two: the length bound is the lower-cased one's.
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'P', '-', '1', '\u0130'), maxLength: 14 });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 30 }), (input, names) => {
        expect(closest(input, names)).toEqual(reference(input, names));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the answers for the names of one map, and looks again when the map grows', () => {
    const profiles = new Map<string, unknown>([['prod-admin', 1], ['dev', 2]]);
    expect(closestKey('prod-admn', profiles)).toEqual(['prod-admin']);
    expect(closestKey('prod-admn', profiles)).toBe(closestKey('prod-admn', profiles));
    profiles.set('prod-admins', 3);
    expect(closestKey('prod-admn', profiles)).toEqual(['prod-admin', 'prod-admins']);
  });
});
