import { describe, expect, it } from 'vitest';
import { looksProtected } from '../../src/tui/protected-hint.js';

describe('looksProtected', () => {
  it('matches prod, production, prd and live as whole words, in any case', () => {
    for (const name of ['prod', 'acme-prod', 'prod.admin', 'acme_PROD_admin', 'production', 'x-prd', 'live', 'eu/live/ro', 'Prod'])
      expect(looksProtected(name), name).toBe(true);
  });
  it('does not match inside longer words or next to digits', () => {
    for (const name of ['product', 'reprod', 'prod2', 'liver', 'delivery', 'prd1', 'staging', ''])
      expect(looksProtected(name), name).toBe(false);
  });
  it('looks at every text given (name and alias) and skips missing ones', () => {
    expect(looksProtected('team-a', undefined, 'acme-production')).toBe(true);
    expect(looksProtected(undefined, 'team-a')).toBe(false);
  });
});
