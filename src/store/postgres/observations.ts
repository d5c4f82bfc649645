/**
 * Check observations and clone flags appended to PostgreSQL: one COPY of the batch into a temp
 * table and one INSERT, in one transaction (the same lines as the DuckDB adapter's spool).
 */
import type { CheckObservation, CloneFlagRecord } from '../../core/ports/observation-store.js';
import { cloneFlagLines, observationLines } from '../duckdb/observations.js';
import type { PgDatabase } from './pg-database.js';

const MS = "timestamp 'epoch' + %s * interval '1 millisecond'";
const at = (col: string) => MS.replace('%s', col);

async function append(
  db: PgDatabase,
  lines: string[],
  columns: string,
  insert: string,
): Promise<number> {
  if (lines.length === 0) return 0;
  await db.withSession((s) =>
    s.transaction(async () => {
      await s.query(`CREATE TEMP TABLE stage_append (${columns}) ON COMMIT DROP`);
      await s.copyText('COPY stage_append FROM STDIN (FORMAT csv)', lines.join(''));
      await s.query(insert);
    }),
  );
  return lines.length;
}

export function appendObservations(
  db: PgDatabase,
  batch: readonly CheckObservation[],
): Promise<number> {
  return append(
    db,
    observationLines(batch),
    't bigint, imei bigint, imsi bigint, peer text, iface text, result text',
    `INSERT INTO check_observations SELECT ${at('t')}, imei, imsi, coalesce(peer, ''),
       coalesce(iface, ''), coalesce(result, '') FROM stage_append`,
  );
}

export function appendCloneFlags(
  db: PgDatabase,
  flags: readonly CloneFlagRecord[],
): Promise<number> {
  return append(
    db,
    cloneFlagLines(flags),
    'imei bigint, t bigint, first_seen bigint, last_seen bigint, imsis integer, peers integer',
    `INSERT INTO realtime_clone_flags SELECT imei, ${at('t')}, imsis, peers, ${at('first_seen')},
       ${at('last_seen')} FROM stage_append`,
  );
}
