/**
 * The picker's rows while they are built, for a picker that answers keys meanwhile
 * (type-ahead.ts, provisional view): the rows built so far, the rest known by name, and one
 * search index that holds each row by name until it is built, then whole, so that the filter
 * of the whole rows reuses it rather than indexing them again.
 */
import { Filter, SearchIndex, type SearchableRow } from './filter.js';
import type { PickRow } from './rows.js';

export class GrowingRows {
  /** Row i once built, in the names' order; a hole until then. */
  readonly rows: PickRow[];
  private index: SearchIndex | undefined;

  constructor(
    private readonly names: readonly string[],
    /** Builds the rows of these names, in this order. */
    private readonly build: (names: string[]) => PickRow[],
  ) {
    this.rows = new Array<PickRow>(names.length);
  }

  /** Builds the rows at these indices that are not built yet. */
  fill(indices: readonly number[]): void {
    const missing = indices.filter((i) => this.rows[i] === undefined);
    this.build(missing.map((i) => this.names[i]!)).forEach((row, k) => {
      this.rows[missing[k]!] = row;
      this.index?.set(missing[k]!, row);
    });
  }

  /**
   * A filter over the rows built so far and the other rows' names. Its index is made when a
   * key first needs it; nothing typed, none is made until the whole rows' filter needs one.
   */
  filter(frecency: Float64Array): Filter {
    return new Filter(this.rows, frecency, () => (this.index = new SearchIndex(Array.from(this.names, (profile, i) => this.rows[i] ?? byName(profile)))));
  }

  /** The index a key made, kept up with every row built since: for the whole rows' filter. */
  get searched(): SearchIndex | undefined {
    return this.index;
  }
}

function byName(profile: string): SearchableRow {
  return { profile, alias: undefined, accountId: undefined, role: undefined, region: undefined };
}
