/**
 * Lands one operator dump in PostgreSQL, atomically (one transaction, under the ingest advisory
 * lock): the triplet spools are streamed with COPY into a temp staging table (temp tables are not
 * WAL-logged), texts of malformed identifiers get stable negative ids, the rows are merged into
 * the month partitions of `triplets`, the per-IMEI summary of every touched IMEI is recomputed,
 * and the daily counts and import record are written. A month seen for the first time is loaded
 * into a new, still detached partition (no index upkeep row by row, no lock on `triplets`) and
 * attached at the end; its CHECK constraint spares the attach a validation scan. Readers see the
 * import whole when it commits, or not at all; a crash rolls it back.
 */
import type { OperatorDumpCommit } from '../../core/ports/store.js';
import { importRecordParams } from '../sql-store-queries.js';
import { HASH_PARTITIONS } from './migrations.js';
import type { PgDatabase, PgSession } from './pg-database.js';

const STAGE_COLUMNS = `month date, imei bigint, imei_text text COLLATE "C", imsi bigint,
  imsi_text text COLLATE "C", msisdn bigint, msisdn_text text COLLATE "C", first_day integer,
  last_day integer, day_mask integer, rat_mask integer`;

const TRIPLET_COLUMNS =
  'month, operator, imei, imsi, msisdn, first_seen, last_seen, day_mask, rat_mask';

/** IMSI/MSISDN keys are never 0 (`1<digits>`, or a negative text id): a NULL-safe equality. */
const KEY_MATCH = `t.month = s.month AND t.operator = s.operator AND t.imei = s.imei
  AND coalesce(t.imsi, 0) = coalesce(s.imsi, 0) AND coalesce(t.msisdn, 0) = coalesce(s.msisdn, 0)`;

/** The month partition of `triplets` for a `YYYY-MM-01` date. */
export function monthPartition(month: string): string {
  return `triplets_m${month.slice(0, 4)}${month.slice(5, 7)}`;
}

function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Creates a month partition (hash sub-partitions on `imei`), not yet attached. */
async function createMonth(s: PgSession, month: string): Promise<string> {
  const name = monthPartition(month);
  await s.query(`CREATE TABLE ${name} (LIKE triplets INCLUDING DEFAULTS,
      CHECK (month >= DATE '${month}' AND month < DATE '${nextMonth(month)}'))
    PARTITION BY HASH (imei)`);
  for (let i = 0; i < HASH_PARTITIONS; i++)
    await s.query(`CREATE TABLE ${name}_h${i} PARTITION OF ${name}
      FOR VALUES WITH (MODULUS ${HASH_PARTITIONS}, REMAINDER ${i})`);
  return name;
}

async function attachMonth(s: PgSession, month: string): Promise<void> {
  await s.query(`ALTER TABLE triplets ATTACH PARTITION ${monthPartition(month)}
    FOR VALUES FROM ('${month}') TO ('${nextMonth(month)}')`);
}

async function monthExists(s: PgSession, month: string): Promise<boolean> {
  const r = await s.query('SELECT to_regclass($1) IS NOT NULL AS e', [monthPartition(month)]);
  return Boolean(r.rows[0]?.e);
}

/** Creates and attaches the month partition of `month` (`YYYY-MM-01`) unless it exists. */
export async function ensureMonth(s: PgSession, month: string): Promise<void> {
  if (await monthExists(s, month)) return;
  await createMonth(s, month);
  await attachMonth(s, month);
}

async function stage(s: PgSession, c: OperatorDumpCommit): Promise<void> {
  await s.query(`CREATE TEMP TABLE stage_raw (${STAGE_COLUMNS}) ON COMMIT DROP`);
  for (const spool of c.tripletSpools)
    await s.copyFile(`COPY stage_raw FROM STDIN (FORMAT csv, HEADER true)`, spool);
  await s.query('ANALYZE stage_raw');
  const texts = await s.query(`SELECT EXISTS (SELECT 1 FROM stage_raw
    WHERE imei_text IS NOT NULL OR imsi_text IS NOT NULL OR msisdn_text IS NOT NULL) AS t`);
  const hasTexts = Boolean(texts.rows[0]?.t);
  if (hasTexts)
    await s.query(`INSERT INTO id_texts
      SELECT -((SELECT coalesce(max(-id), 0) FROM id_texts) + row_number() OVER (ORDER BY v)), v
        FROM (SELECT imei_text AS v FROM stage_raw UNION SELECT imsi_text FROM stage_raw
              UNION SELECT msisdn_text FROM stage_raw) n
       WHERE v IS NOT NULL AND NOT EXISTS (SELECT 1 FROM id_texts x WHERE x.value = n.v)`);
  const key = (col: string) => (hasTexts ? `coalesce(r.${col}, x_${col}.id)` : `r.${col}`);
  const joins = hasTexts
    ? ['imei', 'imsi', 'msisdn']
        .map((col) => `LEFT JOIN id_texts x_${col} ON x_${col}.value = r.${col}_text`)
        .join(' ')
    : '';
  // One spool holds each key once; several spools (a table flushed mid-file) are merged.
  const merge = c.tripletSpools.length > 1;
  const agg = (f: string, e: string) => (merge ? `${f}(${e})` : e);
  const op = await s.query('SELECT $1::text AS op', [c.record.operator ?? '']);
  const operator = String(op.rows[0]?.op).replaceAll("'", "''");
  await s.query(`CREATE TEMP TABLE stage_triplets ON COMMIT DROP AS
    SELECT r.month, '${operator}'::text COLLATE "C" AS operator, ${key('imei')} AS imei,
           ${key('imsi')} AS imsi, ${key('msisdn')} AS msisdn,
           ${agg('min', 'r.month + (r.first_day - 1)')} AS first_seen,
           ${agg('max', 'r.month + (r.last_day - 1)')} AS last_seen,
           ${agg('bit_or', 'r.day_mask')} AS day_mask, ${agg('bit_or', 'r.rat_mask')} AS rat_mask
      FROM stage_raw r ${joins} ${merge ? 'GROUP BY 1, 2, 3, 4, 5' : ''}`);
  await s.query('DROP TABLE stage_raw');
  await s.query('ANALYZE stage_triplets');
}

async function mergeMonth(s: PgSession, month: string, operator: string): Promise<void> {
  const rows = `SELECT ${TRIPLET_COLUMNS} FROM stage_triplets WHERE month = '${month}'`;
  if (!(await monthExists(s, month))) {
    await createMonth(s, month);
    await s.query(`INSERT INTO ${monthPartition(month)} (${TRIPLET_COLUMNS}) ${rows}`);
    await attachMonth(s, month);
    await s.query(`ANALYZE ${monthPartition(month)}`);
    return;
  }
  const scope = `t.month = '${month}' AND t.operator = $1`;
  const existing = await s.query(`SELECT EXISTS (SELECT 1 FROM triplets t WHERE ${scope}) AS e`, [
    operator,
  ]);
  if (existing.rows[0]?.e) {
    await s.query(
      `UPDATE triplets t SET first_seen = least(t.first_seen, s.first_seen),
         last_seen = greatest(t.last_seen, s.last_seen),
         day_mask = t.day_mask | s.day_mask, rat_mask = t.rat_mask | s.rat_mask
       FROM stage_triplets s WHERE ${scope} AND ${KEY_MATCH}`,
      [operator],
    );
    await s.query(
      `INSERT INTO triplets (${TRIPLET_COLUMNS}) SELECT ${TRIPLET_COLUMNS} FROM stage_triplets s
        WHERE s.month = '${month}'
          AND NOT EXISTS (SELECT 1 FROM triplets t WHERE ${scope} AND ${KEY_MATCH})`,
      [operator],
    );
  } else await s.query(`INSERT INTO triplets (${TRIPLET_COLUMNS}) ${rows}`);
  // Fresh statistics, so the joins of this import (and of the next jobs) are planned on the
  // month's real size: a sample, not a scan.
  await s.query(`ANALYZE ${monthPartition(month)}`);
}

async function refreshNetworkImeis(s: PgSession): Promise<void> {
  await s.query(`CREATE TEMP TABLE stage_imeis ON COMMIT DROP AS
    SELECT DISTINCT imei FROM stage_triplets`);
  await s.query('DROP TABLE stage_triplets');
  await s.query('ANALYZE stage_imeis');
  await s.query('DELETE FROM network_imeis n USING stage_imeis s WHERE n.imei = s.imei');
  await s.query(`INSERT INTO network_imeis
    SELECT t.imei, min(t.first_seen), max(t.last_seen), count(DISTINCT t.operator)::integer,
           count(DISTINCT t.imsi)::integer, count(DISTINCT t.msisdn)::integer, bit_or(t.rat_mask)
      FROM triplets t JOIN stage_imeis s ON s.imei = t.imei
     GROUP BY t.imei`);
}

/** Inserts the import record (inside the caller's transaction). */
export async function insertImport(s: PgSession, r: OperatorDumpCommit['record']): Promise<void> {
  await s.query(
    `INSERT INTO imports (id, source, file, sha256, mode, operator, period_start, period_end,
       rows, accepted, gates, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9, $10, $11,
       $12::timestamptz AT TIME ZONE 'UTC', $13::timestamptz AT TIME ZONE 'UTC')`,
    importRecordParams(r),
  );
}

export async function commitOperatorDump(db: PgDatabase, c: OperatorDumpCommit): Promise<void> {
  const r = c.record;
  const operator = r.operator ?? '';
  await db.withSession(
    (s) =>
      s.transaction(async () => {
        if (c.tripletSpools.length > 0) {
          await stage(s, c);
          const months = await s.query(
            "SELECT DISTINCT to_char(month, 'YYYY-MM-DD') AS m FROM stage_triplets ORDER BY 1",
          );
          for (const m of months.rows) await mergeMonth(s, String(m.m), operator);
          await refreshNetworkImeis(s);
        }
        for (const d of c.daily)
          await s.query('INSERT INTO operator_daily VALUES ($1, $2::date, $3, $4, $5, $6)', [
            operator,
            d.day,
            d.imeis,
            d.imsis,
            d.msisdns,
            r.id,
          ]);
        await insertImport(s, r);
      }),
    'ingest',
  );
}
