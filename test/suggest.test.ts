import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../src/suggest.js';

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
});
