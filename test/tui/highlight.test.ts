import { describe, expect, it } from 'vitest';
import { segments } from '../../src/tui/highlight.js';

describe('segments', () => {
  it('splits text into highlighted and plain runs', () => {
    expect(segments('acme-prod', [5, 6, 7, 8])).toEqual([
      { text: 'acme-', hit: false },
      { text: 'prod', hit: true },
    ]);
    expect(segments('abc', [0, 2])).toEqual([
      { text: 'a', hit: true },
      { text: 'b', hit: false },
      { text: 'c', hit: true },
    ]);
  });
  it('ignores positions past the end and handles no hits or empty text', () => {
    expect(segments('ab', [1, 5, 9])).toEqual([
      { text: 'a', hit: false },
      { text: 'b', hit: true },
    ]);
    expect(segments('ab', [])).toEqual([{ text: 'ab', hit: false }]);
    expect(segments('', [0])).toEqual([]);
  });
});
