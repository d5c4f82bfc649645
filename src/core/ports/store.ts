/**
 * The store port: what ingest, the CLI and later classification need from a database.
 * Adapters: `store/duckdb` (embedded default), later `store/postgres`. Both pass the contract
 * suite in `store/contract.ts`.
 *
 * Bulk data crosses the port as spool files (CSV, header row, formats below) so that each adapter
 * loads them with its own bulk path (DuckDB `read_csv`, PostgreSQL `COPY`). A commit is atomic:
 * it lands whole or changes nothing, also when the process is killed mid-way.
 */
import type { CeirError } from '../errors.js';
import type { Triplet } from '../rules/data-model.js';
import type { ClassificationStore, ListStore } from './classification-store.js';
import type { ReportStore } from './report-store.js';
import type { EirSnapshotSource } from './snapshot-source.js';
import type { ObservationStore } from './observation-store.js';

/** Every source of domain.md section 3. */
export const SOURCE_KINDS = [
  'operator',
  'gsma_tac',
  'stolen',
  'registration',
  'pairing',
  'golden',
  'barred',
  'barred_tac',
  'monitoring',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export type ListKind = Exclude<SourceKind, 'operator'>;

/** One quality gate's outcome, with the measured figure and its limit. */
export interface GateResult {
  readonly gate: string;
  readonly passed: boolean;
  /** Measured figure (a ratio for ratio gates). */
  readonly value: number;
  /** The configured limit: `value <= limit` passes for a `max` bound, `value >= limit` for `min`. */
  readonly limit: number;
  readonly bound: 'max' | 'min';
  readonly skipped?: string;
  readonly detail?: string;
}

export interface ImportRecord {
  readonly id: string;
  readonly source: SourceKind;
  readonly file: string;
  readonly sha256: string;
  readonly mode: 'full' | 'delta';
  readonly operator?: string;
  readonly periodStart?: string; // YYYY-MM-DD
  readonly periodEnd?: string;
  readonly rows: number;
  readonly accepted: number;
  readonly gates: readonly GateResult[];
  readonly startedAt: string; // ISO
  readonly finishedAt: string;
}

/**
 * Triplet spool (CSV with header): `month,imei,imei_text,imsi,imsi_text,msisdn,msisdn_text,
 * first_day,last_day,day_mask,rat_mask`. month = first day of the month (YYYY-MM-DD); imei = the
 * 14-digit value of a valid IMEI, else empty with the malformed text in imei_text; imsi/msisdn =
 * the number `1<digits>` (core/ids/digit-key.ts), else empty with any non-digit text in *_text,
 * both empty = null; first/last day of the month 1..31; day_mask bit d-1 = seen on day d;
 * rat_mask per `core/ids/rat.ts`. The same key may appear on several lines (partial
 * aggregates); the store merges them. The operator is the record's.
 */
export interface OperatorDumpCommit {
  readonly record: ImportRecord;
  readonly tripletSpools: readonly string[];
  /** Per-day distinct counts measured in the file, kept for the history gate. */
  readonly daily: readonly DailyCounts[];
}

export interface DailyCounts {
  readonly day: string; // YYYY-MM-DD
  readonly imeis: number;
  readonly imsis: number;
  readonly msisdns: number;
}

/**
 * List spool (CSV with header): `line,change_type,key,imei_norm,tac,imsi,msisdn,status,caps,attrs`.
 * line = 1-based line in the source file; change_type add|remove|update (empty in full lists);
 * key = the list's key after normalisation; caps = radio capability bitmask (TAC DB only);
 * attrs = JSON object of the remaining columns (compared to detect changed data).
 */
export interface ListCommit {
  readonly record: ImportRecord;
  readonly list: ListKind;
  readonly spool: string;
  /** A full list smaller than this fraction of the current one is refused (unless forced). */
  readonly shrinkMinRatio: number;
  readonly force: boolean;
}

export interface ListCommitSummary {
  readonly added: number;
  readonly removed: number;
  readonly updated: number;
  readonly unchanged: number;
}

export type ListCommitOutcome =
  { readonly kind: 'ok'; readonly value: ListCommitSummary } | CeirError;

/** Where and when an IMEI was seen, per operator and month (`ceir imei`): one monthly triplet. */
export type ImeiSighting = Triplet;

export interface ListMembership {
  readonly list: ListKind;
  readonly key: string;
  readonly status: string | null;
  readonly attrs: Record<string, string>;
  readonly validFrom: string;
}

export interface TacRecord {
  readonly tac: string;
  readonly caps: number;
  readonly attrs: Record<string, string>;
}

export interface SchemaStatus {
  readonly current: number;
  readonly latest: number;
  readonly applied: readonly { version: number; name: string; appliedAt: string }[];
}

export interface StoreCounts {
  readonly triplets: number;
  readonly imeis: number;
  readonly imports: number;
  readonly lists: Readonly<Record<string, number>>;
}

/** What the network data shows, before classification (the demo's report). */
export interface NetworkOverview {
  readonly imeis: number;
  readonly malformedImeis: number;
  readonly unknownTacImeis: number;
  /** IMEIs seen with at least `cloneImsis` distinct IMSIs. */
  readonly multiImsiImeis: number;
  readonly cloneImsis: number;
  readonly stolenSeen: number;
  readonly byOperator: readonly { operator: string; imeis: number; triplets: number }[];
}

/** The whole store: ingest and queries (below), classification and lists (classification-store). */
export interface Store
  extends ClassificationStore, ListStore, ReportStore, EirSnapshotSource, ObservationStore {
  /** The last day of network data (max last seen), or null when none was imported. */
  dataEnd(): Promise<string | null>;
  /** Applies pending migrations; returns the versions before and after. */
  migrate(): Promise<{ from: number; to: number }>;
  schemaStatus(): Promise<SchemaStatus>;
  findImportBySha256(source: SourceKind, sha256: string): Promise<ImportRecord | undefined>;
  listImports(limit: number): Promise<ImportRecord[]>;
  /** Bitmap over all 10^8 TACs: bit t set when TAC t is in the current GSMA TAC database. */
  tacBitmap(): Promise<Uint8Array>;
  /** Stored per-day distinct counts for an operator, days in [from, to] (YYYY-MM-DD). */
  operatorDailyCounts(operator: string, from: string, to: string): Promise<DailyCounts[]>;
  commitOperatorDump(commit: OperatorDumpCommit): Promise<void>;
  commitList(commit: ListCommit): Promise<ListCommitOutcome>;
  sightings(imeiNorm: string): Promise<ImeiSighting[]>;
  listMemberships(imeiNorm: string): Promise<ListMembership[]>;
  tac(tac: string): Promise<TacRecord | undefined>;
  counts(): Promise<StoreCounts>;
  overview(cloneImsis: number): Promise<NetworkOverview>;
  close(): Promise<void>;
}
