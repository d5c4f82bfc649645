/**
 * The server-scale store: PostgreSQL 15+ (docs/scale.md). It implements the same port as the
 * embedded DuckDB store and passes the same contract suite; classification, list generation,
 * rule evaluation, snapshots and the plain queries run the shared SQL modules, lowered to
 * PostgreSQL by `dialect.ts`; bulk loads use COPY.
 *
 * Concurrency: imports (operator dumps and lists) hold the `ingest` advisory lock, classification
 * and list generation the `classification` lock, migrations the `migrate` lock, each for one
 * transaction; everything else reads a consistent snapshot and never waits for them.
 */
import type { DeploymentProfile } from '../../core/deployment.js';
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
import type { CloneFlagRecord } from '../../core/ports/observation-store.js';
import type { MonthReport, MonthReportOptions } from '../../core/ports/report-store.js';
import type { EirSnapshotData } from '../../core/ports/snapshot-source.js';
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
import type { DimensionSpec } from '../../core/rules/condition.js';
import type { ClassificationData } from '../../core/rules/data-model.js';
import {
  imeiConditions,
  lastClassificationRun,
  latestConditionSet,
  saveConditionSet,
} from '../duckdb/classification-records.js';
import { classify } from '../duckdb/classify.js';
import { eirSnapshotDataFrom } from '../duckdb/eir-snapshot-source.js';
import { generateLists, listRuns, rowsSql } from '../duckdb/listgen.js';
import { monthReport } from '../duckdb/report.js';
import { evaluateDimension } from '../duckdb/rules/evaluate-dimension.js';
import { loadClassificationData } from '../duckdb/rules/load-classification-data.js';
import * as q from '../sql-store-queries.js';
import { toPostgres } from './dialect.js';
import { commitList } from './list-commit.js';
import { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS } from './migrations.js';
import { appendCloneFlags, appendObservations } from './observations.js';
import { commitOperatorDump } from './operator-dump-commit.js';
import { PgDatabase, type PgOptions, type PgSession } from './pg-database.js';

const TAC_SPACE = 100_000_000;
const FETCH_ROWS = 10_000;

/** All-numeric result columns as Float64Arrays (snapshot reads). */
async function numericColumns(s: PgSession, sql: string, n: number): Promise<Float64Array[]> {
  const r = await s.client.query({ text: toPostgres(sql), rowMode: 'array' });
  const cols = Array.from({ length: n }, () => new Float64Array(r.rows.length));
  r.rows.forEach((row: unknown[], i) => {
    for (let c = 0; c < n; c++) cols[c]![i] = Number(row[c] ?? 0);
  });
  return cols;
}

export class PgStore implements Store {
  private constructor(readonly db: PgDatabase) {}

  static async open(o: PgOptions): Promise<PgStore> {
    return new PgStore(await PgDatabase.open(o));
  }

  private async currentVersion(s: PgSession): Promise<number> {
    const t = await s.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS e");
    if (!t.rows[0]?.e) return 0;
    const r = await s.query(
      'SELECT coalesce(max(version), 0)::integer AS v FROM schema_migrations',
    );
    return Number(r.rows[0]?.v ?? 0);
  }

  async migrate(): Promise<{ from: number; to: number }> {
    return this.db.withSession(async (s) => {
      const from = await this.currentVersion(s);
      await s.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,
        name text NOT NULL, applied_at timestamp NOT NULL)`);
      const applied = new Set(
        (await s.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)),
      );
      const pending = PG_MIGRATIONS.filter((m) => !applied.has(m.version));
      for (const m of pending.sort((a, b) => a.version - b.version))
        await s.transaction(async () => {
          await s.query(m.sql);
          await s.query('INSERT INTO schema_migrations VALUES ($1, $2, localtimestamp)', [
            m.version,
            m.name,
          ]);
        });
      return { from, to: await this.currentVersion(s) };
    }, 'migrate');
  }

  async schemaStatus(): Promise<SchemaStatus> {
    return this.db.withSession(async (s) => {
      const current = await this.currentVersion(s);
      const applied =
        current === 0
          ? []
          : (
              await s.query(
                'SELECT version, name, applied_at::text AS applied_at FROM schema_migrations ORDER BY version',
              )
            ).rows.map((r) => ({
              version: Number(r.version),
              name: String(r.name),
              appliedAt: String(r.applied_at),
            }));
      return { current, latest: PG_LATEST_SCHEMA_VERSION, applied };
    });
  }

  findImportBySha256(source: SourceKind, sha256: string): Promise<ImportRecord | undefined> {
    return q.findImportBySha256(this.db, source, sha256);
  }

  listImports(limit: number): Promise<ImportRecord[]> {
    return q.listImports(this.db, limit);
  }

  async tacBitmap(): Promise<Uint8Array> {
    const bits = new Uint8Array(TAC_SPACE / 8);
    const r = await this.db.pool.query({
      text: "SELECT key::integer FROM list_entries WHERE list = 'gsma_tac' AND valid_to IS NULL",
      rowMode: 'array',
    });
    for (const [t] of r.rows as [number][]) bits[t >>> 3]! |= 1 << (t & 7);
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
    return this.db.snapshot((s) => q.sightings(s, imeiNorm));
  }

  listMemberships(imeiNorm: string): Promise<ListMembership[]> {
    return q.listMemberships(this.db, imeiNorm);
  }

  tac(tac: string): Promise<TacRecord | undefined> {
    return q.tacRecord(this.db, tac);
  }

  counts(): Promise<StoreCounts> {
    return this.db.snapshot((s) => q.storeCounts(s));
  }

  overview(cloneImsis: number): Promise<NetworkOverview> {
    return this.db.snapshot((s) => q.overview(s, cloneImsis));
  }

  dataEnd(): Promise<string | null> {
    return q.dataEnd(this.db);
  }

  evaluateDimension(
    spec: DimensionSpec,
    asOf: string,
    deployment: DeploymentProfile,
  ): Promise<string[]> {
    return this.db.snapshot((s) => evaluateDimension(s, spec, asOf, deployment));
  }

  loadClassificationData(asOf: string, deployment: DeploymentProfile): Promise<ClassificationData> {
    return this.db.snapshot((s) => loadClassificationData(s, asOf, deployment));
  }

  latestConditionSet(): Promise<ConditionSetRecord | undefined> {
    return this.db.withSession((s) => latestConditionSet(s));
  }

  saveConditionSet(
    conditions: readonly Record<string, unknown>[],
    operators: DeploymentProfile['operators'],
    note: string,
  ): Promise<ConditionSetRecord> {
    return this.db.withSession(
      (s) => saveConditionSet(s, conditions, operators, note),
      'classification',
    );
  }

  lastClassificationRun(): Promise<ClassificationRun | undefined> {
    return this.db.withSession((s) => lastClassificationRun(s));
  }

  classify(input: ClassifyInput): Promise<ClassifyOutcome> {
    return this.db.withSession((s) => classify(s, input), 'classification');
  }

  imeiConditions(imeiNorm: string): Promise<ImeiConditionState[]> {
    return this.db.snapshot(async (s) => {
      const key = await q.imeiKey(s, imeiNorm);
      return key === undefined ? [] : imeiConditions(s, key);
    });
  }

  generateLists(input: ListGenInput): Promise<ListRun> {
    return this.db.withSession((s) => generateLists(s, input), 'classification');
  }

  listRuns(): Promise<ListRun[]> {
    return this.db.withSession((s) => listRuns(s));
  }

  /** Rows of one list through a cursor, in one snapshot. */
  async *listRows(query: ListRowsQuery): AsyncIterable<string[][]> {
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(
        `DECLARE list_rows_cursor NO SCROLL CURSOR FOR ${toPostgres(rowsSql(query))}`,
      );
      for (;;) {
        const r = await client.query({
          text: `FETCH ${FETCH_ROWS} FROM list_rows_cursor`,
          rowMode: 'array',
        });
        if (r.rows.length === 0) break;
        yield (r.rows as unknown[][]).map((row) => row.map((v) => (v == null ? '' : String(v))));
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /** The monthly regulator report, in one snapshot (its temp tables need a writable one). */
  monthReport(
    month: string,
    deployment: DeploymentProfile,
    options?: MonthReportOptions,
  ): Promise<MonthReport> {
    return this.db.withSession((s) =>
      s.transaction(() => monthReport(s, month, deployment, options)),
    );
  }

  snapshotData(listRun?: number): Promise<EirSnapshotData> {
    return this.db.snapshot((s) =>
      eirSnapshotDataFrom(
        {
          all: (sql, params) => s.all(sql, params),
          one: (sql, params) => s.one(sql, params),
          numericColumns: (sql, n) => numericColumns(s, sql, n),
        },
        listRun,
      ),
    );
  }

  async appendObservations(batches: readonly Uint8Array[]): Promise<void> {
    await appendObservations(this.db, batches);
  }

  async appendCloneFlags(flags: readonly CloneFlagRecord[]): Promise<void> {
    await appendCloneFlags(this.db, flags);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
