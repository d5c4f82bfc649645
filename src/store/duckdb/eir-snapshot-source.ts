/**
 * The DuckDB side of the check engine's snapshot (core/ports/snapshot-source.ts): one list run's
 * current rows of `list_rows` (black, notification, exception), golden IMEIs and TAC presence
 * from `list_entries`, read set-based in DuckDB chunks straight into typed arrays.
 */
import type { EirSnapshotData } from '../../core/ports/snapshot-source.js';
import { TAC_BITMAP_BYTES } from '../../core/ports/snapshot-source.js';
import type { SqlSession } from '../sql-session.js';
import type { DuckDb } from './duckdb-database.js';

/** What the snapshot read needs: queries, and all-numeric result columns as Float64Arrays. */
export interface SnapshotReader extends Pick<SqlSession, 'all' | 'one'> {
  numericColumns(sql: string, n: number): Promise<Float64Array[]>;
}

/** Reason-set ids are kept in 12 bits by the check index. */
const MAX_REASON_SETS = 4096;

/** Growable parallel numeric columns filled from DuckDB chunks. */
class Columns {
  readonly cols: Float64Array[];
  length = 0;
  constructor(n: number, capacity = 1024) {
    this.cols = Array.from({ length: n }, () => new Float64Array(capacity));
  }
  grow(need: number): void {
    const cap = this.cols[0]!.length;
    if (need <= cap) return;
    let next = cap * 2;
    while (next < need) next *= 2;
    for (let i = 0; i < this.cols.length; i++) {
      const a = new Float64Array(next);
      a.set(this.cols[i]!.subarray(0, this.length));
      this.cols[i] = a;
    }
  }
  /** Exact-length copies (so a 10M-row list does not keep a 16M-slot array). */
  trimmed(): Float64Array[] {
    return this.cols.map((c) => c.slice(0, this.length));
  }
}

/** Runs a query whose columns are all numeric (cast to DOUBLE here) into Float64Arrays. */
async function numericColumns(db: DuckDb, sql: string, n: number): Promise<Float64Array[]> {
  const result = await db.conn.stream(sql);
  const out = new Columns(n);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    out.grow(out.length + rows);
    for (let c = 0; c < n; c++) {
      const v = chunk.getColumnVector(c);
      const dst = out.cols[c]!;
      for (let r = 0; r < rows; r++) dst[out.length + r] = Number(v.getItem(r) ?? 0);
    }
    out.length += rows;
  }
  return out.trimmed();
}

/** The latest list run (or `listRun`), its as-of; undefined when none matches. */
async function pickRun(
  db: SnapshotReader,
  listRun: number | undefined,
): Promise<{ id: number; asOf: string } | undefined> {
  const r =
    listRun === undefined
      ? await db.one('SELECT id, as_of::VARCHAR AS as_of FROM list_runs ORDER BY id DESC LIMIT 1')
      : await db.one('SELECT id, as_of::VARCHAR AS as_of FROM list_runs WHERE id = ?', [listRun]);
  return r ? { id: Number(r.id), asOf: String(r.as_of) } : undefined;
}

/** Reads everything a check snapshot needs from the DuckDB store; see EirSnapshotSource. */
export function eirSnapshotData(db: DuckDb, listRun?: number): Promise<EirSnapshotData> {
  return eirSnapshotDataFrom(
    {
      all: (sql, params) => db.all(sql, params),
      one: (sql, params) => db.one(sql, params),
      numericColumns: (sql, n) => numericColumns(db, sql, n),
    },
    listRun,
  );
}

/** The snapshot read on any adapter (the shared SQL of `sql-session.ts`). */
export async function eirSnapshotDataFrom(
  db: SnapshotReader,
  listRun?: number,
): Promise<EirSnapshotData> {
  if (listRun !== undefined && !(Number.isSafeInteger(listRun) && listRun > 0))
    throw new RangeError(`listRun must be a positive integer, got ${listRun}`);
  const run = await pickRun(db, listRun);
  if (run === undefined && listRun !== undefined)
    throw new RangeError(`No list run ${listRun} in the store`);
  const id = run?.id ?? 0;
  const cur = `(SELECT kind, imei, imsi, reasons FROM list_rows
                 WHERE from_run <= ${id} AND (to_run IS NULL OR to_run > ${id}))`;
  // Reason sets: the distinct `reasons` texts of black and pending rows, numbered from 1 in
  // text order (0 is the empty set); the same numbering joins the rows below.
  const reasonCte = `WITH rs AS (
      SELECT reasons, row_number() OVER (ORDER BY reasons) AS id FROM (
        SELECT DISTINCT coalesce(reasons, '') AS reasons FROM ${cur} c
         WHERE kind IN ('black', 'notification')))`;
  const texts = await db.all(`${reasonCte} SELECT reasons FROM rs ORDER BY id`);
  if (texts.length + 1 > MAX_REASON_SETS)
    throw new RangeError(
      `${texts.length} distinct reason sets; the check index holds at most ${MAX_REASON_SETS - 1}`,
    );
  const reasonSets: string[][] = [
    [],
    ...texts.map((t) =>
      String(t.reasons)
        .split('|')
        .filter((s) => s !== ''),
    ),
  ];

  const [blackImeis, blackReasons] = await db.numericColumns(
    `${reasonCte} SELECT c.imei::DOUBLE, any_value(rs.id)::DOUBLE
       FROM ${cur} c JOIN rs ON rs.reasons = coalesce(c.reasons, '')
      WHERE c.kind = 'black' AND c.imei >= 0 GROUP BY c.imei`,
    2,
  );
  const [greyImeis, greyReasons] = await db.numericColumns(
    `${reasonCte} SELECT c.imei::DOUBLE, min(rs.id)::DOUBLE
       FROM ${cur} c JOIN rs ON rs.reasons = coalesce(c.reasons, '')
      WHERE c.kind = 'notification' AND c.imei >= 0 GROUP BY c.imei`,
    2,
  );
  const [excImeis, excImsis] = await db.numericColumns(
    `SELECT DISTINCT imei::DOUBLE, imsi::DOUBLE FROM ${cur} c
      WHERE kind = 'exception' AND imei >= 0 AND imsi > 0`,
    2,
  );
  const [golden] = await db.numericColumns(
    `SELECT DISTINCT imei_norm::BIGINT::DOUBLE FROM list_entries
      WHERE list = 'golden' AND valid_to IS NULL AND regexp_full_match(imei_norm, '[0-9]{14}')`,
    1,
  );
  const [tacs] = await db.numericColumns(
    `SELECT DISTINCT key::INTEGER::DOUBLE FROM list_entries
      WHERE list = 'gsma_tac' AND valid_to IS NULL AND regexp_full_match(key, '[0-9]{8}')`,
    1,
  );
  const tacBitmap = new Uint8Array(TAC_BITMAP_BYTES);
  for (const t of tacs!) tacBitmap[t >>> 3]! |= 1 << (t & 7);
  const malformed = (
    await db.all(
      `${reasonCte} SELECT DISTINCT t.value AS text, c.kind, rs.id::INTEGER AS reason_set
         FROM ${cur} c JOIN id_texts t ON t.id = c.imei
         JOIN rs ON rs.reasons = coalesce(c.reasons, '')
        WHERE c.imei < 0 AND c.kind IN ('black', 'notification')
        ORDER BY text, kind`,
    )
  ).map((r) => ({
    text: String(r.text),
    kind: r.kind === 'black' ? ('black' as const) : ('grey' as const),
    reasonSet: Number(r.reason_set),
  }));

  return {
    listRun: id,
    asOf: run?.asOf ?? '',
    reasonSets,
    black: { imeis: blackImeis!, reasonSets: Uint16Array.from(blackReasons!) },
    grey: { imeis: greyImeis!, reasonSets: Uint16Array.from(greyReasons!) },
    exceptions: { imeis: excImeis!, imsis: excImsis! },
    golden: golden!,
    tacBitmap,
    tacCount: tacs!.length,
    malformed,
  };
}
