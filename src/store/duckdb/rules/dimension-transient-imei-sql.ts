/**
 * `transient_imei`: an IMEI cycling through MSISDNs in arithmetic progression on one operator
 * (a SIM box). Oracle: `core/rules/dimensions/transient-imei.ts`.
 */
import type { TransientImeiParams } from '../../../core/rules/condition.js';
import { lastDays } from '../../../core/rules/dates.js';
import { identityDaysPerMonth } from './dimension-duplicates-sql.js';
import { inWindow, sqlWindow, windowMask } from './sql-window.js';

/**
 * Cheap necessary conditions (plain integer aggregates) select the candidates: two MSISDNs, and
 * the triplets' window days adding up to the volume (the distinct MSISDNs of a day never exceed
 * the triplets of that day). Only for those are the operators and the exact volume counted
 * (`identityDaysPerMonth`) and the MSISDNs decoded to numbers (HUGEINT: an all-digit text
 * longer than 15 digits too, up to 38 digits) and tested for one common, non-zero difference
 * between neighbours in numeric order. A MSISDN that is not all digits fails.
 */
export function transientImeiSql(asOf: string, p: TransientImeiParams): string {
  const w = sqlWindow(lastDays(asOf, p.periodDays));
  const volume = p.numMsisdns * p.periodDays;
  const rows = `(SELECT imei, month, operator, msisdn, day_mask FROM triplets
      WHERE msisdn IS NOT NULL AND ${inWindow(w)})`;
  const candidates = `(SELECT imei FROM ${rows} GROUP BY imei
      HAVING min(msisdn) < max(msisdn) AND sum(bit_count(day_mask & ${windowMask(w)})) >= ${volume})`;
  const oneOperator = `(SELECT imei FROM ${rows} WHERE imei IN (SELECT imei FROM ${candidates})
      GROUP BY imei HAVING count(DISTINCT operator) = 1)`;
  const enough = `(SELECT imei FROM ${identityDaysPerMonth(w, 'msisdn', oneOperator)}
      GROUP BY imei HAVING sum(ids) >= ${volume})`;
  const values = `(SELECT DISTINCT r.imei, r.msisdn,
        CASE WHEN r.msisdn >= 0 THEN substr(r.msisdn::VARCHAR, 2)::HUGEINT
             WHEN regexp_full_match(x.value, '[0-9]+') THEN TRY_CAST(x.value AS HUGEINT) END AS v
      FROM ${rows} r LEFT JOIN id_texts x ON x.id = r.msisdn
     WHERE r.imei IN (SELECT imei FROM ${enough}))`;
  return `SELECT imei FROM (
      SELECT imei, v, v - lag(v) OVER (PARTITION BY imei ORDER BY v) AS step FROM ${values})
    GROUP BY imei
    HAVING count(*) = count(v) AND min(step) = max(step) AND min(step) > 0`;
}
