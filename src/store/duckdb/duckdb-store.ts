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
import { DuckDb, type DuckDbOptions, type Row } from './duckdb-database.js';
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
import { digitsExpr } from './rules/sql-identifiers.js';
import { eirSnapshotData } from './eir-snapshot-source.js';
import { appendCloneFlags, appendObservations } from './observations.js';
import type { CheckObservation, CloneFlagRecord } from '../../core/ports/observation-store.js';
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

function toRecord(r: Row): ImportRecord {
  return {
    id: String(r.id),
    source: r.source as SourceKind,
    file: String(r.file),
    sha256: String(r.sha256),
    mode: r.mode as 'full' | 'delta',
    ...(r.operator != null ? { operator: String(r.operator) } : {}),
    ...(r.period_start != null ? { periodStart: String(r.period_start) } : {}),
    ...(r.period_end != null ? { periodEnd: String(r.period_end) } : {}),
    rows: Number(r.rows),
    accepted: Number(r.accepted),
    gates: JSON.parse(String(r.gates)) as ImportRecord['gates'],
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
  };
}

function parseAttrs(s: unknown): Record<string, string> {
  return s == null ? {} : (JSON.parse(String(s)) as Record<string, string>);
}

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

  async findImportBySha256(source: SourceKind, sha256: string): Promise<ImportRecord | undefined> {
    const r = await this.db.one(
      `SELECT * FROM imports WHERE source = ? AND sha256 = ? ORDER BY finished_at LIMIT 1`,
      [source, sha256],
    );
    return r ? toRecord(r) : undefined;
  }

  async listImports(limit: number): Promise<ImportRecord[]> {
    const rows = await this.db.all(
      `SELECT * FROM imports ORDER BY finished_at DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    );
    return rows.map(toRecord);
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

  async operatorDailyCounts(operator: string, from: string, to: string): Promise<DailyCounts[]> {
    const rows = await this.db.all(
      `SELECT day::VARCHAR AS day, max(imeis)::BIGINT AS imeis, max(imsis)::BIGINT AS imsis,
              max(msisdns)::BIGINT AS msisdns
         FROM operator_daily WHERE operator = ? AND day BETWEEN ?::DATE AND ?::DATE
         GROUP BY day ORDER BY day`,
      [operator, from, to],
    );
    return rows.map((r) => ({
      day: String(r.day),
      imeis: Number(r.imeis),
      imsis: Number(r.imsis),
      msisdns: Number(r.msisdns),
    }));
  }

  commitOperatorDump(c: OperatorDumpCommit): Promise<void> {
    return commitOperatorDump(this.db, c);
  }

  commitList(c: ListCommit): Promise<ListCommitOutcome> {
    return commitList(this.db, c);
  }

  /** The number an IMEI is stored as (see migrations.ts), or undefined when never stored. */
  private async imeiKey(imeiNorm: string): Promise<number | undefined> {
    if (/^[0-9]{14}$/.test(imeiNorm)) return Number(imeiNorm);
    const r = await this.db.one('SELECT id FROM id_texts WHERE value = ?', [imeiNorm]);
    return r ? Number(r.id) : undefined;
  }

  async sightings(imeiNorm: string): Promise<ImeiSighting[]> {
    const key = await this.imeiKey(imeiNorm);
    if (key === undefined) return [];
    const text = (col: string) =>
      digitsExpr(`t.${col}`, `(SELECT value FROM id_texts WHERE id = t.${col})`);
    const rows = await this.db.all(
      `SELECT operator, month::VARCHAR AS month, ${text('imsi')} AS imsi, ${text('msisdn')} AS msisdn,
              first_seen::VARCHAR AS first_seen, last_seen::VARCHAR AS last_seen, day_mask, rat_mask
         FROM triplets t WHERE imei = ? ORDER BY month, operator, imsi, msisdn`,
      [key],
    );
    return rows.map((r) => ({
      operator: String(r.operator),
      month: String(r.month),
      imsi: r.imsi == null ? null : String(r.imsi),
      msisdn: r.msisdn == null ? null : String(r.msisdn),
      firstSeen: String(r.first_seen),
      lastSeen: String(r.last_seen),
      dayMask: Number(r.day_mask),
      ratMask: Number(r.rat_mask),
    }));
  }

  async listMemberships(imeiNorm: string): Promise<ListMembership[]> {
    const rows = await this.db.all(
      `SELECT list, key, status, attrs, valid_from::VARCHAR AS valid_from FROM list_entries
        WHERE valid_to IS NULL AND list <> 'gsma_tac'
          AND (imei_norm = ? OR (list = 'barred_tac' AND tac = substr(?, 1, 8)))
        ORDER BY list, key`,
      [imeiNorm, imeiNorm],
    );
    return rows.map((r) => ({
      list: r.list as ListMembership['list'],
      key: String(r.key),
      status: r.status == null ? null : String(r.status),
      attrs: parseAttrs(r.attrs),
      validFrom: String(r.valid_from),
    }));
  }

  async tac(tac: string): Promise<TacRecord | undefined> {
    const r = await this.db.one(
      "SELECT key, caps, attrs FROM list_entries WHERE list = 'gsma_tac' AND key = ? AND valid_to IS NULL",
      [tac],
    );
    return r
      ? { tac: String(r.key), caps: Number(r.caps ?? 0), attrs: parseAttrs(r.attrs) }
      : undefined;
  }

  async counts(): Promise<StoreCounts> {
    const t = await this.db.one(
      `SELECT (SELECT count(*) FROM triplets)::BIGINT AS triplets,
              (SELECT count(*) FROM network_imeis)::BIGINT AS imeis,
              (SELECT count(*) FROM imports)::BIGINT AS imports`,
    );
    const lists: Record<string, number> = {};
    for (const r of await this.db.all(
      'SELECT list, count(*)::BIGINT AS n FROM list_entries WHERE valid_to IS NULL GROUP BY list ORDER BY list',
    ))
      lists[String(r.list)] = Number(r.n);
    return {
      triplets: Number(t?.triplets ?? 0),
      imeis: Number(t?.imeis ?? 0),
      imports: Number(t?.imports ?? 0),
      lists,
    };
  }

  async overview(cloneImsis: number): Promise<NetworkOverview> {
    const n = Math.max(1, Math.floor(cloneImsis));
    const r = await this.db.one(
      `WITH tacs AS (SELECT key::INTEGER AS tac FROM list_entries
                      WHERE list = 'gsma_tac' AND valid_to IS NULL),
            stolen AS (SELECT imei_norm::BIGINT AS imei FROM list_entries
                        WHERE list = 'stolen' AND valid_to IS NULL
                          AND coalesce(status, '') IN ('', 'blacklist'))
       SELECT count(*)::BIGINT AS imeis,
              count(*) FILTER (WHERE imei < 0)::BIGINT AS malformed,
              count(*) FILTER (WHERE imei >= 0 AND (imei // 1000000)::INTEGER NOT IN (SELECT tac FROM tacs))::BIGINT AS unknown_tac,
              count(*) FILTER (WHERE imsis >= ${n})::BIGINT AS multi_imsi,
              count(*) FILTER (WHERE imei IN (SELECT imei FROM stolen))::BIGINT AS stolen_seen
         FROM network_imeis`,
    );
    const ops = await this.db.all(
      `SELECT operator, count(DISTINCT imei)::BIGINT AS imeis, count(*)::BIGINT AS triplets
         FROM triplets GROUP BY operator ORDER BY operator`,
    );
    return {
      imeis: Number(r?.imeis ?? 0),
      malformedImeis: Number(r?.malformed ?? 0),
      unknownTacImeis: Number(r?.unknown_tac ?? 0),
      multiImsiImeis: Number(r?.multi_imsi ?? 0),
      cloneImsis: n,
      stolenSeen: Number(r?.stolen_seen ?? 0),
      byOperator: ops.map((o) => ({
        operator: String(o.operator),
        imeis: Number(o.imeis),
        triplets: Number(o.triplets),
      })),
    };
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
  async dataEnd(): Promise<string | null> {
    const r = await this.db.one('SELECT max(last_seen)::VARCHAR AS d FROM triplets');
    return r?.d == null ? null : String(r.d);
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
    const key = await this.imeiKey(imeiNorm);
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
  async appendObservations(batch: readonly CheckObservation[]): Promise<void> {
    await appendObservations(this.db, batch);
  }

  /** Flags of the real-time clone detector (the `realtime_clone` dimension reads them). */
  async appendCloneFlags(flags: readonly CloneFlagRecord[]): Promise<void> {
    await appendCloneFlags(this.db, flags);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
