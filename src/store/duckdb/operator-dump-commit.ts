/**
 * Lands one operator dump atomically: the triplet spools (partial aggregates written by ingest)
 * are merged into `triplets`, the per-IMEI summary of every touched IMEI is recomputed, the daily
 * counts and the import record are written — all in one transaction.
 */
import type { OperatorDumpCommit } from '../../core/ports/store.js';
import { lit, type DuckDb } from './duckdb-database.js';

const SPOOL_COLUMNS =
  "{'month': 'DATE', 'operator': 'VARCHAR', 'imei_norm': 'VARCHAR', 'imsi': 'VARCHAR', " +
  "'msisdn': 'VARCHAR', 'first_seen': 'DATE', 'last_seen': 'DATE', 'day_mask': 'INTEGER', " +
  "'rat_mask': 'INTEGER'}";

const KEY_MATCH = `t.month = s.month AND t.operator = s.operator AND t.imei_norm = s.imei_norm
  AND t.imsi IS NOT DISTINCT FROM s.imsi AND t.msisdn IS NOT DISTINCT FROM s.msisdn`;

export async function commitOperatorDump(db: DuckDb, c: OperatorDumpCommit): Promise<void> {
  const r = c.record;
  const files = `[${c.tripletSpools.map(lit).join(', ')}]`;
  await db.run('DROP TABLE IF EXISTS temp.stage_triplets');
  await db.run('DROP TABLE IF EXISTS temp.stage_imeis');
  await db.transaction(async () => {
    if (c.tripletSpools.length > 0) {
      await db.run(`CREATE TEMP TABLE stage_triplets AS
        SELECT month, operator, imei_norm, imsi, msisdn, min(first_seen) AS first_seen,
               max(last_seen) AS last_seen, bit_or(day_mask) AS day_mask, bit_or(rat_mask) AS rat_mask
          FROM read_csv(${files}, header = true, delim = ',', quote = '"', escape = '"',
                        nullstr = '', columns = ${SPOOL_COLUMNS})
         GROUP BY ALL`);
    } else {
      await db.run(`CREATE TEMP TABLE stage_triplets AS SELECT * FROM triplets LIMIT 0`);
    }
    const months = (await db.all('SELECT DISTINCT month::VARCHAR AS m FROM stage_triplets')).map(
      (x) => lit(String(x.m)),
    );
    if (months.length > 0) {
      const scope = `t.operator = ${lit(r.operator ?? '')} AND t.month IN (${months.map((m) => `${m}::DATE`).join(', ')})`;
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
      await db.run(
        'CREATE TEMP TABLE stage_imeis AS SELECT DISTINCT imei_norm FROM stage_triplets',
      );
      await db.run(
        'DELETE FROM network_imeis WHERE imei_norm IN (SELECT imei_norm FROM stage_imeis)',
      );
      await db.run(`INSERT INTO network_imeis
        SELECT t.imei_norm, min(first_seen), max(last_seen), count(DISTINCT operator)::INTEGER,
               count(DISTINCT imsi)::INTEGER, count(DISTINCT msisdn)::INTEGER, bit_or(rat_mask)
          FROM triplets t SEMI JOIN stage_imeis s ON t.imei_norm = s.imei_norm
         GROUP BY t.imei_norm`);
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
      [
        r.id,
        r.source,
        r.file,
        r.sha256,
        r.mode,
        r.operator ?? null,
        r.periodStart ?? null,
        r.periodEnd ?? null,
        r.rows,
        r.accepted,
        JSON.stringify(r.gates),
        r.startedAt,
        r.finishedAt,
      ],
    );
  });
  await db.run('DROP TABLE IF EXISTS temp.stage_triplets');
  await db.run('DROP TABLE IF EXISTS temp.stage_imeis');
}
