/** The embedded default store: DuckDB, one file under the data directory. */
import type {
  DailyCounts,
  ImeiSighting,
  ImportRecord,
  ListCommit,
  ListCommitOutcome,
  ListMembership,
  NetworkOverview,
  OperatorDumpCommit,
  SchemaStatus,
  SourceKind,
  Store,
  StoreCounts,
  TacRecord,
} from '../../core/ports/store.js';
import { DuckDb, type DuckDbOptions } from './duckdb-database.js';
import * as q from '../sql-store-queries.js';
import { commitList } from './list-commit.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { commitOperatorDump } from './operator-dump-commit.js';
import type { DeploymentProfile } from '../../core/deployment.js';
import type { DimensionSpec } from '../../core/rules/condition.js';
import type { ClassificationData } from '../../core/rules/data-model.js';
import { evaluateDimension } from './rules/evaluate-dimension.js';
import { classify } from './classify.js';
import {
  imeiConditions,
  lastClassificationRun,
  latestConditionSet,
  saveConditionSet,
} from './classification-records.js';
import { generateLists, listRows, listRuns } from './listgen.js';
import { monthReport } from './report.js';
import { eirSnapshotData } from './eir-snapshot-source.js';
import { appendCloneFlags, appendObservations } from './observations.js';
import type { CloneFlagRecord } from '../../core/ports/observation-store.js';
import type { EirSnapshotData } from '../../core/ports/snapshot-source.js';
import type { MonthReport, MonthReportOptions } from '../../core/ports/report-store.js';
import type {
  ClassificationRun,
  ClassifyInput,
  ClassifyOutcome,
  ConditionSetRecord,
  ImeiConditionState,
  ListGenInput,
  ListRowsQuery,
  ListRun,
} from '../../core/ports/classification-store.js';
import { loadClassificationData } from './rules/load-classification-data.js';

const TAC_SPACE = 100_000_000;

export class DuckDbStore implements Store {
  private constructor(readonly db: DuckDb) {}

  static async open(o: DuckDbOptions): Promise<DuckDbStore> {
    return new DuckDbStore(await DuckDb.open(o));
  }

  private async currentVersion(): Promise<number> {
    const t = await this.db.one(
      "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'schema_migrations'",
    );
    if (!t || Number(t.n) === 0) return 0;
    const r = await this.db.one(
      'SELECT coalesce(max(version), 0)::INTEGER AS v FROM schema_migrations',
    );
    return Number(r?.v ?? 0);
  }

  async migrate(): Promise<{ from: number; to: number }> {
    const from = await this.currentVersion();
    if (from === 0)
      await this.db.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
      );
    // Every migration not yet applied, in version order: features own numbered migrations, and a
    // store that has a later one still gets an earlier one added afterwards.
    const applied = new Set(
      from === 0
        ? []
        : (await this.db.all('SELECT version FROM schema_migrations')).map((r) =>
            Number(r.version),
          ),
    );
    const pending = MIGRATIONS.filter((x) => !applied.has(x.version));
    for (const m of pending.sort((a, b) => a.version - b.version)) {
      await this.db.transaction(async () => {
        await this.db.run(m.sql);
        await this.db.run('INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)', [
          m.version,
          m.name,
        ]);
      });
    }
    return { from, to: await this.currentVersion() };
  }

  async schemaStatus(): Promise<SchemaStatus> {
    const current = await this.currentVersion();
    const applied =
      current === 0
        ? []
        : (
            await this.db.all(
              'SELECT version, name, applied_at::VARCHAR AS applied_at FROM schema_migrations ORDER BY version',
            )
          ).map((r) => ({
            version: Number(r.version),
            name: String(r.name),
            appliedAt: String(r.applied_at),
          }));
    return { current, latest: LATEST_SCHEMA_VERSION, applied };
  }

  findImportBySha256(source: SourceKind, sha256: string): Promise<ImportRecord | undefined> {
    return q.findImportBySha256(this.db, source, sha256);
  }

  listImports(limit: number): Promise<ImportRecord[]> {
    return q.listImports(this.db, limit);
  }

  async tacBitmap(): Promise<Uint8Array> {
    const bits = new Uint8Array(TAC_SPACE / 8);
    const reader = await this.db.conn.streamAndReadAll(
      "SELECT key::INTEGER AS t FROM list_entries WHERE list = 'gsma_tac' AND valid_to IS NULL",
    );
    for (const [t] of reader.getRows()) {
      const v = Number(t);
      bits[v >>> 3]! |= 1 << (v & 7);
    }
    return bits;
  }

  operatorDailyCounts(operator: string, from: string, to: string): Promise<DailyCounts[]> {
    return q.operatorDailyCounts(this.db, operator, from, to);
  }

  commitOperatorDump(c: OperatorDumpCommit): Promise<void> {
    return commitOperatorDump(this.db, c);
  }

  commitList(c: ListCommit): Promise<ListCommitOutcome> {
    return commitList(this.db, c);
  }

  sightings(imeiNorm: string): Promise<ImeiSighting[]> {
    return q.sightings(this.db, imeiNorm);
  }

  listMemberships(imeiNorm: string): Promise<ListMembership[]> {
    return q.listMemberships(this.db, imeiNorm);
  }

  tac(tac: string): Promise<TacRecord | undefined> {
    return q.tacRecord(this.db, tac);
  }

  counts(): Promise<StoreCounts> {
    return q.storeCounts(this.db);
  }

  overview(cloneImsis: number): Promise<NetworkOverview> {
    return q.overview(this.db, cloneImsis);
  }

  /** The compiled (SQL) form of one dimension: matching imei_norms as of `asOf`, sorted. */
  evaluateDimension(
    spec: DimensionSpec,
    asOf: string,
    deployment: DeploymentProfile,
  ): Promise<string[]> {
    return evaluateDimension(this.db, spec, asOf, deployment);
  }

  /** Everything the pure oracle needs, loaded into memory (tests and small stores only). */
  loadClassificationData(asOf: string, deployment: DeploymentProfile): Promise<ClassificationData> {
    return loadClassificationData(this.db, asOf, deployment);
  }

  /** The last day of network data (max last_seen), or null when none was imported. */
  dataEnd(): Promise<string | null> {
    return q.dataEnd(this.db);
  }

  latestConditionSet(): Promise<ConditionSetRecord | undefined> {
    return latestConditionSet(this.db);
  }

  saveConditionSet(
    conditions: readonly Record<string, unknown>[],
    operators: DeploymentProfile['operators'],
    note: string,
  ): Promise<ConditionSetRecord> {
    return saveConditionSet(this.db, conditions, operators, note);
  }

  lastClassificationRun(): Promise<ClassificationRun | undefined> {
    return lastClassificationRun(this.db);
  }

  classify(input: ClassifyInput): Promise<ClassifyOutcome> {
    return classify(this.db, input);
  }

  async imeiConditions(imeiNorm: string): Promise<ImeiConditionState[]> {
    const key = await q.imeiKey(this.db, imeiNorm);
    return key === undefined ? [] : imeiConditions(this.db, key);
  }

  generateLists(input: ListGenInput): Promise<ListRun> {
    return generateLists(this.db, input);
  }

  listRuns(): Promise<ListRun[]> {
    return listRuns(this.db);
  }

  listRows(q: ListRowsQuery): AsyncIterable<string[][]> {
    return listRows(this.db, q);
  }

  /** The monthly regulator report (`ceir report`). */
  monthReport(
    month: string,
    deployment: DeploymentProfile,
    options?: MonthReportOptions,
  ): Promise<MonthReport> {
    return monthReport(this.db, month, deployment, options);
  }

  /** Everything a check-engine snapshot holds, from a list run (default: the latest). */
  snapshotData(listRun?: number): Promise<EirSnapshotData> {
    return eirSnapshotData(this.db, listRun);
  }

  /** Check observations of the real-time servers (bounded batches from their buffer). */
  async appendObservations(batches: readonly Uint8Array[]): Promise<void> {
    await appendObservations(this.db, batches);
  }

  /** Flags of the real-time clone detector (the `realtime_clone` dimension reads them). */
  async appendCloneFlags(flags: readonly CloneFlagRecord[]): Promise<void> {
    await appendCloneFlags(this.db, flags);
  }

  async close(): Promise<void> {
    // The checkpoint (writing what the WAL holds into the file) runs as a statement, on DuckDB's
    // threads, while this thread goes on; closing then has little left to do. Closing alone does
    // it on the calling thread: in `ceir serve` a second of the primary's event loop per
    // ten seconds of observations at 100,000 checks/s. A failed checkpoint is left to the close.
    await this.db.run('CHECKPOINT').catch(() => undefined);
    this.db.close();
  }
}
