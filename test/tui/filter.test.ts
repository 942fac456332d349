import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Filter, isBoundary, MatchClass, parseQuery, refines, SCATTERED_LETTER, SearchIndex, type SearchableRow } from '../../src/tui/filter.js';

function r(profile: string, extra: Partial<SearchableRow> = {}): SearchableRow {
  return { profile, alias: undefined, accountId: undefined, role: undefined, region: undefined, ...extra };
}

const run = (rows: SearchableRow[], query: string, frecency: number[] = []) =>
  [...new Filter(rows, Float64Array.from(rows, (_, i) => frecency[i] ?? 0)).run(query)].map((i) => rows[i]!.profile);

function classOf(field: string, term: string): number {
  const out = { tier: 0, fine: 0 };
  return new SearchIndex([r(field)]).matchTerm(0, parseQuery(term)[0]!, out) ? out.tier : MatchClass.none;
}

describe('parseQuery', () => {
  it('splits on any whitespace and uses smart case', () => {
    expect(parseQuery('  prod\teu  Admin ')).toEqual([
      { text: 'prod', caseSensitive: false },
      { text: 'eu', caseSensitive: false },
      { text: 'Admin', caseSensitive: true },
    ]);
    expect(parseQuery('   ')).toEqual([]);
  });
});

describe('match classes', () => {
  it('ranks the whole field, a whole word, a word start, a substring, then fuzzy matches', () => {
    expect(classOf('prod', 'prod')).toBe(MatchClass.exact);
    expect(classOf('acme-prod-admin', 'prod')).toBe(MatchClass.word);
    expect(classOf('prod.admin', 'prod')).toBe(MatchClass.word);
    expect(classOf('production', 'prod')).toBe(MatchClass.wordStart);
    expect(classOf('acmeProduction', 'prod')).toBe(MatchClass.wordStart);
    expect(classOf('reproduce', 'prod')).toBe(MatchClass.substring);
    // Every run of matched characters starts a word: an acronym.
    expect(classOf('team1-dev-prod', 'tdp')).toBe(MatchClass.fuzzyTight);
    // Few gaps: fewer skipped characters than the term is long.
    expect(classOf('admin', 'amn')).toBe(MatchClass.fuzzyTight);
    expect(classOf('payments', 'pys')).toBe(MatchClass.fuzzy);
    // Letters scattered across words: the least of matches, each letter costing the row's tier.
    expect(classOf('sso-prod-readonly', 'pay')).toBe(MatchClass.scattered - 3 * SCATTERED_LETTER);
    expect(classOf('payments-prod', 'ep')).toBe(MatchClass.scattered - 2 * SCATTERED_LETTER);
    // Three or more letters, no word holding most of them: held back (NaN), not a match.
    expect(classOf('platform-analytics-eu-west', 'paws')).toBeNaN();
    expect(classOf('acme', 'xyz')).toBe(MatchClass.none);
  });

  it('is case-insensitive in lower case and exact with an upper-case letter', () => {
    expect(classOf('AdministratorAccess', 'admin')).toBe(MatchClass.wordStart);
    expect(classOf('AdministratorAccess', 'Admin')).toBe(MatchClass.wordStart);
    expect(classOf('administrator', 'Admin')).toBe(MatchClass.none);
  });

  it('finds word boundaries at separators, camelCase humps and letter/digit changes', () => {
    expect(isBoundary('acme-prod', 5)).toBe(true);
    expect(isBoundary('acmeProd', 4)).toBe(true);
    expect(isBoundary('team12', 4)).toBe(true);
    expect(isBoundary('team12', 5)).toBe(false);
    expect(isBoundary('prod', 2)).toBe(false);
    expect(isBoundary('a--b', 2)).toBe(false);
  });
});

describe('Filter', () => {
  const rows = [
    r('acme-dev', { alias: 'acme-dev', accountId: '111111111111', role: 'Admin', region: 'eu-west-1' }),
    r('acme-prod', { alias: 'acme-prod', accountId: '222222222222', role: 'Admin', region: 'eu-central-1' }),
    r('acme-prod-ro', { alias: 'acme-prod', accountId: '222222222222', role: 'ReadOnly', region: 'us-east-1' }),
    r('product-x', { region: 'eu-west-1' }),
    r('billing', { accountId: '333333333333', role: 'Billing', region: 'us-east-1' }),
  ];

  it('needs every term to match some field, in any order', () => {
    expect(run(rows, 'prod eu admin')).toEqual(['acme-prod']);
    expect(run(rows, 'admin eu prod')).toEqual(['acme-prod']);
    expect(run(rows, 'us 2222')).toEqual(['acme-prod-ro']);
    expect(run(rows, 'prod zzz')).toEqual([]);
  });

  it('does not let one term span two fields', () => {
    // "dev" + "eu" would be a subsequence of "acme-dev\0...\0eu-west-1" but is in no single field.
    expect(run(rows, 'deveu')).toEqual([]);
  });

  it('puts whole words before word starts, and ties in the rows own order', () => {
    expect(run(rows, 'prod')).toEqual(['acme-prod', 'acme-prod-ro', 'product-x']);
  });

  it('lets frecency order equally good matches but not outrank a better one', () => {
    expect(run(rows, 'prod', [0, 0, 5, 9])).toEqual(['acme-prod-ro', 'acme-prod', 'product-x']);
    expect(run(rows, '', [0, 3, 0, 0, 7])).toEqual(['billing', 'acme-prod', 'acme-dev', 'acme-prod-ro', 'product-x']);
  });

  it('limits a search to a scope (the rows of one account)', () => {
    const filter = new Filter(rows, new Float64Array(rows.length));
    const account = Int32Array.from([1, 2]);
    expect([...filter.run('', account)]).toEqual([1, 2]);
    expect([...filter.run('ro', account)].map((i) => rows[i]!.profile)).toEqual(['acme-prod-ro', 'acme-prod']);
    expect([...filter.run('billing', account)]).toEqual([]);
  });

  it('gives the same answers typing incrementally as searching afresh', () => {
    // Random rows and queries typed one character at a time, including spaces and Backspace.
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const words = ['acme', 'prod', 'dev', 'eu', 'west', 'admin', 'ro', 'team', '12', 'Read'];
    const many = Array.from({ length: 300 }, (_, i) =>
      r(`${words[rand(10)]}-${words[rand(10)]}-${i}`, { role: words[rand(10)], region: `${words[rand(10)]}-${rand(3)}`, accountId: String(100000000000 + rand(50)) }),
    );
    const frecency = Float64Array.from(many, () => rand(4));
    const typing = new Filter(many, frecency);
    for (let q = 0; q < 40; q++) {
      let query = '';
      const target = `${words[rand(10)]!.slice(0, 1 + rand(3))} ${words[rand(10)]!.slice(0, 1 + rand(3))}`;
      for (const ch of target) {
        query += ch;
        if (rand(6) === 0) query = query.slice(0, -1);
        expect([...typing.run(query)]).toEqual([...new Filter(many, frecency).run(query)]);
      }
    }
  });

  it('scores a row as the best of its fields scored one at a time (the index skips fields that cannot win, not ones that can)', () => {
    // Each field alone in a row of its own: no shortcut across fields can apply there.
    const FIELDS = ['profile', 'alias', 'accountId', 'role', 'region'] as const;
    const text = fc.stringMatching(/^[a-zA-Z0-9\-_. \u212a\u0130\u03a3\u00df]{0,12}$/);
    const row = fc.record({ profile: fc.stringMatching(/^[a-zA-Z0-9\-_.\u212a\u0130]{1,12}$/), alias: fc.option(text, { nil: undefined }), accountId: fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }), role: fc.option(text, { nil: undefined }), region: fc.option(text, { nil: undefined }) });
    fc.assert(
      fc.property(row, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 5 }), (one, pick, start, length) => {
        const values = FIELDS.map((f) => one[f] ?? '');
        const source = values[pick % 5]!;
        // A term from one of the fields (so that it often matches), or from the field's letters out of order.
        const raw = source.slice(start % (source.length + 1), (start % (source.length + 1)) + length) || source.slice(0, length);
        const [term] = parseQuery(pick % 3 === 0 ? [...raw].reverse().join('') : raw);
        if (!term) return;
        const whole = { tier: 0, fine: 0 };
        const matched = new SearchIndex([one]).matchTerm(0, term, whole);
        let best: { tier: number; fine: number } | undefined;
        for (const f of FIELDS) {
          const alone = { tier: 0, fine: 0 };
          const only: SearchableRow = { profile: undefined as unknown as string, alias: undefined, accountId: undefined, role: undefined, region: undefined, [f]: one[f] };
          if (!new SearchIndex([only]).matchTerm(0, term, alone) || Number.isNaN(alone.tier)) continue;
          if (!best || alone.tier > best.tier || (alone.tier === best.tier && alone.fine > best.fine)) best = alone;
        }
        if (best === undefined) {
          if (matched) expect(whole.tier).toBeNaN();
          // A term inside a field always matches.
          expect(values.some((v) => (term.caseSensitive ? v : v.toLowerCase()).includes(term.text))).toBe(false);
        } else {
          expect(matched).toBe(true);
          expect(whole.tier).toBe(best.tier);
          // Among fuzzy matches the first tight field wins, not the finest; among substrings the finest.
          if (best.tier >= MatchClass.substring) expect(whole.fine).toBe(best.fine);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('ranks letters scattered across words below word starts and substrings, whatever the frecency', () => {
    // What a person with 200 profiles typed: sso-prod-readonly (p..a..y across words) came first.
    const fleet = [
      r('sso-prod-readonly', { alias: 'acme-sso', role: 'ReadOnlyAccess', region: 'eu-west-1' }),
      r('payments-prod-us-east-1', { alias: 'acme-payments-prod', role: 'Admin', region: 'us-east-1' }),
      r('payments-prod-eu-west-1', { alias: 'acme-payments-prod', role: 'Admin', region: 'eu-west-1' }),
      r('payments-prod-eu-central-1', { alias: 'acme-payments-prod', role: 'Admin', region: 'eu-central-1' }),
    ];
    const used = [50, 0, 0, 0]; // sso-prod-readonly is used every morning
    expect(run(fleet, 'pay prod eu', used)).toEqual(['payments-prod-eu-west-1', 'payments-prod-eu-central-1', 'payments-prod-us-east-1', 'sso-prod-readonly']);
  });

  it('holds back a row too scattered for what is typed so far, and finds it when more is typed', () => {
    const fleet = [r('xp-xa-xy-ment'), r('payroll')];
    const typing = new Filter(fleet, new Float64Array(fleet.length));
    const names = (ranking: Iterable<number>) => [...ranking].map((i) => fleet[i]!.profile);
    let query = '';
    for (const ch of 'payment') {
      query += ch;
      expect(names(typing.run(query)), query).toEqual(names(new Filter(fleet, new Float64Array(fleet.length)).run(query)));
    }
    expect(names(typing.run('pay'))).toEqual(['payroll']);
    expect(names(typing.run('payment'))).toEqual(['xp-xa-xy-ment']);
  });

  it('highlights the characters each term matched, in the field it matched best', () => {
    const index = new SearchIndex(rows);
    const hits = index.highlights(1, parseQuery('prod eu admin'));
    // profile, alias, accountId, role, region
    expect(hits).toEqual([[5, 6, 7, 8], [], [], [0, 1, 2, 3, 4], [0, 1]]);
    expect(index.highlights(0, parseQuery('adv'))).toEqual([[0, 5, 7], [], [], [], []]);
  });
});

describe('refines', () => {
  it('holds when each earlier term is extended or new terms are added', () => {
    expect(refines(parseQuery('prod e'), parseQuery('prod'))).toBe(true);
    expect(refines(parseQuery('prod eu'), parseQuery('prod e'))).toBe(true);
    expect(refines(parseQuery('prodA'), parseQuery('prod'))).toBe(true);
  });
  it('fails when a term was shortened, replaced or reordered', () => {
    expect(refines(parseQuery('pro'), parseQuery('prod'))).toBe(false);
    expect(refines(parseQuery('eu prod'), parseQuery('prod eu'))).toBe(false);
    expect(refines(parseQuery('prod'), parseQuery('prod eu'))).toBe(false);
    expect(refines(parseQuery('prod'), parseQuery('Pro'))).toBe(false);
  });
});
