/**
 * What the check engine's snapshot builder needs from the store (architecture.md "Real-time
 * check engine"): the current generated lists of one list run, golden IMEIs and TAC presence,
 * as typed arrays (no strings on the hot path).
 *
 * Encoding (docs/decisions/0001): a valid IMEI is its 14-digit value as a number; an IMSI is the
 * number `1<digits>` (`core/ids/digit-key.ts`). A list row whose IMEI is malformed (a negative id
 * into `id_texts` in the store) cannot be a number: it travels as its normalised text (trimmed,
 * upper-cased, as `normaliseImei` makes it) in `malformed`, a small string list. Exceptions and
 * golden IMEIs are always valid IMEIs (list generation keeps only 14-digit pairings and golden
 * entries), so they have no malformed form.
 */

/** One list run's content for the check engine. Parallel arrays have the same length. */
export interface EirSnapshotData {
  /** The list run the rows come from (0 when no list was ever generated: empty lists). */
  readonly listRun: number;
  /** The run's as-of date (YYYY-MM-DD), '' when there is no run. */
  readonly asOf: string;
  /**
   * Reason sets: id -> the reason texts of a list row (its `reasons`, split at `|`). Id 0 is the
   * empty set; ids are below 4096 (the index keeps 12 bits).
   */
  readonly reasonSets: readonly (readonly string[])[];
  /** Black list: IMEI numbers (distinct) and their reason-set ids. */
  readonly black: { readonly imeis: Float64Array; readonly reasonSets: Uint16Array };
  /**
   * IMEIs pending block (on some operator's notification list): distinct IMEI numbers and their
   * reason-set ids. They are GREYLISTED.
   */
  readonly grey: { readonly imeis: Float64Array; readonly reasonSets: Uint16Array };
  /** Exception pairs (IMEI number, IMSI key `1<digits>`), distinct, all operators together. */
  readonly exceptions: { readonly imeis: Float64Array; readonly imsis: Float64Array };
  /** Golden IMEI numbers (never blocked). */
  readonly golden: Float64Array;
  /** Bitmap over the 10^8 TACs (12,500,000 bytes): bit t set when TAC t is in the TAC DB. */
  readonly tacBitmap: Uint8Array;
  /** Number of TACs set in `tacBitmap` (0: no TAC DB loaded, the unknown-TAC policy is off). */
  readonly tacCount: number;
  /** Black or pending rows with a malformed IMEI, by normalised text. */
  readonly malformed: readonly {
    readonly text: string;
    readonly kind: 'black' | 'grey';
    readonly reasonSet: number;
  }[];
}

/** Implemented by every store adapter. */
export interface EirSnapshotSource {
  /**
   * The lists of `listRun` (default: the latest run) as typed arrays. Throws a RangeError when
   * the run does not exist.
   */
  snapshotData(listRun?: number): Promise<EirSnapshotData>;
}

/** Bytes of the TAC bitmap (one bit per 8-digit TAC). */
export const TAC_BITMAP_BYTES = 12_500_000;
