/**
 * Check observations and clone flags appended to PostgreSQL: one COPY of the batch into a temp
 * table and one INSERT, in one transaction (the same lines as the DuckDB adapter's spool).
 */
import { observationBatchCount } from '../../core/observations/observation-batch.js';
import { observationCsvStream } from '../../core/observations/observation-csv.js';
import type { CloneFlagRecord } from '../../core/ports/observation-store.js';
import { cloneFlagLines } from '../duckdb/observations.js';
import type { PgDatabase } from './pg-database.js';

const MS = "timestamp 'epoch' + %s * interval '1 millisecond'";
const at = (col: string) => MS.replace('%s', col);

async function append(
  db: PgDatabase,
  { bytes, rows }: { bytes: string | Uint8Array | Iterable<Uint8Array>; rows: number },
  columns: string,
  insert: string,
): Promise<number> {
  if (rows === 0) return 0;
  await db.withSession((s) =>
    s.transaction(async () => {
      await s.query(`CREATE TEMP TABLE stage_append (${columns}) ON COMMIT DROP`);
      await s.copyText('COPY stage_append FROM STDIN (FORMAT csv)', bytes);
      await s.query(insert);
    }),
  );
  return rows;
}

/**
 * Appends the checks of observation batches (`core/observations/observation-csv.ts`), the COPY
 * taking the lines in pieces (`observationCsvStream`) so that the event loop runs between them.
 */
export async function appendObservations(
  db: PgDatabase,
  batches: readonly Uint8Array[],
): Promise<number> {
  const csv = observationCsvStream(batches);
  const observed = batches.reduce((n, b) => n + observationBatchCount(b), 0);
  await append(
    db,
    { bytes: csv.bytes, rows: observed },
    't bigint, imei bigint, imsi bigint, peer text, iface text, result text',
    `INSERT INTO check_observations SELECT ${at('t')}, imei, imsi, coalesce(peer, ''),
       coalesce(iface, ''), coalesce(result, '') FROM stage_append`,
  );
  return csv.rows();
}

export function appendCloneFlags(
  db: PgDatabase,
  flags: readonly CloneFlagRecord[],
): Promise<number> {
  const lines = cloneFlagLines(flags);
  return append(
    db,
    { bytes: lines.join(''), rows: lines.length },
    'imei bigint, t bigint, first_seen bigint, last_seen bigint, imsis integer, peers integer',
    `INSERT INTO realtime_clone_flags SELECT imei, ${at('t')}, imsis, peers, ${at('first_seen')},
       ${at('last_seen')} FROM stage_append`,
  );
}
