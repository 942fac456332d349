import { describe, expect, it } from 'vitest';
import { Ranking, SELECTED, selectBest } from '../../src/tui/ranking.js';

function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
}

describe('selectBest', () => {
  it('gives the same first k as a full sort, whatever the input order', () => {
    const rand = random(7);
    for (const n of [0, 1, 5, 200, 1000]) {
      const keys = Array.from({ length: n }, () => Math.floor(rand() * 20));
      const before = (p: number, q: number) => keys[p]! - keys[q]! || p - q;
      const sorted = Array.from({ length: n }, (_, p) => p).sort(before);
      for (const k of [1, 10, 128]) expect([...selectBest(n, k, before)]).toEqual(sorted.slice(0, k));
    }
  });
  it('handles input already in order and in reverse', () => {
    const ascending = (p: number, q: number) => p - q;
    const descending = (p: number, q: number) => q - p;
    expect([...selectBest(500, 4, ascending)]).toEqual([0, 1, 2, 3]);
    expect([...selectBest(500, 4, descending)]).toEqual([499, 498, 497, 496]);
  });
});

describe('Ranking', () => {
  it('answers the first rows from the selection and the rest from a full sort, consistently', () => {
    const rand = random(3);
    const rows = Int32Array.from({ length: 1000 }, (_, i) => i * 2);
    const keys = Array.from({ length: 1000 }, () => Math.floor(rand() * 50));
    const ranking = new Ranking(rows, (p, q) => keys[q]! - keys[p]! || p - q);
    const expected = Array.from({ length: 1000 }, (_, p) => p)
      .sort((p, q) => keys[q]! - keys[p]! || p - q)
      .map((p) => rows[p]);
    expect(ranking.length).toBe(1000);
    expect(Array.from({ length: SELECTED }, (_, i) => ranking.at(i))).toEqual(expected.slice(0, SELECTED));
    expect(ranking.at(999)).toBe(expected[999]);
    expect([...ranking]).toEqual(expected);
    expect(ranking.at(1000)).toBeUndefined();
    expect(ranking.at(-1)).toBeUndefined();
  });
});
