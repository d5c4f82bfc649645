/**
 * Retention (docs/operations.md "Retention"): what the store drops or strips once it is older
 * than the configured months. Adapter: store/duckdb/retention.ts.
 */

/** First instants (dates, YYYY-MM-DD) that are kept; anything before goes. */
export interface RetentionCutoffs {
  /** Monthly triplets, daily counts, check observations and clone flags. */
  readonly triplets: string;
  /** IMSI and MSISDN of triplets and check observations. */
  readonly personalData: string;
  /** Closed history of input lists, generated lists and classification state. */
  readonly listHistory: string;
  /** Pipeline records (files, day runs, steps). */
  readonly audit: string;
}

export interface PrunedTable {
  readonly table: string;
  /** delete: rows removed; anonymise: rows whose IMSI and MSISDN are removed. */
  readonly action: 'delete' | 'anonymise';
  readonly rows: number;
  /** The rule, for people: e.g. `month < 2024-12-01`. */
  readonly rule: string;
}

export interface RetentionStore {
  /** Counts (dry run) or removes, in one transaction, what the cutoffs exclude. */
  prune(cutoffs: RetentionCutoffs, dryRun: boolean): Promise<PrunedTable[]>;
}
