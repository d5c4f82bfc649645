/**
 * Lands one operator dump atomically: the triplet spools (partial aggregates written by ingest)
 * are merged into `triplets`, texts of malformed identifiers get stable negative ids, the
 * per-IMEI summary of every touched IMEI is recomputed, the daily counts and the import record
 * are written — all in one transaction, so a crash at any point leaves the store as it was.
 */
import type { OperatorDumpCommit } from '../../core/ports/store.js';
import { lit, type DuckDb } from './duckdb-database.js';
import { importRecordParams } from '../sql-store-queries.js';

const SPOOL_COLUMNS =
  "{'month': 'DATE', 'imei': 'BIGINT', 'imei_text': 'VARCHAR', 'imsi': 'BIGINT', " +
  "'imsi_text': 'VARCHAR', 'msisdn': 'BIGINT', 'msisdn_text': 'VARCHAR', 'first_day': 'INTEGER', " +
  "'last_day': 'INTEGER', 'day_mask': 'INTEGER', 'rat_mask': 'INTEGER'}";

const KEY_MATCH = `t.month = s.month AND t.operator = s.operator AND t.imei = s.imei
  AND t.imsi IS NOT DISTINCT FROM s.imsi AND t.msisdn IS NOT DISTINCT FROM s.msisdn`;

export async function commitOperatorDump(db: DuckDb, c: OperatorDumpCommit): Promise<void> {
  const r = c.record;
  const op = lit(r.operator ?? '');
  const files = `[${c.tripletSpools.map(lit).join(', ')}]`;
  for (const t of ['stage_raw', 'stage_triplets', 'stage_imeis'])
    await db.run(`DROP TABLE IF EXISTS temp.${t}`);
  await db.transaction(async () => {
    if (c.tripletSpools.length > 0) {
      await db.run(`CREATE TEMP TABLE stage_raw AS SELECT * FROM read_csv(${files}, header = true,
        delim = ',', quote = '"', escape = '"', nullstr = '', columns = ${SPOOL_COLUMNS})`);
      const texts = await db.one(`SELECT count(*)::BIGINT AS n FROM stage_raw
        WHERE imei_text IS NOT NULL OR imsi_text IS NOT NULL OR msisdn_text IS NOT NULL`);
      const hasTexts = Number(texts?.n ?? 0) > 0;
      if (hasTexts)
        await db.run(`INSERT INTO id_texts
          SELECT -((SELECT coalesce(max(-id), 0) FROM id_texts) + row_number() OVER (ORDER BY v)), v
            FROM (SELECT imei_text AS v FROM stage_raw UNION SELECT imsi_text FROM stage_raw
                  UNION SELECT msisdn_text FROM stage_raw) n
           WHERE v IS NOT NULL AND v NOT IN (SELECT value FROM id_texts)`);
      const key = (col: string) =>
        hasTexts
          ? `coalesce(r.${col}, (SELECT id FROM id_texts WHERE value = r.${col}_text))`
          : `r.${col}`;
      // One spool holds each key once; several spools (a table flushed mid-file) are merged.
      const merge = c.tripletSpools.length > 1;
      await db.run(`CREATE TEMP TABLE stage_triplets AS
        SELECT r.month, ${op} AS operator, ${key('imei')} AS imei, ${key('imsi')} AS imsi,
               ${key('msisdn')} AS msisdn,
               ${merge ? 'min' : ''}(r.month + (r.first_day - 1)::INTEGER) AS first_seen,
               ${merge ? 'max' : ''}(r.month + (r.last_day - 1)::INTEGER) AS last_seen,
               ${merge ? 'bit_or' : ''}(r.day_mask) AS day_mask, ${merge ? 'bit_or' : ''}(r.rat_mask) AS rat_mask
          FROM stage_raw r ${merge ? 'GROUP BY ALL' : ''}`);
      await db.run('DROP TABLE temp.stage_raw');
      const months = (await db.all('SELECT DISTINCT month::VARCHAR AS m FROM stage_triplets')).map(
        (x) => `${lit(String(x.m))}::DATE`,
      );
      const scope = `t.operator = ${op} AND t.month IN (${months.join(', ')})`;
      const existing = await db.one(`SELECT count(*)::BIGINT AS n FROM triplets t WHERE ${scope}`);
      if (Number(existing?.n ?? 0) > 0) {
        await db.run(`UPDATE triplets t SET
            first_seen = least(t.first_seen, s.first_seen), last_seen = greatest(t.last_seen, s.last_seen),
            day_mask = t.day_mask | s.day_mask, rat_mask = t.rat_mask | s.rat_mask
          FROM stage_triplets s WHERE ${scope} AND ${KEY_MATCH}`);
        await db.run(`INSERT INTO triplets SELECT s.* FROM stage_triplets s
          WHERE NOT EXISTS (SELECT 1 FROM triplets t WHERE ${scope} AND ${KEY_MATCH})`);
      } else {
        await db.run('INSERT INTO triplets SELECT * FROM stage_triplets');
      }
      await db.run('CREATE TEMP TABLE stage_imeis AS SELECT DISTINCT imei FROM stage_triplets');
      await db.run('DROP TABLE temp.stage_triplets');
      await db.run('DELETE FROM network_imeis WHERE imei IN (SELECT imei FROM stage_imeis)');
      await db.run(`INSERT INTO network_imeis
        SELECT t.imei, min(first_seen), max(last_seen), count(DISTINCT operator)::INTEGER,
               count(DISTINCT imsi)::INTEGER, count(DISTINCT msisdn)::INTEGER, bit_or(rat_mask)
          FROM triplets t SEMI JOIN stage_imeis s ON t.imei = s.imei
         GROUP BY t.imei`);
      await db.run('DROP TABLE temp.stage_imeis');
    }
    for (const d of c.daily)
      await db.run('INSERT INTO operator_daily VALUES (?, ?::DATE, ?, ?, ?, ?)', [
        r.operator ?? '',
        d.day,
        d.imeis,
        d.imsis,
        d.msisdns,
        r.id,
      ]);
    await db.run(
      `INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?::DATE, ?::DATE, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP)`,
      importRecordParams(r),
    );
  });
}
