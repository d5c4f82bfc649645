/** The daily pipeline's records in DuckDB (core/ports/pipeline-store.ts, schema migration 7). */
import type {
  FinishedFile,
  NewPipelineFile,
  PipelineDay,
  PipelineDayState,
  PipelineFile,
  PipelineStep,
  PipelineStepName,
  PipelineStepState,
  PipelineStore,
  PipelineTrigger,
} from '../../core/ports/pipeline-store.js';
import type { SourceKind } from '../../core/ports/store.js';
import type { DuckDb, Row } from './duckdb-database.js';

const str = (v: unknown): string | null => (v == null ? null : String(v));

const FILE_COLUMNS = `id, name, source, operator, day::VARCHAR AS day, state, import_id, rows, error,
  moved_to, arrived_at::VARCHAR AS arrived_at, updated_at::VARCHAR AS updated_at`;

function toFile(r: Row): PipelineFile {
  return {
    id: Number(r.id),
    name: String(r.name),
    source: r.source as SourceKind | 'unknown',
    operator: str(r.operator),
    day: str(r.day),
    state: r.state as PipelineFile['state'],
    importId: str(r.import_id),
    rows: r.rows == null ? null : Number(r.rows),
    error: str(r.error),
    movedTo: str(r.moved_to),
    arrivedAt: String(r.arrived_at),
    updatedAt: String(r.updated_at),
  };
}

function toDay(r: Row): PipelineDay {
  return {
    day: String(r.day),
    state: r.state as PipelineDayState,
    trigger: r.trigger as PipelineTrigger,
    startedAt: String(r.started_at),
    finishedAt: str(r.finished_at),
  };
}

function toStep(r: Row): PipelineStep {
  return {
    day: String(r.day),
    step: r.step as PipelineStepName,
    state: r.state as PipelineStepState,
    attempt: Number(r.attempt),
    beforeRef: str(r.before_ref),
    ref: str(r.ref),
    detail: str(r.detail),
    startedAt: String(r.started_at),
    finishedAt: str(r.finished_at),
  };
}

export class DuckDbPipelineStore implements PipelineStore {
  constructor(private readonly db: DuckDb) {}

  async latestFile(name: string): Promise<PipelineFile | undefined> {
    const r = await this.db.one(
      `SELECT ${FILE_COLUMNS} FROM pipeline_files WHERE name = ? ORDER BY id DESC LIMIT 1`,
      [name],
    );
    return r ? toFile(r) : undefined;
  }

  async beginFile(f: NewPipelineFile, at: string): Promise<PipelineFile> {
    const r = await this.db.one(
      `INSERT INTO pipeline_files
       SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?::DATE, 'importing', NULL, NULL, NULL, NULL,
              ?::TIMESTAMP, ?::TIMESTAMP FROM pipeline_files
       RETURNING ${FILE_COLUMNS}`,
      [f.name, f.source, f.operator, f.day, at, at],
    );
    return toFile(r!);
  }

  async finishFile(id: number, r: FinishedFile, at: string): Promise<void> {
    await this.db.run(
      `UPDATE pipeline_files SET state = ?, import_id = ?, rows = ?, error = ?, moved_to = ?,
              updated_at = ?::TIMESTAMP WHERE id = ?`,
      [r.state, r.importId ?? null, r.rows ?? null, r.error ?? null, r.movedTo, at, id],
    );
  }

  async files(limit = 1000): Promise<PipelineFile[]> {
    const rows = await this.db.all(
      `SELECT ${FILE_COLUMNS} FROM pipeline_files ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    );
    return rows.map(toFile);
  }

  async arrivals(): Promise<{ day: string; operators: string[] }[]> {
    const rows = await this.db.all(
      `SELECT day::VARCHAR AS day, list(DISTINCT operator ORDER BY operator) AS ops
         FROM pipeline_files
        WHERE source = 'operator' AND state = 'imported' AND day IS NOT NULL
        GROUP BY day ORDER BY day`,
    );
    return rows.map((r) => ({ day: String(r.day), operators: (r.ops as string[]).map(String) }));
  }

  async days(): Promise<PipelineDay[]> {
    const rows = await this.db.all(
      `SELECT day::VARCHAR AS day, state, trigger, started_at::VARCHAR AS started_at,
              finished_at::VARCHAR AS finished_at FROM pipeline_days ORDER BY day`,
    );
    return rows.map(toDay);
  }

  async beginDay(day: string, trigger: PipelineTrigger, at: string): Promise<void> {
    await this.db.run(
      `INSERT INTO pipeline_days VALUES (?::DATE, 'running', ?, ?::TIMESTAMP, NULL)
       ON CONFLICT (day) DO UPDATE SET state = 'running'`,
      [day, trigger, at],
    );
  }

  async finishDay(
    day: string,
    state: Exclude<PipelineDayState, 'running'>,
    at: string,
  ): Promise<void> {
    await this.db.run(
      `INSERT INTO pipeline_days VALUES (?::DATE, ?, 'late', ?::TIMESTAMP, ?::TIMESTAMP)
       ON CONFLICT (day) DO UPDATE SET state = excluded.state, finished_at = excluded.finished_at`,
      [day, state, at, at],
    );
  }

  async steps(day?: string): Promise<PipelineStep[]> {
    const rows = await this.db.all(
      `SELECT day::VARCHAR AS day, step, state, attempt, before_ref, ref, detail,
              started_at::VARCHAR AS started_at, finished_at::VARCHAR AS finished_at
         FROM pipeline_steps ${day ? 'WHERE day = ?::DATE' : ''} ORDER BY day, started_at`,
      day ? [day] : [],
    );
    return rows.map(toStep);
  }

  async beginStep(
    day: string,
    step: PipelineStepName,
    beforeRef: string | null,
    at: string,
  ): Promise<PipelineStep> {
    const r = await this.db.one(
      `INSERT INTO pipeline_steps VALUES (?::DATE, ?, 'running', 1, ?, NULL, NULL, ?::TIMESTAMP, NULL)
       ON CONFLICT (day, step) DO UPDATE SET state = 'running', attempt = pipeline_steps.attempt + 1,
         before_ref = excluded.before_ref, ref = NULL, detail = NULL,
         started_at = excluded.started_at, finished_at = NULL
       RETURNING day::VARCHAR AS day, step, state, attempt, before_ref, ref, detail,
         started_at::VARCHAR AS started_at, finished_at::VARCHAR AS finished_at`,
      [day, step, beforeRef, at],
    );
    return toStep(r!);
  }

  async finishStep(
    day: string,
    step: PipelineStepName,
    r: { state: Exclude<PipelineStepState, 'running'>; ref?: string; detail?: string },
    at: string,
  ): Promise<void> {
    await this.db.run(
      `UPDATE pipeline_steps SET state = ?, ref = ?, detail = ?, finished_at = ?::TIMESTAMP
        WHERE day = ?::DATE AND step = ?`,
      [r.state, r.ref ?? null, r.detail ?? null, at, day, step],
    );
  }
}
