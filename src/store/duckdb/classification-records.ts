/** Condition sets, classification runs and per-IMEI condition history in the DuckDB store. */
import type { DeploymentProfile } from '../../core/deployment.js';
import type {
  ClassificationRun,
  ConditionSetRecord,
  ImeiConditionState,
} from '../../core/ports/classification-store.js';
import type { SqlRow as Row, SqlSession as DuckDb } from '../sql-session.js';

function toSet(r: Row): ConditionSetRecord {
  return {
    version: Number(r.version),
    conditions: JSON.parse(String(r.conditions)) as Record<string, unknown>[],
    operators: JSON.parse(String(r.operators)) as DeploymentProfile['operators'],
    createdAt: String(r.created_at),
    note: String(r.note),
  };
}

export async function latestConditionSet(db: DuckDb): Promise<ConditionSetRecord | undefined> {
  const r = await db.one(
    'SELECT version, conditions, operators, created_at::VARCHAR AS created_at, note FROM condition_sets ORDER BY version DESC LIMIT 1',
  );
  return r ? toSet(r) : undefined;
}

export interface NewConditionSet {
  readonly conditions: readonly Record<string, unknown>[];
  readonly operators: DeploymentProfile['operators'];
  readonly note: string;
}

/** Inserts a new version (inside the caller's transaction). */
export async function insertConditionSet(
  db: DuckDb,
  s: NewConditionSet,
): Promise<ConditionSetRecord> {
  const v = Number(
    (await db.one('SELECT coalesce(max(version), 0) + 1 AS v FROM condition_sets'))?.v,
  );
  await db.run('INSERT INTO condition_sets VALUES (?, ?, ?, current_timestamp, ?)', [
    v,
    JSON.stringify(s.conditions),
    JSON.stringify(s.operators.map((o) => ({ id: o.id, name: o.name, mcc_mnc: o.mcc_mnc }))),
    s.note,
  ]);
  return (await latestConditionSet(db))!;
}

export function saveConditionSet(
  db: DuckDb,
  conditions: readonly Record<string, unknown>[],
  operators: DeploymentProfile['operators'],
  note: string,
): Promise<ConditionSetRecord> {
  return db.transaction(() => insertConditionSet(db, { conditions, operators, note }));
}

export async function lastClassificationRun(db: DuckDb): Promise<ClassificationRun | undefined> {
  const r = await db.one(
    `SELECT id, as_of::VARCHAR AS as_of, condition_set_version, started_at::VARCHAR AS started_at,
            finished_at::VARCHAR AS finished_at, results
       FROM classification_runs ORDER BY id DESC LIMIT 1`,
  );
  if (!r) return undefined;
  return {
    id: Number(r.id),
    asOf: String(r.as_of),
    conditionSetVersion: Number(r.condition_set_version),
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
    results: JSON.parse(String(r.results)) as ClassificationRun['results'],
  };
}

/** Every condition an IMEI (stored key) meets or met, newest first, with reason texts. */
export async function imeiConditions(db: DuckDb, imeiKey: number): Promise<ImeiConditionState[]> {
  const set = await latestConditionSet(db);
  const byLabel = new Map((set?.conditions ?? []).map((c) => [String(c.label), c]));
  const rows = await db.all(
    `SELECT condition, start_date::VARCHAR AS start_date, end_date::VARCHAR AS end_date,
            block_date::VARCHAR AS block_date, amnesty_granted
       FROM classification_state WHERE imei = ? ORDER BY start_date DESC, condition`,
    [imeiKey],
  );
  return rows.map((r) => {
    const c = byLabel.get(String(r.condition));
    return {
      condition: String(r.condition),
      reason: c ? String(c.reason) : String(r.condition),
      blocking: c ? Boolean(c.blocking) : r.block_date !== null,
      startDate: String(r.start_date),
      endDate: r.end_date === null ? null : String(r.end_date),
      blockDate: r.block_date === null ? null : String(r.block_date),
      amnesty: Boolean(r.amnesty_granted),
    };
  });
}
