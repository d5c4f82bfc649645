/**
 * Commits a list spool into PostgreSQL with the shared list-commit logic
 * (`store/duckdb/list-commit.ts`: duplicate checks, shrink guard, delta conflicts, history), the
 * spool streamed with COPY into a temp table and deduplicated as the DuckDB loader does. One
 * transaction under the ingest advisory lock.
 */
import type { ListCommit, ListCommitOutcome } from '../../core/ports/store.js';
import { commitListWith } from '../duckdb/list-commit.js';
import type { PgDatabase, PgSession } from './pg-database.js';

const RAW_COLUMNS = `line bigint, change_type text COLLATE "C", key text COLLATE "C",
  imei_norm text COLLATE "C", tac text COLLATE "C", imsi text COLLATE "C",
  msisdn text COLLATE "C", status text COLLATE "C", caps integer, attrs text COLLATE "C"`;

const DATA = 'change_type, key, imei_norm, tac, imsi, msisdn, status, caps, attrs';

async function loadSpool(s: PgSession, path: string): Promise<void> {
  await s.query('DROP TABLE IF EXISTS pg_temp.list_commit_raw, pg_temp.list_commit_new');
  await s.query(`CREATE TEMP TABLE list_commit_raw (${RAW_COLUMNS}) ON COMMIT DROP`);
  await s.copyFile('COPY list_commit_raw FROM STDIN (FORMAT csv, HEADER true)', path);
  await s.query(`CREATE TEMP TABLE list_commit_new ON COMMIT DROP AS
    SELECT min(line) AS line, max(line) AS last_line, count(*) AS copies, ${DATA}
      FROM list_commit_raw GROUP BY ${DATA}`);
  await s.query('DROP TABLE list_commit_raw');
  await s.query('ANALYZE list_commit_new');
}

export function commitList(db: PgDatabase, c: ListCommit): Promise<ListCommitOutcome> {
  return db.withSession((s) => commitListWith(s, c, (path) => loadSpool(s, path)), 'ingest');
}
